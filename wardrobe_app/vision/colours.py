"""Dominant garment colours: light corrected from the background, k-means in Lab, CIEDE2000-named.

Steps: the photo is read at one working scale (long side WORK_SIDE), so a
photo handed over at any size reads alike.  The garment's pixels (the cut-out
mask) are put under neutral light estimated from the background
(vision/lighting.py), unless the garment itself is light and neutral as
photographed (then the light was neutral and the "grey" background is a beige
floor), and clustered in CIE Lab.
Clusters that are the lit and shaded parts of one fabric (same chromaticity
or hue, brightness within a shading range) are joined into a material, named
at its lit brightness by the nearest palette prototype under CIEDE2000
(vision/palette.py).  Materials of one name merge; slivers are dropped; black
beside enough navy is the navy's shade (navy folds read black).  A
pattern (stripes, check, print) is read from the garment's texture and
colour structure (vision/pattern.py): the flag the outfit rules read as
``Item.multicolour``.  The dominant colour of a print is its ground colour.
Measured with benchmarks/colour_quality.py on benchmarks/colour_labels.csv.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, replace

import cv2
import numpy as np

from wardrobe_app.domain import Colour
from wardrobe_app.vision.lighting import (
    NO_CORRECTION,
    Lighting,
    corrected_linear,
    estimate_lighting,
    to_srgb,
)
from wardrobe_app.vision.palette import NEUTRALS, PALETTE, colour_name, name_lab, to_lab
from wardrobe_app.vision.pattern import read_pattern

__all__ = ["NEUTRALS", "PALETTE", "ColourReading", "colour_name", "read_colours"]

#: Long side the colours are read at: a photo handed over at any size reads alike.
WORK_SIDE = 640
#: Garment pixels sampled for clustering (speed); clusters before merging by name.
SAMPLE_PIXELS = 4000
CLUSTERS = 6
MAX_COLOURS = 5
#: Shares below this are dropped (seams, shadows) and the rest renormalised.
MIN_SHARE = 0.04
#: Clusters are one material (lit and shaded parts of one fabric) when their linear-RGB
#: chromaticities differ by at most CHROMA_TOLERANCE (L1) and their mean brightness by at
#: most a factor MAX_SHADE_RATIO.  A material is named at the LIT_PERCENTILE of its pixels'
#: brightness: the colour of the fabric under the light, not of its folds.
CHROMA_TOLERANCE = 0.06
MAX_SHADE_RATIO = 3.0
LIT_PERCENTILE = 75.0
#: Clusters that are both clearly coloured (Lab chroma at least HUE_MIN_CHROMA) are also one
#: material when their Lab hues lie within HUE_TOLERANCE degrees (camera tone curves move
#: chromaticity between lit and shaded parts; hue holds better).
HUE_MIN_CHROMA = 15.0
HUE_TOLERANCE = 12.0
_LUMINANCE = np.array((0.2126, 0.7152, 0.0722), np.float32)
#: A garment whose lit half is this close to neutral (Lab chroma of the median a, b) as photographed
#: keeps its colours: the light was neutral and the background is a beige surface, not grey.
GARMENT_NEUTRAL_CHROMA = 4.0
GARMENT_NEUTRAL_LIGHTNESS = 65.0
#: Black beside a dark colour of these names holding at least SHADOWED_SHARE is that colour's
#: shade (a navy dress's folds read black): its share joins the colour's.
SHADOWED: tuple[str, ...] = ("navy",)
SHADOWED_SHARE = 0.25
#: k-means seed and attempts (the most compact of ATTEMPTS runs is kept: steadier names).
SEED = 11
ATTEMPTS = 3


@dataclass(frozen=True)
class ColourReading:
    """The garment's dominant colours (share-sorted, at most five) and its pattern, if any.

    ``multicolour`` is the pattern flag the closet stores (``Item.multicolour``):
    true exactly when ``pattern`` names one ("stripes", "check" or "print").
    """

    colours: tuple[Colour, ...]
    multicolour: bool
    pattern: str | None = None
    lighting: Lighting = NO_CORRECTION


def read_colours(rgb: np.ndarray, mask: np.ndarray, correct_light: bool = True) -> ColourReading:
    """Name the colours of the garment pixels of ``rgb`` (where ``mask`` > 0), light corrected from the rest."""
    if rgb.ndim == 2:
        rgb = np.dstack([rgb, rgb, rgb])
    rgb = np.ascontiguousarray(rgb[..., :3], np.uint8)
    mask = np.ascontiguousarray(mask, np.uint8)
    rgb, mask = _working_size(rgb, mask)
    lighting = estimate_lighting(rgb, mask) if correct_light else NO_CORRECTION
    has_garment = bool(np.count_nonzero(mask))
    pixels = rgb[mask > 0] if has_garment else rgb.reshape(-1, 3)
    if len(pixels) == 0:
        return ColourReading(colours=(), multicolour=False, lighting=lighting)
    if len(pixels) > SAMPLE_PIXELS:
        pixels = pixels[np.linspace(0, len(pixels) - 1, SAMPLE_PIXELS).astype(int)]
    lighting = _trusting_a_neutral_garment(pixels, lighting)
    linear = corrected_linear(pixels, lighting)
    lab = np.ascontiguousarray(to_lab(to_srgb(linear)), np.float32)
    labels, k = _cluster(lab, pixels)
    colours = _name_materials(linear, labels, k)
    pattern = read_pattern(rgb, mask if has_garment else np.full(mask.shape, 255, np.uint8), colours)
    return ColourReading(colours=colours, multicolour=pattern.name is not None, pattern=pattern.name, lighting=lighting)


def _trusting_a_neutral_garment(pixels: np.ndarray, lighting: Lighting) -> Lighting:
    """The lighting without its colour gains when the garment's lit half is itself neutral as photographed.

    A white or grey garment that looks neutral in the photo was lit by neutral light: the
    background that asked for a correction is a beige floor or wall, not grey under a warm bulb
    (correcting it would turn the white shirt light blue).  Exposure is kept.
    """
    if lighting.gains == (1.0, 1.0, 1.0) or GARMENT_NEUTRAL_CHROMA <= 0:
        return lighting
    lab = to_lab(pixels)
    lit = lab[lab[:, 0] >= np.median(lab[:, 0])]
    chroma = float(np.hypot(np.median(lit[:, 1]), np.median(lit[:, 2])))
    if chroma >= GARMENT_NEUTRAL_CHROMA or float(np.median(lit[:, 0])) < GARMENT_NEUTRAL_LIGHTNESS:
        return lighting
    return replace(lighting, gains=(1.0, 1.0, 1.0))


def _working_size(rgb: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The photo and mask with the long side at most WORK_SIDE (area-averaged): one scale whatever the input."""
    height, width = rgb.shape[:2]
    if mask.shape != (height, width):
        raise ValueError(f"mask shape {mask.shape} does not match the photo's {(height, width)}")
    if max(height, width) <= WORK_SIDE:
        return rgb, mask
    scale = WORK_SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return small, cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST)


def _cluster(lab: np.ndarray, pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """k-means labels of the Lab pixels and the number of clusters (fewer when there are fewer colours)."""
    codes = pixels.astype(np.int32) @ np.array((65536, 256, 1), np.int32)
    k = min(CLUSTERS, len(np.unique(codes)))
    if k <= 1:
        return np.zeros(len(lab), np.int32), 1
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(SEED)
    _, labels, _ = cv2.kmeans(lab, k, None, criteria, ATTEMPTS, cv2.KMEANS_PP_CENTERS)
    return labels.ravel(), k


def _name_materials(linear: np.ndarray, labels: np.ndarray, k: int) -> tuple[Colour, ...]:
    """Group clusters into materials (same chromaticity, lit or shaded), name each, merge names, drop slivers."""
    luminance = linear @ _LUMINANCE
    sums = np.zeros((k, 3), np.float64)
    np.add.at(sums, labels, linear.astype(np.float64))
    counts = np.bincount(labels, minlength=k)
    groups = _materials(sums, counts)
    total = len(labels)
    named: dict[str, tuple[np.ndarray, int]] = {}
    for members in groups:
        inside = np.isin(labels, members)
        count = int(np.count_nonzero(inside))
        if count == 0:
            continue
        chroma = sums[members].sum(axis=0) / max(float(sums[members].sum()), 1e-9)
        level = float(np.percentile(luminance[inside], LIT_PERCENTILE))
        colour = chroma * (level / max(float(chroma @ _LUMINANCE), 1e-9))
        srgb = to_srgb(np.clip(colour, 0.0, 1.0)[None, :])[0].astype(np.float64)
        name = name_lab(to_lab(srgb[None, :]))[0]
        previous, weight = named.get(name, (np.zeros(3), 0))
        named[name] = (previous + srgb * count, weight + count)
    kept = {name: g for name, g in named.items() if g[1] / total >= MIN_SHARE} or named
    kept_total = sum(weight for _, weight in kept.values())
    colours = []
    for name, (weighted, weight) in kept.items():
        mean = weighted / weight
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
    return tuple(_shadows_joined(colours)[:MAX_COLOURS])


def _shadows_joined(colours: list[Colour]) -> list[Colour]:
    """Black counted as the shade of a dark colour (navy) that holds at least SHADOWED_SHARE beside it."""
    names = [colour.name for colour in colours]
    if "black" not in names:
        return colours
    black = colours[names.index("black")]
    for dark in SHADOWED:
        if dark in names and colours[names.index(dark)].share >= SHADOWED_SHARE:
            host = colours[names.index(dark)]
            joined = replace(host, share=min(1.0, round(host.share + black.share, 4)))
            rest = [colour for colour in colours if colour.name not in ("black", dark)]
            return sorted([joined, *rest], key=lambda colour: colour.share, reverse=True)
    return colours


def _materials(sums: np.ndarray, counts: np.ndarray) -> list[list[int]]:
    """Clusters joined (complete linkage) when their chromaticities are close and brightness differs as shading does."""
    present = [i for i in range(len(counts)) if counts[i] > 0]
    chroma = {i: sums[i] / max(float(sums[i].sum()), 1e-9) for i in present}
    level = {i: max(float(sums[i] @ _LUMINANCE) / counts[i], 1e-6) for i in present}
    lab = {i: to_lab(to_srgb(sums[i][None, :] / counts[i]))[0] for i in present}
    hue = {i: float(np.degrees(np.arctan2(lab[i][2], lab[i][1]))) for i in present}
    vivid = {i: float(np.hypot(lab[i][1], lab[i][2])) >= HUE_MIN_CHROMA for i in present}

    def same(i: int, j: int) -> bool:
        ratio = max(level[i], level[j]) / min(level[i], level[j])
        if ratio > MAX_SHADE_RATIO:
            return False
        if float(np.abs(chroma[i] - chroma[j]).sum()) <= CHROMA_TOLERANCE:
            return True
        turn = abs(hue[i] - hue[j]) % 360.0
        return vivid[i] and vivid[j] and min(turn, 360.0 - turn) <= HUE_TOLERANCE

    groups = [[i] for i in present]
    while True:
        best: tuple[float, int, int] | None = None
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if all(same(i, j) for i in groups[a] for j in groups[b]):
                    gap = max(float(np.abs(chroma[i] - chroma[j]).sum()) for i in groups[a] for j in groups[b])
                    if best is None or gap < best[0]:
                        best = (gap, a, b)
        if best is None:
            return groups
        _, a, b = best
        groups[a] = groups[a] + groups[b]
        del groups[b]


def _hsv(rgb: np.ndarray) -> tuple[float, float, float]:
    r, g, b = (float(np.clip(channel, 0, 255)) / 255.0 for channel in rgb)
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return h * 360.0, s, v


def _hex(rgb: np.ndarray) -> str:
    r, g, b = (round(float(np.clip(channel, 0, 255))) for channel in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"
