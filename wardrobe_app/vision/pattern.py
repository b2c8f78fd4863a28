"""Is the garment patterned (stripes, check, print) or plain? Texture and colour structure inside the cut-out.

On a working-size crop of the garment, edges are measured inside the eroded
mask (the outline itself does not count): the share of pixels on a sharp
lightness edge and on a colour (a, b) edge, and the share of pixels with
fine-scale contrast (a difference of Gaussians: small dots, gingham and
ditsy florals that are too fine for a sharp edge at working size).  Folds
and shadows are soft and change lightness, not colour; prints are sharp or
fine and often change colour.  A garment is patterned when it has enough
sharp edges or enough fine contrast, and either enough colour edges or two
well-separated colours of real share (a one-colour knit is texture).  The kind follows the edge
orientations: one dominant direction is stripes, two at right angles a check,
anything else a print (florals, dots, camouflage, animal prints).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from wardrobe_app.domain import Colour
from wardrobe_app.vision.palette import ciede2000, to_lab

#: Long side of the garment crop the texture is read on.
WORK_SIDE = 160
#: Long side of the (finer) crop the fine-scale contrast is read on.
FINE_SIDE = 320
#: Erosion (working pixels) that keeps the garment's outline out of the texture.
INNER_MARGIN = 4
#: Lightness gradient (Lab L units per pixel) of a sharp edge; colour gradient (a, b units per pixel).
L_EDGE = 6.0
AB_EDGE = 4.0
#: Fine-scale contrast: Lab blurred at FINE_SIGMAS (working pixels) differ by at least FINE_CONTRAST.
FINE_SIGMAS = (0.7, 2.0)
FINE_CONTRAST = 3.0
#: Decision: patterned when the sharp-edge share reaches EDGE_SHARE or the fine-contrast share
#: reaches FINE_SHARE, and either the colour-edge share reaches COLOUR_EDGE_SHARE or two colours
#: of at least SECOND_SHARE each lie at least COLOUR_GAP (CIEDE2000) apart.  Chosen on the
#: benchmark's tuning parts (tune, holdout1, holdout2; benchmarks/colour_quality.py).
EDGE_SHARE = 0.3
FINE_SHARE = 0.35
COLOUR_EDGE_SHARE = 0.06
SECOND_SHARE = 0.12
COLOUR_GAP = 20.0
#: The crop is split into GRID x GRID cells for the edge share (median over cells).
GRID = 4
#: Orientation (12 bins of 15 degrees, each counted with its neighbours): the top direction and
#: the one at right angles holding CHECK_SHARE together, the second at least CHECK_BALANCE of the
#: first, is a check; else the top direction alone holding STRIPE_SHARE is stripes.
STRIPE_SHARE = 0.5
CHECK_SHARE = 0.6
CHECK_BALANCE = 0.5


@dataclass(frozen=True)
class Pattern:
    """The pattern's kind (None when plain) and the evidence it was read from."""

    name: str | None
    edge_share: float
    colour_edge_share: float
    colour_gap: float  # CIEDE2000 between the two largest well-represented colours, 0 if only one
    fine_share: float = 0.0  # share (median over cells) of pixels with fine-scale contrast


def read_pattern(rgb: np.ndarray, mask: np.ndarray, colours: tuple[Colour, ...]) -> Pattern:
    """Read the garment's pattern from ``rgb`` inside ``mask``; ``colours`` are its named colours."""
    crop, inner = _crop(rgb, mask, WORK_SIDE)
    gap = _colour_gap(colours)
    if crop is None or inner is None or np.count_nonzero(inner) < 50:
        return Pattern(name=None, edge_share=0.0, colour_edge_share=0.0, colour_gap=gap)
    lab = cv2.cvtColor(cv2.GaussianBlur(crop.astype(np.float32) / 255.0, (0, 0), 0.8), cv2.COLOR_RGB2Lab)
    gx = cv2.Sobel(lab, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(lab, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    l_mag = np.hypot(gx[..., 0], gy[..., 0])
    ab_mag = np.sqrt(gx[..., 1] ** 2 + gy[..., 1] ** 2 + gx[..., 2] ** 2 + gy[..., 2] ** 2)
    inside = inner > 0
    sharp = (l_mag > L_EDGE) | (ab_mag > AB_EDGE)
    edge_share = _spread_share(sharp, inside)
    colour_edge_share = float(np.mean(ab_mag[inside] > AB_EDGE))
    fine_share = _fine_share(rgb, mask)
    textured = edge_share >= EDGE_SHARE or fine_share >= FINE_SHARE
    patterned = textured and (colour_edge_share >= COLOUR_EDGE_SHARE or gap >= COLOUR_GAP)
    name = _kind(gx[..., 0][inside & sharp], gy[..., 0][inside & sharp]) if patterned else None
    return Pattern(
        name=name,
        edge_share=round(edge_share, 4),
        colour_edge_share=round(colour_edge_share, 4),
        colour_gap=round(gap, 2),
        fine_share=round(fine_share, 4),
    )


def _fine_share(rgb: np.ndarray, mask: np.ndarray) -> float:
    """Share (median over cells) of inside pixels whose Lab changes between two small blurs: fine detail."""
    crop, inner = _crop(rgb, mask, FINE_SIDE)
    if crop is None or inner is None or np.count_nonzero(inner) < 50:
        return 0.0
    lab = cv2.cvtColor(crop.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    sharp, soft = (cv2.GaussianBlur(lab, (0, 0), sigma) for sigma in FINE_SIGMAS)
    contrast = np.sqrt(((sharp - soft) ** 2).sum(axis=2))
    return _spread_share(contrast >= FINE_CONTRAST, inner > 0)


def _spread_share(flags: np.ndarray, inside: np.ndarray) -> float:
    """The median over a GRID x GRID split of the crop of each cell's share of flagged inside pixels.

    A print covers the garment; a logo, a zip or a trim lights up a few cells only.
    Cells with fewer than a quarter of their pixels inside the garment are skipped.
    """
    height, width = inside.shape
    shares = []
    for rows in np.array_split(np.arange(height), GRID):
        for cols in np.array_split(np.arange(width), GRID):
            if len(rows) == 0 or len(cols) == 0:  # a crop thinner than the grid
                continue
            cell_inside = inside[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
            if cell_inside.mean() < 0.25:
                continue
            cell = flags[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
            shares.append(float(cell[cell_inside].mean()))
    return float(np.median(shares)) if shares else float(np.mean(flags[inside]))


def _crop(rgb: np.ndarray, mask: np.ndarray, side: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    points = cv2.findNonZero((mask > 0).astype(np.uint8))
    if points is None:
        return None, None
    x, y, w, h = cv2.boundingRect(points)
    scale = min(1.0, side / max(w, h))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    crop = cv2.resize(np.ascontiguousarray(rgb[y : y + h, x : x + w]), size, interpolation=cv2.INTER_AREA)
    garment = cv2.resize(np.ascontiguousarray(mask[y : y + h, x : x + w]), size, interpolation=cv2.INTER_NEAREST)
    width = 2 * INNER_MARGIN + 1
    inner = cv2.erode((garment > 0).astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (width, width)))
    return crop, inner


def _colour_gap(colours: tuple[Colour, ...]) -> float:
    """CIEDE2000 between the two largest colours holding at least SECOND_SHARE each (0 when fewer)."""
    big = [c for c in colours if c.share >= SECOND_SHARE][:2]
    if len(big) < 2:
        return 0.0
    lab = to_lab(np.array([[int(c.hex[i : i + 2], 16) for i in (1, 3, 5)] for c in big], np.float32))
    return float(ciede2000(lab[0], lab[1]))


def _kind(gx: np.ndarray, gy: np.ndarray) -> str:
    """Stripes, check or print from the orientations of the sharp edges (magnitude-weighted)."""
    if len(gx) == 0:
        return "print"
    angle = np.degrees(np.arctan2(gy, gx)) % 180.0
    hist = np.bincount((angle // 15).astype(int) % 12, weights=np.hypot(gx, gy), minlength=12)
    hist = hist / max(hist.sum(), 1e-6)
    around = hist + np.roll(hist, 1) + np.roll(hist, -1)
    top = int(np.argmax(around))
    across = around[(top + 6) % 12]
    if around[top] + across >= CHECK_SHARE and across >= CHECK_BALANCE * around[top]:
        return "check"
    if around[top] >= STRIPE_SHARE:
        return "stripes"
    return "print"
