"""Cut the garment out of a home photo: border background model, GrabCut, clean-up, fallbacks."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Long side of the working image the segmenter runs on (the mask is upscaled).
WORK_SIDE = 256
#: A cut-out covering less / more of the frame than this is not believed.
MIN_COVERAGE = 0.02
MAX_COVERAGE = 0.95
#: Other components are kept when at least this share of the largest (shoe pairs).
KEEP_COMPONENT_SHARE = 0.15
_BORDER_CLUSTERS = 6
#: Lab spread per channel of a background cluster is clipped to this range.
_MIN_SPREAD = np.array((3.0, 2.0, 2.0), np.float32)
_MAX_SPREAD = np.array((10.0, 6.0, 6.0), np.float32)
#: Normalised distance under which a pixel has a border cluster's colour.
_SAME_COLOUR = 3.0
_GRABCUT_ITERATIONS = 3


@dataclass(frozen=True)
class Cutout:
    """Where the garment is: a full-size mask, its bounding box and how it was found."""

    mask: np.ndarray  # uint8 HxW, 255 = garment
    bbox: tuple[int, int, int, int]  # x, y, w, h
    method: str  # "alpha", "grabcut", "fallback-threshold", "fallback-ellipse"
    coverage: float  # garment share of the image, 0-1


def cut_out(rgb: np.ndarray, alpha: np.ndarray | None = None) -> Cutout:
    """Find the garment in ``rgb`` (uint8 HxWx3); never raises on a valid image."""
    height, width = rgb.shape[:2]
    if alpha is not None:
        mask = np.where(alpha >= 128, 255, 0).astype(np.uint8)
        if _plausible(mask):
            return _finish(mask, "alpha")
    if min(height, width) < 16:
        return _finish(_ellipse(height, width), "fallback-ellipse")
    try:
        small = _to_work_size(rgb)
        score, bg_seed = _background_distance(small)
        rough = _threshold(score)
        mask_small, method = _grabcut(small, score, bg_seed, rough), "grabcut"
        mask_small = _clean(mask_small)
        if not _plausible(mask_small):
            mask_small, method = _clean(rough), "fallback-threshold"
        if not _plausible(mask_small):
            return _finish(_ellipse(height, width), "fallback-ellipse")
        mask = cv2.resize(mask_small, (width, height), interpolation=cv2.INTER_LINEAR)
        mask = np.where(mask >= 128, 255, 0).astype(np.uint8)
        return _finish(mask, method)
    except cv2.error:
        return _finish(_ellipse(height, width), "fallback-ellipse")


def _to_work_size(rgb: np.ndarray) -> np.ndarray:
    height, width = rgb.shape[:2]
    scale = WORK_SIDE / max(height, width)
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(rgb)


def _border_mask(height: int, width: int) -> np.ndarray:
    band = max(3, round(0.04 * min(height, width)))
    border = np.zeros((height, width), bool)
    border[:band], border[-band:], border[:, :band], border[:, -band:] = True, True, True, True
    return border


def _background_distance(small: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel distance (0-255) from a Lab model of the photo's border, and the border seed.

    The border is clustered in Lab; a cluster that covers little of the border
    but much of the centre is the garment touching the edge and is left out.
    """
    height, width = small.shape[:2]
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    lab = cv2.cvtColor(blurred, cv2.COLOR_RGB2Lab).astype(np.float32)
    border = _border_mask(height, width)
    samples = _subsample(lab[border], 2000)
    centre = _subsample(lab[height // 4: height - height // 4, width // 4: width - width // 4].reshape(-1, 3), 1500)
    k = min(_BORDER_CLUSTERS, len(samples))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    cv2.setRNGSeed(7)
    _, labels, centres = cv2.kmeans(samples, k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)
    labels = labels.ravel()
    flat = lab.reshape(-1, 3)
    models = []
    for index in range(k):
        members = samples[labels == index]
        border_share = len(members) / len(samples)
        if border_share < 0.04:  # a stray object or a sliver of garment
            continue
        spread = np.clip(members.std(axis=0), _MIN_SPREAD, _MAX_SPREAD).astype(np.float32)
        centre_share = float(np.mean(_distance(centre, centres[index], spread) < _SAME_COLOUR))
        models.append((border_share, centre_share, centres[index], spread))
    kept = [m for m in models if not (m[1] > 0.3 and m[0] < 0.5)] or models
    best = np.full(flat.shape[0], np.inf, np.float32)
    for _, _, mean, spread in kept:
        np.minimum(best, _distance(flat, mean, spread), out=best)
    score = np.clip(best * (255.0 / (4 * _SAME_COLOUR)), 0, 255).reshape(height, width).astype(np.uint8)
    score = cv2.medianBlur(score, 5)
    return score, border & (score < 50)


def _distance(points: np.ndarray, mean: np.ndarray, spread: np.ndarray) -> np.ndarray:
    return np.sqrt((((points - mean) / spread) ** 2).sum(axis=1))


def _subsample(points: np.ndarray, count: int) -> np.ndarray:
    if len(points) <= count:
        return np.ascontiguousarray(points, np.float32)
    return np.ascontiguousarray(points[np.linspace(0, len(points) - 1, count).astype(int)], np.float32)


def _threshold(score: np.ndarray) -> np.ndarray:
    level, _ = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.where(score > max(level, 64), 255, 0).astype(np.uint8)


def _grabcut(small: np.ndarray, score: np.ndarray, bg_seed: np.ndarray, rough: np.ndarray) -> np.ndarray:
    mask = np.full(score.shape, cv2.GC_PR_BGD, np.uint8)
    mask[rough > 0] = cv2.GC_PR_FGD
    core = cv2.erode(_clean(rough), np.ones((9, 9), np.uint8))
    mask[core > 0] = cv2.GC_FGD
    mask[bg_seed] = cv2.GC_BGD
    if not (mask == cv2.GC_FGD).any() and not (mask == cv2.GC_PR_FGD).any():
        return rough
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
    cv2.grabCut(bgr, mask, None, bgd, fgd, _GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    return np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)


def _clean(mask: np.ndarray) -> np.ndarray:
    """Open, close, keep the main component(s) and fill their holes."""
    side = max(3, round(min(mask.shape) / 80) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = 1 + np.flatnonzero(areas >= KEEP_COMPONENT_SHARE * areas.max())
    mask = np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)
    return _fill_holes(mask)


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    flood = padded.copy()
    cv2.floodFill(flood, None, (0, 0), 255)
    holes = cv2.bitwise_not(flood)[1:-1, 1:-1]
    return cv2.bitwise_or(mask, holes)


def _plausible(mask: np.ndarray) -> bool:
    coverage = float(np.count_nonzero(mask)) / mask.size
    return MIN_COVERAGE <= coverage <= MAX_COVERAGE


def _ellipse(height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    centre, axes = (width // 2, height // 2), (max(1, int(width * 0.35)), max(1, int(height * 0.4)))
    cv2.ellipse(mask, centre, axes, 0, 0, 360, 255, -1)
    return mask


def _finish(mask: np.ndarray, method: str) -> Cutout:
    points = cv2.findNonZero(mask)
    if points is None:
        mask = _ellipse(*mask.shape[:2])
        points, method = cv2.findNonZero(mask), "fallback-ellipse"
    x, y, w, h = cv2.boundingRect(points)
    coverage = float(np.count_nonzero(mask)) / mask.size
    return Cutout(mask=mask, bbox=(int(x), int(y), int(w), int(h)), method=method, coverage=coverage)
