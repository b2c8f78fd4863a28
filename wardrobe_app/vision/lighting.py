"""White balance and exposure from the photo's background: the cut-out tells garment from surroundings.

The near-neutral part of the background (white sheets, walls, tiles, a grey
floor) should be grey: its mean colour, taken on its brighter half (a white
patch estimate that ignores shadows), gives per-channel gains in linear RGB
(von Kries).  A background with too little near-neutral area (a red blanket,
a wooden floor) gives no colour evidence and leaves the colours alone.  The
same reference sets the exposure: a dim neutral background brightens the
photo.  Every correction is bounded, so a beige wall is never turned white
at the garment's expense.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from wardrobe_app.vision.palette import to_lab

#: Long side of the image the background is read on.
WORK_SIDE = 128
#: Background pixels within this many working pixels of the garment are left out (blur, shadow).
GARMENT_MARGIN = 4
#: A background pixel is near-neutral when (a / NEUTRAL_A)^2 + (b / NEUTRAL_B)^2 < 1 in Lab: light
#: casts run along b (warm-cool), so a neutral surface may carry more b than a (green-magenta).
NEUTRAL_A = 10.0
NEUTRAL_B = 26.0
#: Lightness range of usable neutral pixels: not deep shadow, not clipped highlight.
NEUTRAL_L = (30.0, 98.0)
#: At least this share of the background, and this many pixels, must be near-neutral to correct colour.
MIN_NEUTRAL_SHARE = 0.25
MIN_NEUTRAL_PIXELS = 60
#: Largest per-channel gain (and smallest, its inverse) of the white balance.
MAX_CHANNEL_GAIN = 1.3
#: The neutral reference's brightness (max channel, linear 0-1) that needs no exposure change.
EXPOSURE_TARGET = 0.6
#: Largest brightening; photos are never darkened.
MAX_EXPOSURE_GAIN = 1.5


#: Share of a green-magenta cast that is corrected (a warm or cool one is corrected in full).
TINT_WEIGHT = 0.3
_WARM_COOL = np.array((1.0, 0.0, -1.0)) / np.sqrt(2.0)
_TINT = np.array((-1.0, 2.0, -1.0)) / np.sqrt(6.0)
_LUMINANCE = np.array((0.2126, 0.7152, 0.0722))


@dataclass(frozen=True)
class Lighting:
    """Linear-RGB gains to apply to the garment's pixels, and what they were read from."""

    gains: tuple[float, float, float]
    exposure: float
    neutral_share: float  # share of the background that was near-neutral

    @property
    def identity(self) -> bool:
        return self.exposure == 1.0 and self.gains == (1.0, 1.0, 1.0)


NO_CORRECTION = Lighting(gains=(1.0, 1.0, 1.0), exposure=1.0, neutral_share=0.0)

_TO_LINEAR: np.ndarray = np.where(
    np.arange(256) / 255.0 <= 0.04045, np.arange(256) / 255.0 / 12.92, ((np.arange(256) / 255.0 + 0.055) / 1.055) ** 2.4
).astype(np.float32)


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """Linear RGB (0-1) of uint8 sRGB values."""
    return _TO_LINEAR[np.asarray(rgb, np.uint8)]


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """sRGB values 0-255 (float) of linear RGB, clipped to the gamut."""
    linear = np.clip(linear, 0.0, 1.0)
    encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * np.power(linear, 1.0 / 2.4) - 0.055)
    return np.asarray(encoded * 255.0, np.float32)


def background_pixels(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The photo's background (uint8 RGB rows) at working size, kept GARMENT_MARGIN away from the garment."""
    height, width = rgb.shape[:2]
    scale = min(1.0, WORK_SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(np.ascontiguousarray(rgb), size, interpolation=cv2.INTER_AREA)
    garment = cv2.resize(np.ascontiguousarray(mask), size, interpolation=cv2.INTER_NEAREST) > 0
    if garment.all() or not garment.any():
        return np.zeros((0, 3), np.uint8)
    near = cv2.dilate(garment.astype(np.uint8), np.ones((2 * GARMENT_MARGIN + 1,) * 2, np.uint8)) > 0
    return np.ascontiguousarray(small[~near])


def estimate_lighting(rgb: np.ndarray, mask: np.ndarray) -> Lighting:
    """Gains that make the near-neutral background grey and not too dim (bounded); identity without evidence."""
    return lighting_from_background(background_pixels(rgb, mask))


def lighting_from_background(background: np.ndarray) -> Lighting:
    """The lighting read from background pixels (uint8 RGB rows, as background_pixels gives them)."""
    if len(background) < MIN_NEUTRAL_PIXELS:
        return NO_CORRECTION
    lab = to_lab(background)
    cast = (lab[:, 1] / NEUTRAL_A) ** 2 + (lab[:, 2] / NEUTRAL_B) ** 2
    neutral = (cast < 1.0) & (lab[:, 0] > NEUTRAL_L[0]) & (lab[:, 0] < NEUTRAL_L[1])
    share = float(np.mean(neutral))
    if share < MIN_NEUTRAL_SHARE or np.count_nonzero(neutral) < MIN_NEUTRAL_PIXELS:
        return Lighting(gains=(1.0, 1.0, 1.0), exposure=1.0, neutral_share=share)
    lightness = lab[neutral, 0]
    bright = to_linear(background[neutral][lightness >= np.median(lightness)])
    reference = bright.mean(axis=0).astype(np.float64) + 1e-4
    log_gains = np.log(reference.mean() / reference)
    # Real light varies along the warm-cool (red-blue) axis; a green-magenta "cast" is more
    # often a coloured wall, so only TINT_WEIGHT of it is corrected.
    warm_cool = float(log_gains @ _WARM_COOL) * _WARM_COOL
    tint = float(log_gains @ _TINT) * _TINT
    gains = np.clip(np.exp(warm_cool + TINT_WEIGHT * tint), 1.0 / MAX_CHANNEL_GAIN, MAX_CHANNEL_GAIN)
    gains = gains / float(gains @ _LUMINANCE)  # keep luminance: exposure is separate
    level = float(np.max(reference * gains))
    exposure = float(np.clip(EXPOSURE_TARGET / max(level, 1e-3), 1.0, MAX_EXPOSURE_GAIN))
    return Lighting(
        gains=(round(float(gains[0]), 4), round(float(gains[1]), 4), round(float(gains[2]), 4)),
        exposure=round(exposure, 4),
        neutral_share=round(share, 4),
    )


def corrected_linear(rgb: np.ndarray, lighting: Lighting) -> np.ndarray:
    """Linear RGB (0-1, clipped) of uint8 sRGB pixels under the corrected light."""
    linear = to_linear(rgb)
    if lighting.identity:
        return linear
    return np.clip(linear * (np.asarray(lighting.gains, np.float32) * np.float32(lighting.exposure)), 0.0, 1.0)
