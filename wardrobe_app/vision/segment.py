"""Cut the garment out of a home photo: border background model, GrabCut, clean-up, fallbacks.

At a working size (long side 256 px) the photo's border band is clustered in
Lab (k-means, k=6): that is the background model (bed, floor, tiles, wall).
Each pixel's distance to the nearest background colour, scaled by the
cluster's clipped spread, gives a garment score; the score seeds GrabCut
(border pixels of background colour and plainly background-coloured pixels
are sure background, the eroded Otsu mask is sure garment).  Up to three
background models are tried (tight; tolerant of shading; quick to call a
border colour garment when it fills the centre) and the cut-out whose outline
lies on the strongest colour edges wins.  Clean-up: opening, stripping thin
protrusions (floor seams, sticks, hanger wires), closing, keeping the main
component and any of at least 15 % of it (shoe pairs), filling holes.  An
implausible result (under 2 % or over 95 % of the frame) falls back to the
thresholded score, then to a centred ellipse; ``Cutout.method`` says which.
Measured with benchmarks/segmentation_quality.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Long side of the working image the segmenter runs on (the mask is upscaled).
WORK_SIDE = 256
#: Long side GrabCut itself runs at: below WORK_SIDE its seeds are scaled down to it and its mask back up.
#: Kept at WORK_SIDE: at 192 the cut-out costs a third less (107 against 155 CPU ms a home photo) and the 150
#: composites of benchmarks/segmentation_quality.py barely move (mean IoU 0.897 against 0.900, failures 6.7 %
#: both), but with the round-4 colour reader the colour names lose 5 of 358 labelled photos
#: (benchmarks/colour_quality.py, fresh cache: 0.824 against 0.838; round-2 and round-4 held-out parts 3 each).
GRABCUT_SIDE = WORK_SIDE
#: A cut-out covering less / more of the frame than this is not believed.
MIN_COVERAGE = 0.02
MAX_COVERAGE = 0.95
#: Other components are kept when at least this share of the largest (shoe pairs).
KEEP_COMPONENT_SHARE = 0.15
_BORDER_CLUSTERS = 6
#: A minor border colour is garment only if it fills more of the centre than this times its border share.
_CENTRE_OVER_BORDER = 1.0
#: Edge support handicap of the bold model (it must win clearly).
_BOLD_TRUST = 0.85
#: Background models tried, as (min, max) Lab spread per channel of a border
#: cluster and the centre share above which a minor border cluster counts as
#: garment: tight; loose in lightness (shading, highlights on the background);
#: quick to call a border colour garment (a dress touching three edges).  The
#: cut-out whose outline follows the strongest edges (times the trust) wins.
_TOLERANCES: tuple[tuple[np.ndarray, np.ndarray, float, float], ...] = (
    (np.array((3.0, 2.0, 2.0), np.float32), np.array((10.0, 6.0, 6.0), np.float32), 0.3, 1.0),
    (np.array((6.0, 2.0, 2.0), np.float32), np.array((16.0, 6.0, 6.0), np.float32), 0.3, 1.0),
    (np.array((3.0, 2.0, 2.0), np.float32), np.array((10.0, 6.0, 6.0), np.float32), 0.12, _BOLD_TRUST),
)
#: Normalised distance under which a pixel has a border cluster's colour.
_SAME_COLOUR = 3.0
#: Score (0-255) above which GrabCut starts a pixel as probable garment.
_PROBABLE_GARMENT = 64
#: Score below which a pixel has the background's colour so plainly that GrabCut may not claim it.
_SURE_BACKGROUND = 20
#: Opening kernel (working-resolution pixels) that strips seams, cracks and hanger wires.
_OPEN_SIDE = 3
#: Parts thinner than this (working pixels) that stick out of the garment are cut off.
_LINE_SIDE = 9
_GRABCUT_ITERATIONS = 3
#: Studio fast path: Lab distance within which a border pixel is of the backdrop's colour, the share of
#: border pixels that must be so for a "plain backdrop", and the distance under which a pixel is backdrop.
_STUDIO_PLAIN = 6.0
_STUDIO_BORDER_SHARE = 0.97
_STUDIO_THRESHOLD = 9.0
#: Rough masks agreeing this well (IoU) count as the same evidence: one GrabCut is enough.
_SAME_EVIDENCE = 0.97


@dataclass(frozen=True)
class Cutout:
    """Where the garment is: a full-size mask, its bounding box and how it was found."""

    mask: np.ndarray  # uint8 HxW, 255 = garment
    bbox: tuple[int, int, int, int]  # x, y, w, h
    method: str  # "alpha", "studio", "grabcut", "fallback-threshold", "fallback-ellipse"
    coverage: float  # garment share of the image, 0-1


def cut_out(rgb: np.ndarray, alpha: np.ndarray | None = None) -> Cutout:
    """Find the garment in ``rgb`` (uint8 HxWx3); never raises on a valid image."""
    if rgb.ndim == 2:
        rgb = np.dstack([rgb, rgb, rgb])
    rgb = np.ascontiguousarray(rgb[..., :3], np.uint8)
    height, width = rgb.shape[:2]
    if alpha is not None and alpha.shape[:2] == (height, width):
        mask = np.where(alpha >= 128, 255, 0).astype(np.uint8)
        if _plausible(mask):
            return _finish(mask, "alpha")
    if min(height, width) < 16:
        return _finish(_ellipse(height, width), "fallback-ellipse")
    try:
        small = _to_work_size(rgb)
        mask_small, method = studio_cut(small), "studio"
        if mask_small is None:
            mask_small, method = _segment_small(small)
    except cv2.error:
        mask_small, method = None, "fallback-ellipse"
    if mask_small is None:
        return _finish(_ellipse(height, width), "fallback-ellipse")
    mask = cv2.resize(mask_small, (width, height), interpolation=cv2.INTER_LINEAR)
    return _finish(np.where(mask >= 128, 255, 0).astype(np.uint8), method)


def studio_cut(small: np.ndarray) -> np.ndarray | None:
    """The fast path for product photos: a plain studio background (white, grey or any one flat colour)
    is flood-filled from the border by a colour threshold; None when the border is not plain or the
    result is not believable (then the full segmenter runs)."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (3, 3), 0), cv2.COLOR_RGB2Lab).astype(np.float32)
    height, width = lab.shape[:2]
    band = _border_mask(height, width)
    border = lab[band]
    centre = np.median(border, axis=0)
    distance = np.linalg.norm(lab - centre, axis=2)
    if np.mean(distance[band] < _STUDIO_PLAIN) < _STUDIO_BORDER_SHARE:
        return None  # a bed, a floor, a room: not a studio shot
    background = np.where(distance < _STUDIO_THRESHOLD, 255, 0).astype(np.uint8)
    _count, labels = cv2.connectedComponents(background, connectivity=4)
    backdrop = np.unique(labels[band])
    backdrop = backdrop[backdrop > 0]  # label 0: pixels unlike the backdrop
    garment = np.where(np.isin(labels, backdrop), 0, 255).astype(np.uint8)
    mask = _clean(garment)
    on_border = np.count_nonzero(mask[band]) / max(1, int(band.sum()))
    return mask if _plausible(mask) and on_border < 0.25 else None


def _segment_small(small: np.ndarray) -> tuple[np.ndarray | None, str]:
    """Try each background tolerance; keep the plausible mask whose outline follows the strongest edges."""
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    lab = cv2.cvtColor(blurred, cv2.COLOR_RGB2Lab).astype(np.float32)
    edges = _edge_strength(lab)
    clusters = _border_clusters(lab)
    best: tuple[float, np.ndarray, str] | None = None
    roughs: list[np.ndarray] = []
    for min_spread, max_spread, garment_share, trust in _TOLERANCES:
        score, bg_seed = _background_distance(lab, clusters, min_spread, max_spread, garment_share)
        rough = _threshold(score)
        if any(_iou(rough, earlier) > _SAME_EVIDENCE for earlier in roughs):
            continue  # same evidence as a tolerance already tried: spare the GrabCut
        roughs.append(rough)
        mask = _clean(_grabcut(small, score, bg_seed, rough))
        if _plausible(mask):
            support = trust * _edge_support(edges, mask)
            if best is None or support > best[0]:
                best = (support, mask, "grabcut")
    if best is not None:
        return best[1], best[2]
    for rough in roughs:
        mask = _clean(rough)
        if _plausible(mask):
            return mask, "fallback-threshold"
    return None, "fallback-ellipse"


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.count_nonzero(a | b)
    return np.count_nonzero(a & b) / union if union else 1.0


def _edge_strength(lab: np.ndarray) -> np.ndarray:
    gx = cv2.Sobel(lab, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(lab, cv2.CV_32F, 0, 1, ksize=3)
    return np.sqrt((gx**2 + gy**2).sum(axis=2))


def _edge_support(edges: np.ndarray, mask: np.ndarray) -> float:
    """Mean edge strength along the mask's outline (image borders excluded), relative to the image's."""
    outline = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    outline[:2], outline[-2:], outline[:, :2], outline[:, -2:] = False, False, False, False
    if not outline.any():
        return 0.0
    return float(edges[outline].mean() / (edges.mean() + 1e-6))


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


def _border_clusters(lab: np.ndarray) -> list[np.ndarray]:
    """Lab pixels of the photo's border band, split by k-means into the background's colours."""
    height, width = lab.shape[:2]
    samples = _subsample(lab[_border_mask(height, width)], 2000)
    k = min(_BORDER_CLUSTERS, len(samples))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    cv2.setRNGSeed(7)
    _, labels, _ = cv2.kmeans(samples, k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)
    labels = labels.ravel()
    # A cluster with under 4% of the border is a stray object or a sliver of garment.
    return [samples[labels == index] for index in range(k) if np.mean(labels == index) >= 0.04]


def _background_distance(
    lab: np.ndarray, clusters: list[np.ndarray], min_spread: np.ndarray, max_spread: np.ndarray, garment_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel distance (0-255) from the border's colours, and the sure-background border seed.

    Each cluster's Lab spread is clipped to [min_spread, max_spread]; a cluster
    that covers under half the border but more than ``garment_share`` of the
    centre is the garment touching the edge and is left out of the background model.
    """
    height, width = lab.shape[:2]
    border_total = sum(len(members) for members in clusters)
    centre = _subsample(lab[height // 4 : height - height // 4, width // 4 : width - width // 4].reshape(-1, 3), 1500)
    models = []
    for members in clusters:
        mean = members.mean(axis=0)
        spread = np.clip(members.std(axis=0), min_spread, max_spread).astype(np.float32)
        centre_share = float(np.mean(_distance(centre, mean, spread) < _SAME_COLOUR))
        models.append((len(members) / border_total, centre_share, mean, spread))
    kept = [m for m in models if not (m[0] < 0.5 and m[1] > max(garment_share, _CENTRE_OVER_BORDER * m[0]))] or models
    flat = lab.reshape(-1, 3)
    best = np.full(flat.shape[0], np.inf, np.float32)
    for _, _, mean, spread in kept:
        np.minimum(best, _squared_distance(flat, mean, spread), out=best)
    np.sqrt(best, out=best)  # the root of the least square is the least root: one root per pixel
    score = np.clip(best * (255.0 / (4 * _SAME_COLOUR)), 0, 255).reshape(height, width).astype(np.uint8)
    score = cv2.medianBlur(score, 5)
    return score, _border_mask(height, width) & (score < 50)


def _distance(points: np.ndarray, mean: np.ndarray, spread: np.ndarray) -> np.ndarray:
    return np.sqrt(_squared_distance(points, mean, spread))


def _squared_distance(points: np.ndarray, mean: np.ndarray, spread: np.ndarray) -> np.ndarray:
    scaled = points - mean
    scaled /= spread
    return np.einsum("ij,ij->i", scaled, scaled)  # the sum of squares without an array of the squares


def _subsample(points: np.ndarray, count: int) -> np.ndarray:
    if len(points) <= count:
        return np.ascontiguousarray(points, np.float32)
    return np.ascontiguousarray(points[np.linspace(0, len(points) - 1, count).astype(int)], np.float32)


def _threshold(score: np.ndarray) -> np.ndarray:
    level, _ = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.where(score > max(level, 64), 255, 0).astype(np.uint8)


def _grabcut(small: np.ndarray, score: np.ndarray, bg_seed: np.ndarray, rough: np.ndarray) -> np.ndarray:
    mask = np.full(score.shape, cv2.GC_PR_BGD, np.uint8)
    mask[score > _PROBABLE_GARMENT] = cv2.GC_PR_FGD
    mask[rough > 0] = cv2.GC_PR_FGD
    core = cv2.erode(_clean(rough), np.ones((9, 9), np.uint8))
    mask[core > 0] = cv2.GC_FGD
    mask[bg_seed] = cv2.GC_BGD
    mask[score < _SURE_BACKGROUND] = cv2.GC_BGD
    if not (mask == cv2.GC_FGD).any() and not (mask == cv2.GC_PR_FGD).any():
        return rough
    height, width = score.shape[:2]
    bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
    scale = GRABCUT_SIDE / max(height, width)
    if scale < 1.0:  # GrabCut on a smaller image: the seeds by nearest neighbour, the photo by area
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        mask = cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST)
        bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(bgr, mask, None, bgd, fgd, _GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    garment = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    if garment.shape != (height, width):
        garment = cv2.resize(garment, (width, height), interpolation=cv2.INTER_LINEAR)
        garment = np.where(garment >= 128, 255, 0).astype(np.uint8)
    return garment


def _clean(mask: np.ndarray) -> np.ndarray:
    """Open, close, keep the main component(s) and fill their holes."""
    side = max(3, round(min(mask.shape) / 80) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    opening = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_OPEN_SIDE, _OPEN_SIDE))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, opening)
    if _LINE_SIDE > 0:  # strip floor seams, sticks and cables: keep only what lies near the thick body
        body = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _disc(_LINE_SIDE))
        mask = cv2.bitwise_and(mask, cv2.dilate(body, _disc(_OPEN_SIDE + 2)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = 1 + np.flatnonzero(areas >= KEEP_COMPONENT_SHARE * areas.max())
    mask = np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)
    return _fill_holes(mask)


def _disc(side: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))


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
