"""Tests for wardrobe_app.vision.segment: garments drawn on textured backgrounds are found."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.unit.vision.conftest import garment_photo, iou, textured_background
from wardrobe_app.vision.segment import Cutout, cut_out

CASES = {
    "red on wood": ((200, 30, 35), (150, 105, 65)),
    "navy on light bed": ((25, 35, 90), (225, 220, 210)),
    "white on dark floor": ((240, 240, 235), (70, 65, 60)),
    "green on grey tiles": ((40, 140, 60), (150, 150, 155)),
    "beige on brown": ((215, 195, 160), (110, 75, 50)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_garment_on_textured_background(name: str) -> None:
    colour, background = CASES[name]
    rgb, truth = garment_photo(colour, background, seed=len(name))
    cut = cut_out(rgb)
    assert cut.mask.shape == truth.shape and cut.mask.dtype == np.uint8
    assert set(np.unique(cut.mask)) <= {0, 255}
    assert iou(cut.mask, truth) > 0.8, cut.method


def test_striped_garment_is_one_piece() -> None:
    rgb, truth = garment_photo((230, 230, 225), (120, 90, 60), stripes=(20, 30, 80), seed=3)
    assert iou(cut_out(rgb).mask, truth) > 0.8


def test_pair_of_shoes_keeps_both() -> None:
    rgb = textured_background(400, 400, (180, 170, 160), seed=5)
    truth = np.zeros((400, 400), np.uint8)
    cv2.ellipse(truth, (130, 200), (50, 120), 0, 0, 360, 255, -1)
    cv2.ellipse(truth, (270, 200), (50, 120), 0, 0, 360, 255, -1)
    rgb[truth > 0] = (40, 30, 25)
    cut = cut_out(rgb)
    assert iou(cut.mask, truth) > 0.8
    assert cv2.connectedComponents(cut.mask)[0] - 1 == 2


def test_garment_touching_the_bottom_edge() -> None:
    rgb = textured_background(533, 400, (200, 195, 185), seed=6)
    truth = np.zeros((533, 400), np.uint8)
    cv2.fillPoly(truth, [np.array([(110, 60), (290, 60), (320, 533), (80, 533)], np.int32)], 255)
    rgb[truth > 0] = (30, 60, 150)
    assert iou(cut_out(rgb).mask, truth) > 0.8


def test_bbox_and_coverage_describe_the_mask(red_shirt_on_wood: tuple[np.ndarray, np.ndarray]) -> None:
    rgb, _ = red_shirt_on_wood
    cut = cut_out(rgb)
    x, y, w, h = cut.bbox
    ys, xs = np.nonzero(cut.mask)
    assert (x, y, x + w - 1, y + h - 1) == (xs.min(), ys.min(), xs.max(), ys.max())
    assert cut.coverage == pytest.approx(np.count_nonzero(cut.mask) / cut.mask.size)
    assert cut.method == "grabcut"


def test_alpha_is_used_as_the_mask() -> None:
    rgb = np.full((100, 80, 3), 255, np.uint8)
    alpha = np.zeros((100, 80), np.uint8)
    alpha[20:80, 10:70] = 255
    cut = cut_out(rgb, alpha)
    assert cut.method == "alpha" and cut.bbox == (10, 20, 60, 60)
    assert np.array_equal(cut.mask, alpha)


@pytest.mark.parametrize(
    "rgb",
    [
        np.zeros((300, 200, 3), np.uint8),
        np.full((300, 200, 3), 255, np.uint8),
        np.random.default_rng(0).integers(0, 256, (300, 200, 3), dtype=np.uint8),
        np.zeros((5, 7, 3), np.uint8),
    ],
    ids=["black", "white", "noise", "tiny"],
)
def test_hopeless_images_fall_back_gracefully(rgb: np.ndarray) -> None:
    cut = cut_out(rgb)
    assert isinstance(cut, Cutout)
    assert cut.mask.shape == rgb.shape[:2] and cut.mask.any()
    assert 0 < cut.coverage <= 1
    if rgb.shape[0] < 16 or not rgb.std():
        assert cut.method.startswith("fallback-")


def test_alpha_that_hides_everything_is_ignored() -> None:
    rgb, truth = garment_photo((200, 30, 35), (150, 105, 65), seed=2)
    cut = cut_out(rgb, np.zeros(truth.shape, np.uint8))
    assert cut.method != "alpha" and iou(cut.mask, truth) > 0.8


def test_a_product_photo_on_a_plain_backdrop_takes_the_studio_path() -> None:
    image = np.full((533, 400, 3), 248, np.uint8)
    cv2.fillPoly(image, [np.array([[100, 100], [300, 100], [320, 450], [80, 450]], np.int32)], (30, 60, 200))
    truth = np.zeros(image.shape[:2], np.uint8)
    cv2.fillPoly(truth, [np.array([[100, 100], [300, 100], [320, 450], [80, 450]], np.int32)], 255)
    cutout = cut_out(image)
    assert cutout.method == "studio"
    iou = np.count_nonzero((cutout.mask > 0) & (truth > 0)) / np.count_nonzero((cutout.mask > 0) | (truth > 0))
    assert iou > 0.95


def test_a_white_garment_on_a_white_backdrop_falls_back_to_the_full_segmenter() -> None:
    image = np.full((400, 300, 3), 250, np.uint8)
    cv2.rectangle(image, (80, 80), (220, 320), (247, 247, 247), -1)  # the same white: nothing to flood apart
    assert cut_out(image).method != "studio"


@pytest.mark.parametrize("grabcut_side", [160, 100_000])
def test_grabcut_on_a_smaller_image_still_gives_a_full_size_mask(
    grabcut_side: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wardrobe_app.vision import segment

    monkeypatch.setattr(segment, "GRABCUT_SIDE", grabcut_side)
    rgb, truth = garment_photo((200, 30, 35), (150, 105, 65), seed=11)
    cut = cut_out(rgb)
    assert cut.method == "grabcut"
    assert cut.mask.shape == truth.shape and set(np.unique(cut.mask)) <= {0, 255}
    assert iou(cut.mask, truth) > 0.8


def test_grabcut_returns_the_working_size_mask_when_it_runs_smaller(monkeypatch: pytest.MonkeyPatch) -> None:
    from wardrobe_app.vision import segment

    monkeypatch.setattr(segment, "GRABCUT_SIDE", 96)
    small = np.full((256, 192, 3), 120, np.uint8)
    small[64:192, 48:144] = (200, 30, 35)
    score = np.zeros((256, 192), np.uint8)
    score[64:192, 48:144] = 255
    rough = np.where(score > 0, 255, 0).astype(np.uint8)
    seed = np.zeros((256, 192), bool)
    seed[:4], seed[-4:] = True, True
    garment = segment._grabcut(small, score, seed, rough)
    assert garment.shape == (256, 192) and garment.dtype == np.uint8
    assert set(np.unique(garment)) <= {0, 255}
    assert iou(garment, rough) > 0.9
