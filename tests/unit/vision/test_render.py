"""Tests for wardrobe_app.vision.render and the pipeline: PNGs, thumbnails, histograms, timings."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.unit.vision.conftest import garment_photo
from wardrobe_app.domain import PhotoError
from wardrobe_app.vision.pipeline import process_photo
from wardrobe_app.vision.render import (
    THUMBNAIL_BACKGROUND,
    encode_mask_png,
    hsv_histogram,
    make_cutout_png,
    make_thumbnail,
)


@pytest.fixture
def photo() -> tuple[np.ndarray, np.ndarray]:
    rgb = np.full((200, 300, 3), 90, np.uint8)
    mask = np.zeros((200, 300), np.uint8)
    mask[50:150, 100:160] = 255
    rgb[mask > 0] = (200, 30, 30)
    return rgb, mask


def test_cutout_png_is_cropped_rgba_with_transparent_background(photo: tuple[np.ndarray, np.ndarray]) -> None:
    image = Image.open(io.BytesIO(make_cutout_png(*photo)))
    assert image.format == "PNG" and image.mode == "RGBA"
    width, height = image.size
    assert 60 <= width <= 70 and 100 <= height <= 112
    rgba = np.asarray(image)
    assert rgba[0, 0, 3] == 0
    assert tuple(rgba[height // 2, width // 2]) == (200, 30, 30, 255)


def test_thumbnail_is_square_with_garment_centred(photo: tuple[np.ndarray, np.ndarray]) -> None:
    image = Image.open(io.BytesIO(make_thumbnail(*photo, size=128)))
    assert image.size == (128, 128) and image.mode == "RGB"
    rgb = np.asarray(image)
    assert tuple(rgb[64, 64]) == (200, 30, 30)
    assert tuple(rgb[64, 2]) == THUMBNAIL_BACKGROUND


def test_mask_png_round_trips(photo: tuple[np.ndarray, np.ndarray]) -> None:
    _, mask = photo
    decoded = np.asarray(Image.open(io.BytesIO(encode_mask_png(mask))))
    assert np.array_equal(decoded, mask)


def test_hsv_histogram_counts_garment_only(photo: tuple[np.ndarray, np.ndarray]) -> None:
    rgb, mask = photo
    hist = hsv_histogram(rgb, mask)
    assert hist.dtype == np.float32 and hist.shape == (12 * 3 * 3,)
    assert hist.sum() == pytest.approx(1.0)
    assert hist.max() == pytest.approx(1.0)  # one red garment: one bin
    assert hsv_histogram(rgb, mask, bins=(8, 2, 2)).shape == (32,)


def test_empty_mask_renders_the_whole_photo(photo: tuple[np.ndarray, np.ndarray]) -> None:
    rgb, _ = photo
    empty = np.zeros(rgb.shape[:2], np.uint8)
    assert Image.open(io.BytesIO(make_cutout_png(rgb, empty))).size == (300, 200)
    assert Image.open(io.BytesIO(make_thumbnail(rgb, empty))).size == (256, 256)
    assert hsv_histogram(rgb, empty).sum() == pytest.approx(1.0)


def test_process_photo_end_to_end(tmp_path: Path) -> None:
    rgb, _ = garment_photo((30, 80, 200), (205, 200, 190), seed=9)
    path = tmp_path / "shirt.jpg"
    Image.fromarray(rgb).save(path, quality=92)
    result = process_photo(path)
    assert result.loaded.format == "JPEG" and result.cutout.method == "grabcut"
    assert result.colours.colours[0].name == "blue"
    assert set(result.timings) == {"load", "cutout", "colours", "render"}
    assert all(value >= 0 for value in result.timings.values())
    for data in (result.cutout_png, result.thumbnail_png, result.mask_png):
        assert data.startswith(b"\x89PNG")


def test_process_photo_refuses_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(PhotoError):
        process_photo(path)


def _whole_mask_alpha(mask: np.ndarray) -> np.ndarray:
    """The feathered alpha as it was made before: the whole mask blurred."""
    import cv2

    hard = np.where(mask > 0, 255, 0).astype(np.uint8)
    if not hard.any():
        return np.full_like(hard, 255)
    return hard if hard.all() else cv2.GaussianBlur(hard, (3, 3), 0)


@pytest.mark.parametrize(
    "box",
    [
        (0, 0, 300, 200),  # the whole photo
        (90, 40, 80, 120),  # a crop around the garment
        (0, 0, 120, 60),  # a crop at the photo's corner
        (250, 150, 50, 50),  # a crop at the opposite corner
    ],
)
def test_the_alpha_of_a_crop_is_the_whole_mask_blurred_then_cropped(box: tuple[int, int, int, int]) -> None:
    from wardrobe_app.vision.render import _soft_alpha_crop

    rng = np.random.default_rng(4)
    masks = [
        (rng.random((200, 300)) > 0.5).astype(np.uint8) * 255,  # ragged: every pixel an edge
        np.zeros((200, 300), np.uint8),  # no garment
        np.full((200, 300), 255, np.uint8),  # garment everywhere
    ]
    masks[0][:, :3] = 255  # the garment touching the photo's edge
    x, y, w, h = box
    for mask in masks:
        assert np.array_equal(_soft_alpha_crop(mask, box), _whole_mask_alpha(mask)[y : y + h, x : x + w])


def test_the_faster_png_settings_keep_every_pixel() -> None:
    from wardrobe_app.vision.render import _png

    rng = np.random.default_rng(5)
    rgb = rng.integers(0, 256, (61, 47, 3), dtype=np.uint8)
    rgb[20:40] = (10, 200, 90)  # flat rows as well as noise
    rgba = np.dstack([rgb, rng.integers(0, 256, (61, 47), dtype=np.uint8)])
    grey = rng.integers(0, 2, (61, 47), dtype=np.uint8) * 255
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(_png(rgb)))), rgb)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(_png(rgba[..., [2, 1, 0, 3]], rgb_order=False)))), rgba)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(_png(grey)))), grey)
