"""Fixing a cut-out with keep/remove strokes: GrabCut from the current mask, strokes as sure seeds."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from wardrobe_app.vision.refine import KEEP, REMOVE, Stroke, paint_seeds, refine_mask


def _scene() -> tuple[np.ndarray, np.ndarray]:
    """A red garment on a light grey floor with a blue bedsheet corner touching it; the true garment mask."""
    rng = np.random.default_rng(0)
    rgb = rng.normal(200, 6, (300, 400, 3)).clip(0, 255).astype(np.uint8)
    truth = np.zeros((300, 400), np.uint8)
    cv2.rectangle(truth, (120, 60), (260, 240), 255, -1)
    rgb[truth > 0] = (200, 30, 30)
    rgb[100:200, 260:340] = (40, 60, 190)  # the sheet, right of the garment
    noise = rng.normal(0, 4, rgb.shape)
    return (rgb + noise).clip(0, 255).astype(np.uint8), truth


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a > 0, b > 0
    return float((a & b).sum() / max(1, (a | b).sum()))


def test_remove_stroke_takes_the_sheet_away() -> None:
    rgb, truth = _scene()
    bad = truth.copy()
    bad[100:200, 260:340] = 255  # the cut-out kept a piece of bedsheet
    assert _iou(bad, truth) < 0.85
    fixed = refine_mask(rgb, bad, [Stroke(((300, 120), (300, 180)), 8, keep=False)])
    assert _iou(fixed, truth) > 0.95
    assert fixed[150, 320] == 0 and fixed[150, 190] == 255


def test_keep_stroke_brings_a_lost_part_back() -> None:
    rgb, truth = _scene()
    bad = truth.copy()
    bad[60:130, 120:200] = 0  # a shoulder lost against the floor
    fixed = refine_mask(rgb, bad, [Stroke(((140, 80), (180, 110)), 6, keep=True)])
    assert _iou(fixed, truth) > 0.95


def test_strokes_always_win_and_no_stroke_changes_nothing() -> None:
    rgb, truth = _scene()
    assert np.array_equal(refine_mask(rgb, truth, []), truth)
    # "remove" painted over real garment: the painted pixels go, whatever GrabCut thinks
    fixed = refine_mask(rgb, truth, [Stroke(((190, 150),), 10, keep=False)])
    assert fixed[150, 190] == 0
    # everything removed: no garment left to model, the strokes alone decide
    everything = refine_mask(rgb, truth, [Stroke(((0, 150), (400, 150)), 200, keep=False)])
    assert not everything.any()


def test_paint_seeds_later_strokes_win_and_scale() -> None:
    seeds = paint_seeds((50, 50), [Stroke(((10, 10), (40, 10)), 3, True), Stroke(((25, 0), (25, 49)), 2, False)])
    assert seeds[10, 12] == KEEP and seeds[10, 25] == REMOVE and seeds[40, 40] == 0
    half = paint_seeds((25, 25), [Stroke(((20, 20),), 4, True)], scale=0.5)
    assert half[10, 10] == KEEP and half[10, 13] == 0


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one point"):
        Stroke((), 3, True)
    with pytest.raises(ValueError, match="mask"):
        refine_mask(np.zeros((10, 10, 3), np.uint8), np.zeros((5, 5), np.uint8), [Stroke(((1, 1),), 1, True)])
