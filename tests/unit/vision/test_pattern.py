"""Tests for wardrobe_app.vision.pattern: plain fabric, shading and logos are not patterns; prints are."""

from __future__ import annotations

import cv2
import numpy as np

from tests.unit.vision.conftest import garment_photo
from wardrobe_app.domain import Colour
from wardrobe_app.vision.pattern import EDGE_SHARE, FINE_SHARE, read_pattern

PLAIN = (Colour("green", "#28963c", (130.0, 0.73, 0.59), 1.0),)
TWO = (Colour("navy", "#141e5a", (231.0, 0.78, 0.35), 0.5), Colour("white", "#f8f8f6", (60.0, 0.01, 0.97), 0.5))


def test_plain_fabric_with_folds_is_plain() -> None:
    rgb, mask = garment_photo((40, 150, 60), (215, 215, 215), seed=1)
    ys, xs = np.nonzero(mask)
    shade = (0.75 + 0.25 * np.sin(xs / 25.0))[:, None]  # soft folds across the garment
    rgb[ys, xs] = np.clip(rgb[ys, xs] * shade, 0, 255).astype(np.uint8)
    pattern = read_pattern(rgb, mask, PLAIN)
    assert pattern.name is None and pattern.edge_share < EDGE_SHARE


def test_a_logo_lights_up_a_few_cells_only() -> None:
    rgb, mask = garment_photo((40, 150, 60), (215, 215, 215), seed=2)
    cv2.rectangle(rgb, (170, 200), (230, 260), (250, 250, 250), 3)
    cv2.putText(rgb, "SPORT", (150, 300), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (250, 250, 250), 3)
    assert read_pattern(rgb, mask, PLAIN).name is None


def test_stripes_across_and_along_and_a_check() -> None:
    rgb, mask = garment_photo((248, 248, 246), (120, 90, 60), stripes=(20, 30, 90), seed=3)
    assert read_pattern(rgb, mask, TWO).name == "stripes"
    assert read_pattern(np.ascontiguousarray(np.rot90(rgb)), np.ascontiguousarray(np.rot90(mask)), TWO).name == (
        "stripes"
    )
    _, x = np.mgrid[0 : mask.shape[0], 0 : mask.shape[1]]
    checked = rgb.copy()
    checked[(mask > 0) & ((x // 24) % 2 == 1)] = (20, 30, 90)
    assert read_pattern(checked, mask, TWO).name == "check"


def test_one_colour_texture_is_not_a_pattern() -> None:
    rgb, mask = garment_photo((120, 120, 120), (215, 200, 180), seed=4)
    rng = np.random.default_rng(4)
    cells = rng.normal(0, 45, (mask.shape[0] // 8, mask.shape[1] // 8)).astype(np.float32)
    knit = cv2.resize(cells, mask.shape[::-1], interpolation=cv2.INTER_NEAREST)  # a coarse knit, one colour
    ys, xs = np.nonzero(mask)
    rgb[ys, xs] = np.clip(rgb[ys, xs] + knit[ys, xs, None], 0, 255).astype(np.uint8)
    grey = (Colour("grey", "#787878", (0.0, 0.0, 0.47), 1.0),)
    pattern = read_pattern(rgb, mask, grey)
    assert pattern.edge_share >= EDGE_SHARE  # plenty of texture ...
    assert pattern.colour_gap == 0.0 and pattern.colour_edge_share < 0.06  # ... but one colour
    assert pattern.name is None


def test_empty_mask_is_plain() -> None:
    rgb, _ = garment_photo((40, 150, 60), (215, 215, 215), seed=5)
    assert read_pattern(rgb, np.zeros(rgb.shape[:2], np.uint8), PLAIN).name is None


def test_a_crop_thinner_than_the_grid_is_read_without_error() -> None:
    from wardrobe_app.vision.pattern import read_pattern

    rgb = np.full((500, 3, 3), (200, 30, 30), np.uint8)
    assert read_pattern(rgb, np.full((500, 3), 255, np.uint8), ()).name is None


def _dotted(size: tuple[int, int], pitch: int, radius: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A navy garment with a small white dot print (a ditsy print), large photo so the dots are fine."""
    rgb, mask = garment_photo((25, 35, 90), (215, 215, 215), size=size, seed=seed)
    dots = np.zeros(mask.shape, np.uint8)
    for y in range(pitch // 2, mask.shape[0], pitch):
        for x in range(pitch // 2 + (y // pitch % 2) * pitch // 2, mask.shape[1], pitch):
            cv2.circle(dots, (x, y), radius, 255, -1)
    rgb[(dots > 0) & (mask > 0)] = (245, 245, 240)
    return rgb, mask


def test_a_fine_dot_print_is_found_by_its_fine_contrast() -> None:
    rgb, mask = _dotted((1600, 1200), pitch=14, radius=3, seed=6)
    pattern = read_pattern(rgb, mask, TWO)
    assert pattern.edge_share < EDGE_SHARE  # too fine for the sharp edges at working size ...
    assert pattern.fine_share >= FINE_SHARE  # ... but not for the fine-scale contrast
    assert pattern.name == "print"


def test_fine_contrast_without_a_second_colour_is_texture() -> None:
    rgb, mask = garment_photo((120, 120, 120), (215, 200, 180), size=(1600, 1200), seed=7)
    rng = np.random.default_rng(7)
    ys, xs = np.nonzero(mask)
    grain = rng.normal(0, 40, (mask.shape[0] // 6, mask.shape[1] // 6)).astype(np.float32)
    marl = cv2.resize(grain, mask.shape[::-1], interpolation=cv2.INTER_NEAREST)  # a grey marl: fine, one colour
    rgb[ys, xs] = np.clip(rgb[ys, xs] + marl[ys, xs, None], 0, 255).astype(np.uint8)
    grey = (Colour("grey", "#787878", (0.0, 0.0, 0.47), 1.0),)
    pattern = read_pattern(rgb, mask, grey)
    assert pattern.fine_share >= FINE_SHARE
    assert pattern.name is None


def test_soft_folds_have_no_fine_contrast() -> None:
    rgb, mask = garment_photo((40, 150, 60), (215, 215, 215), size=(1600, 1200), seed=8)
    ys, xs = np.nonzero(mask)
    shade = (0.7 + 0.3 * np.sin(xs / 60.0) * np.cos(ys / 90.0))[:, None]
    rgb[ys, xs] = np.clip(rgb[ys, xs] * shade, 0, 255).astype(np.uint8)
    pattern = read_pattern(rgb, mask, PLAIN)
    assert pattern.fine_share < FINE_SHARE
    assert pattern.name is None
