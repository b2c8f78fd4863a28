"""The network reads the garment framed by its cut-out: a garment photographed from afar reads as one from close by."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.ml.preprocess import FRAME_BELOW, FRAME_MARGIN, frame_garment, network_input


def garment_photo(height: int = 400, width: int = 300, box: tuple[int, int, int, int] = (120, 160, 60, 80)):
    """A grey floor with a red garment in ``box`` (x, y, w, h); its mask."""
    rgb = np.full((height, width, 3), 120, np.uint8)
    mask = np.zeros((height, width), np.uint8)
    x, y, w, h = box
    rgb[y : y + h, x : x + w] = (200, 20, 20)
    mask[y : y + h, x : x + w] = 255
    return rgb, mask


def test_a_small_garment_is_cropped_with_its_margin_to_the_photos_aspect() -> None:
    rgb, mask = garment_photo()
    framed = frame_garment(rgb, mask)
    height, width = framed.shape[:2]
    assert height == pytest.approx(80 * (1 + 2 * FRAME_MARGIN), abs=1)  # the taller side gets the margin
    assert width / height == pytest.approx(300 / 400, abs=0.02)  # the photo's own aspect
    garment = np.all(framed == (200, 20, 20), axis=2)
    assert garment.sum() == 60 * 80  # the whole garment is in the frame
    ys, xs = np.nonzero(garment)
    assert abs((ys.min() + ys.max()) / 2 - height / 2) <= 1 and abs((xs.min() + xs.max()) / 2 - width / 2) <= 1


def test_the_frame_is_shifted_inside_the_photo_at_an_edge() -> None:
    rgb, mask = garment_photo(box=(0, 0, 60, 80))
    framed = frame_garment(rgb, mask)
    assert np.all(framed[0, 0] == (200, 20, 20))  # clipped at the corner, not padded
    assert np.all(np.all(framed == (200, 20, 20), axis=2).sum() == 60 * 80)


def test_a_garment_filling_the_photo_keeps_the_whole_photo() -> None:
    rgb, mask = garment_photo(box=(10, 10, 280, 380))
    assert frame_garment(rgb, mask) is rgb


def test_a_garment_spanning_most_of_one_side_keeps_the_whole_photo() -> None:
    # as in most photos people take, and in shop product photos: the network reads them as it was trained
    tall = garment_photo(box=(120, 40, 60, int(400 * FRAME_BELOW) + 2))
    assert frame_garment(*tall) is tall[0]
    wide = garment_photo(box=(30, 160, int(300 * FRAME_BELOW) + 2, 60))
    assert frame_garment(*wide) is wide[0]


def test_no_mask_or_an_empty_one_keeps_the_whole_photo() -> None:
    rgb, mask = garment_photo()
    assert frame_garment(rgb, None) is rgb
    assert frame_garment(rgb, np.zeros_like(mask)) is rgb
    with pytest.raises(ValueError):
        frame_garment(rgb, mask[:-1])


def test_the_network_reads_a_far_garment_as_a_near_one() -> None:
    near, near_mask = garment_photo(box=(35, 46, 230, 308))  # as far as the framed far one: 1 / 1.3 of each side
    far, far_mask = garment_photo(box=(120, 160, 60, 80))
    # without the mask the far garment is a small patch on a grey floor, with it the frame is mostly garment
    red = lambda x: float(np.mean(x[..., 2] > 0))  # noqa: E731 - caffe BGR: red minus its mean stays > 0
    assert red(network_input(far)) < 0.1
    assert red(network_input(far, far_mask)) > 0.5
    assert red(network_input(near, near_mask)) == pytest.approx(red(network_input(far, far_mask)), abs=0.1)


def test_a_garment_at_the_edge_is_never_cut_by_rounding() -> None:
    # the frame's corner and size are rounded once: a box touching the right or bottom edge keeps its last pixels
    rng = np.random.default_rng(7)
    for _ in range(3000):
        height, width = int(rng.integers(8, 70)), int(rng.integers(8, 70))
        w, h = int(rng.integers(1, max(2, width // 2))), int(rng.integers(1, max(2, height // 2)))
        x, y = int(rng.integers(0, width - w + 1)), int(rng.integers(0, height - h + 1))
        rgb, mask = garment_photo(height, width, (x, y, w, h))
        framed = frame_garment(rgb, mask)
        assert framed.size > 0
        assert np.all(framed == (200, 20, 20), axis=2).sum() == w * h, (height, width, x, y, w, h)
