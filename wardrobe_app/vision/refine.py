"""Fix a cut-out by hand: "keep" and "remove" brush strokes become sure garment / sure background seeds
for GrabCut, started from the current mask (``cv2.GC_INIT_WITH_MASK``); the strokes always win."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from wardrobe_app.domain.strokes import Stroke

__all__ = ["KEEP", "NO_SEED", "REMOVE", "Stroke", "paint_seeds", "refine_mask"]

#: GrabCut runs with the photo's long side at most this (the result is scaled back up).
REFINE_SIDE = 512
REFINE_ITERATIONS = 5
#: Seed values of ``paint_seeds``.
NO_SEED, KEEP, REMOVE = 0, 1, 2


def paint_seeds(shape: tuple[int, int], strokes: Sequence[Stroke], scale: float = 1.0) -> np.ndarray:
    """A uint8 HxW map of the strokes (KEEP, REMOVE, NO_SEED), drawn in order (a later stroke wins)."""
    seeds = np.zeros(shape, np.uint8)
    for stroke in strokes:
        value = KEEP if stroke.keep else REMOVE
        points = np.array([(round(x * scale), round(y * scale)) for x, y in stroke.points], np.int32)
        radius = max(1, round(stroke.radius * scale))
        if len(points) == 1:
            cv2.circle(seeds, tuple(int(v) for v in points[0]), radius, value, -1)
        else:
            cv2.polylines(seeds, [points], False, value, thickness=2 * radius, lineType=cv2.LINE_8)
            for point in points[[0, -1]]:
                cv2.circle(seeds, tuple(int(v) for v in point), radius, value, -1)
    return seeds


def refine_mask(rgb: np.ndarray, mask: np.ndarray, strokes: Sequence[Stroke]) -> np.ndarray:
    """The garment mask (uint8 HxW, 255 = garment) after GrabCut re-runs from ``mask`` with the strokes as seeds.

    Pixels under a "keep" stroke are garment and under a "remove" stroke background, whatever GrabCut
    says; with no stroke the mask comes back unchanged.
    """
    height, width = mask.shape[:2]
    if rgb.shape[:2] != (height, width):
        raise ValueError(f"the photo is {rgb.shape[1]}x{rgb.shape[0]} but the mask {width}x{height}")
    current = np.where(mask > 0, 255, 0).astype(np.uint8)
    if not strokes:
        return current
    scale = min(1.0, REFINE_SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small_rgb = cv2.resize(np.ascontiguousarray(rgb[..., :3], np.uint8), size, interpolation=cv2.INTER_AREA)
    small_mask = cv2.resize(current, size, interpolation=cv2.INTER_NEAREST)
    seeds = paint_seeds((size[1], size[0]), strokes, scale)
    grab = np.where(small_mask > 0, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    grab[seeds == KEEP] = cv2.GC_FGD
    grab[seeds == REMOVE] = cv2.GC_BGD
    refined = _grabcut(small_rgb, grab)
    if refined is None:  # GrabCut needs garment and background samples: the strokes alone decide then
        refined = small_mask
    out = cv2.resize(refined, (width, height), interpolation=cv2.INTER_LINEAR)
    out = np.where(out >= 128, 255, 0).astype(np.uint8)
    full_seeds = paint_seeds((height, width), strokes)
    out[full_seeds == KEEP] = 255
    out[full_seeds == REMOVE] = 0
    return out


def _grabcut(rgb: np.ndarray, grab: np.ndarray) -> np.ndarray | None:
    foreground = (grab == cv2.GC_FGD) | (grab == cv2.GC_PR_FGD)
    if not foreground.any() or foreground.all():
        return None
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    try:
        cv2.grabCut(bgr, grab, None, bgd, fgd, REFINE_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    except cv2.error:
        return None
    return np.where((grab == cv2.GC_FGD) | (grab == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
