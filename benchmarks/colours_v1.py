"""The 1.0.0 colour reader (HSV rules, no light correction), kept only so benchmarks/colour_quality.py can compare."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import cv2
import numpy as np

from wardrobe_app.domain import Colour

#: Every colour name read_colours can return.
PALETTE: tuple[str, ...] = (
    "black",
    "white",
    "grey",
    "navy",
    "blue",
    "light blue",
    "red",
    "burgundy",
    "pink",
    "orange",
    "yellow",
    "beige",
    "cream",
    "khaki",
    "brown",
    "olive",
    "green",
    "teal",
    "purple",
    "lilac",
)
NEUTRALS: frozenset[str] = frozenset({"black", "white", "grey", "beige", "cream", "navy"})

#: Garment pixels sampled for clustering (speed); clusters before merging by name.
SAMPLE_PIXELS = 4000
CLUSTERS = 5
MAX_COLOURS = 5
#: Shares below this are dropped (seams, shadows) and the rest renormalised.
MIN_SHARE = 0.04
#: Multicolour when the top colour has less than this share and either two
#: non-neutral colours at least MULTI_HUE_GAP apart in hue each hold at least
#: MULTI_MIN_SHARE, or one does and three colours in all hold that much
#: (a print on a neutral base).  Neutrals: black, white, grey, beige, cream, navy.
MULTI_TOP_SHARE = 0.5
MULTI_MIN_SHARE = 0.12
#: Two non-neutral colours closer in hue than this (degrees) are shades of one (brown and burgundy leather).
MULTI_HUE_GAP = 40.0


@dataclass(frozen=True)
class ColourReading:
    """The garment's dominant colours (share-sorted, at most five) and a pattern flag."""

    colours: tuple[Colour, ...]
    multicolour: bool


def colour_name(h: float, s: float, v: float) -> str:
    """Name an HSV colour (h in degrees 0-360, s and v 0-1) from PALETTE."""
    h = h % 360.0
    # Indoor photos carry warm or cool casts: very dark pixels read black whatever their hue.
    if v < 0.22 or (v < 0.3 and s < 0.5):
        return "black"
    if s < 0.12 or (s < 0.14 and v <= 0.85) or (s < 0.2 and v < 0.6):
        if v > 0.85:
            return "white"
        return "grey"
    if h < 12 or h >= 345:
        if v < 0.5:
            return "burgundy" if s > 0.4 else "brown"
        return "pink" if s < 0.45 and v > 0.7 else "red"
    if h < 45:
        if v < 0.55 or (s > 0.45 and v < 0.7):
            return "brown"
        if s < 0.3:
            return "cream" if v > 0.88 and s < 0.2 else "beige"
        if s < 0.45 and v > 0.75:
            return "beige" if h > 22 else "pink"
        return "orange"
    if h < 70:
        if s < 0.3 and v > 0.8:
            return "cream"
        if s < 0.45:
            return "khaki" if v > 0.5 else "olive"
        return "yellow" if v > 0.6 else "olive"
    if h < 160:
        if v < 0.55 and h < 100:
            return "olive"
        return "green"
    if h < 195:
        if s < 0.3 and v > 0.55:
            return "light blue"
        return "teal" if v < 0.7 or s > 0.5 else "light blue"
    if h < 250:
        if v < 0.45:
            return "navy"
        return "light blue" if s < 0.45 and v > 0.7 else "blue"
    if h < 290:
        if v < 0.45 and h < 265:
            return "navy"
        return "lilac" if s < 0.45 and v > 0.6 else "purple"
    if v < 0.45:
        return "burgundy" if h > 315 else "purple"
    if h < 315:
        return "lilac" if s < 0.45 else "purple"
    return "pink"


def read_colours(rgb: np.ndarray, mask: np.ndarray) -> ColourReading:
    """Cluster the garment pixels of ``rgb`` (where ``mask`` > 0) into named colours."""
    step = max(1, int(np.sqrt(rgb.shape[0] * rgb.shape[1] / 250_000)))
    rgb, mask = rgb[::step, ::step], mask[::step, ::step]  # a grid subsample first: cheap on big photos
    pixels = rgb[mask > 0] if np.count_nonzero(mask) else rgb.reshape(-1, 3)
    if len(pixels) == 0:
        return ColourReading(colours=(), multicolour=False)
    if len(pixels) > SAMPLE_PIXELS:
        pixels = pixels[np.linspace(0, len(pixels) - 1, SAMPLE_PIXELS).astype(int)]
    pixels = np.ascontiguousarray(pixels, np.uint8)
    lab = cv2.cvtColor(pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2Lab).reshape(-1, 3).astype(np.float32)
    k = min(CLUSTERS, len(np.unique(pixels, axis=0)))
    if k <= 1:
        centres_rgb, counts = pixels[:1].astype(np.float32), np.array([len(pixels)])
    else:
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
        cv2.setRNGSeed(11)
        _, labels, _ = cv2.kmeans(lab, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
        labels = labels.ravel()
        counts = np.bincount(labels, minlength=k)
        # Centres in RGB as the mean of their members (exact, unlike an 8-bit Lab round trip).
        sums = np.zeros((k, 3), np.float64)
        np.add.at(sums, labels, pixels.astype(np.float64))
        centres_rgb = (sums / np.maximum(counts, 1)[:, None]).astype(np.float32)
    return _merge(centres_rgb, counts)


def _merge(centres_rgb: np.ndarray, counts: np.ndarray) -> ColourReading:
    """Merge clusters of the same name (count-weighted mean), drop slivers, flag patterns."""
    groups: dict[str, tuple[np.ndarray, int]] = {}
    for centre, count in zip(centres_rgb, counts, strict=True):
        if count == 0:
            continue
        name = colour_name(*_hsv(centre))
        total, weight = groups.get(name, (np.zeros(3), 0))
        groups[name] = (total + centre * count, weight + int(count))
    everything = sum(weight for _, weight in groups.values())
    kept = {name: g for name, g in groups.items() if g[1] / everything >= MIN_SHARE} or groups
    kept_total = sum(weight for _, weight in kept.values())
    colours = []
    for name, (total, weight) in kept.items():
        mean = total / weight
        h, s, v = _hsv(mean)
        colours.append(
            Colour(
                name=name,
                hex=_hex(mean),
                hsv=(round(h, 1), round(s, 3), round(v, 3)),
                share=round(weight / kept_total, 4),
            )
        )
    colours.sort(key=lambda colour: colour.share, reverse=True)
    colours = colours[:MAX_COLOURS]
    return ColourReading(colours=tuple(colours), multicolour=_is_multicolour(colours))


def _is_multicolour(colours: list[Colour]) -> bool:
    """No colour dominates and the rest are really different colours, not shades of one."""
    if not colours or colours[0].share >= MULTI_TOP_SHARE:
        return False
    hues: list[float] = []
    for colour in colours:
        if colour.name in NEUTRALS or colour.share < MULTI_MIN_SHARE:
            continue
        if all(_hue_gap(colour.hsv[0], hue) > MULTI_HUE_GAP for hue in hues):
            hues.append(colour.hsv[0])
    distinct = [c for c in colours if c.share >= MULTI_MIN_SHARE]
    return len(hues) >= 2 or (len(hues) >= 1 and len(distinct) >= 3)


def _hue_gap(a: float, b: float) -> float:
    gap = abs(a - b) % 360.0
    return min(gap, 360.0 - gap)


def _hsv(rgb: np.ndarray) -> tuple[float, float, float]:
    r, g, b = (float(np.clip(channel, 0, 255)) / 255.0 for channel in rgb)
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return h * 360.0, s, v


def _hex(rgb: np.ndarray) -> str:
    r, g, b = (round(float(np.clip(channel, 0, 255))) for channel in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"
