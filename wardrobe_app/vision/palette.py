"""Colour names a person would use: sRGB prototypes per name, CIE Lab and CIEDE2000 nearest-name lookup."""

from __future__ import annotations

import colorsys

import cv2
import numpy as np

#: Each name's prototypes (sRGB hex): the shades a person still calls by that name.
#: Several per name so a name covers its family (light and dark washes of denim,
#: tan and chocolate browns) without stealing from its neighbours.  Greyed greens (sage, olive
#: drab: Lab chroma about 10) are green and olive, not grey.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    "black": ("#111111", "#1b1b20", "#211d1d", "#34363a"),
    "white": ("#f7f7f7", "#ececea", "#e4e6ea"),
    "grey": ("#808080", "#9e9e9e", "#bdbdbd", "#5e5e60", "#8c8a86", "#a8aab0"),
    "navy": ("#1e2a4a", "#1b2350", "#2a3350", "#232b3e", "#14285a", "#1c2a3a"),
    "blue": ("#1e50c8", "#2a6fdb", "#3c64b4", "#1e3c96", "#3e7ed0", "#2b8ad6"),
    "light blue": ("#a0c0e8", "#8fb4dc", "#bcd4ec", "#9cc8e6", "#b4c8dc", "#8c9cc8"),
    "denim": ("#3b5b84", "#4d6d96", "#2f4566"),
    "red": ("#c81e1e", "#d23232", "#b4141e", "#e0463c", "#dc3c46", "#a51431", "#8a1a2a"),
    "burgundy": ("#6e1423", "#5a1a28", "#4a1420"),
    "pink": ("#f096b4", "#e8a0b0", "#e0407a", "#f4b4c8", "#d2869a", "#e6648c", "#c8506e", "#9c7078", "#8a6468"),
    "orange": ("#f08220", "#e06a28", "#f59a3c", "#e8783c"),
    "yellow": ("#f0dc28", "#f5e050", "#ffe66e", "#f0d23c"),
    "mustard": ("#c9a227", "#d4a83a", "#b8922a", "#c8aa46", "#a88a28", "#8a6a2a"),
    "beige": ("#dcc8aa", "#c8b496", "#d2bc9b", "#e1d2b9", "#bea586"),
    "cream": ("#f5eed7", "#efe6cc", "#f2ead2"),
    "khaki": ("#c3b482", "#a89c78", "#9c9270", "#b4a882"),
    "brown": ("#6e4628", "#8b5a2b", "#503220", "#a0703c", "#5a3c2d", "#7d5a46"),
    "olive": ("#6e6e28", "#556b2f", "#5c5a3a", "#4b5032", "#787846", "#5c6452"),
    "green": ("#28963c", "#2e8b57", "#3cb464", "#1e5a32", "#8caa82", "#64b446", "#14462d", "#77806f", "#9aa590"),
    "teal": ("#148080", "#1e6e78", "#24607a", "#0f5a64"),
    "turquoise": ("#40c8c8", "#5ac8c0", "#78d2d2", "#32b4be", "#64c8d2"),
    "mint": ("#b4e6c8", "#a8dcc4", "#c8ecdc", "#9ad2bc"),
    "purple": ("#782aa0", "#6a3d9a", "#5a2a78", "#8c50b4", "#46285a"),
    "lilac": ("#c8a0dc", "#b49ad0", "#d2b4e0", "#a08cc8"),
}

#: Every colour name the vision module can return.
PALETTE: tuple[str, ...] = tuple(PROTOTYPES)
#: Names a person treats as neutral (they go with anything); denim is worn as one.
NEUTRALS: frozenset[str] = frozenset({"black", "white", "grey", "beige", "cream", "navy", "khaki", "denim"})

#: CIEDE2000 weights (kL, kC, kH); the textile industry's 2:1:1 forgives lightness (shading, folds).
WEIGHTS = (2.0, 1.0, 1.0)


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIE Lab (D65; L 0-100) of sRGB colours given as (..., 3) values 0-255."""
    shape = np.shape(rgb)
    flat = np.clip(np.asarray(rgb, np.float32).reshape(-1, 1, 3) / 255.0, 0.0, 1.0)
    return cv2.cvtColor(flat, cv2.COLOR_RGB2Lab).reshape(shape).astype(np.float32)


def _hex_rgb(code: str) -> tuple[int, int, int]:
    return int(code[1:3], 16), int(code[3:5], 16), int(code[5:7], 16)


_NAMES: tuple[str, ...] = tuple(name for name, shades in PROTOTYPES.items() for _ in shades)
_PROTO_LAB: np.ndarray = to_lab(np.array([_hex_rgb(c) for shades in PROTOTYPES.values() for c in shades], np.float32))


def ciede2000(lab1: np.ndarray, lab2: np.ndarray, weights: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> np.ndarray:
    """CIEDE2000 colour difference of Lab arrays (broadcasting over leading axes; last axis L, a, b)."""
    k_l, k_c, k_h = weights
    l1, a1, b1 = np.moveaxis(np.asarray(lab1, np.float64), -1, 0)
    l2, a2, b2 = np.moveaxis(np.asarray(lab2, np.float64), -1, 0)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2.0
    g = 0.5 * (1.0 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1.0 + g) * a1, (1.0 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360.0
    d_l = l2 - l1
    d_c = c2p - c1p
    both = (c1p * c2p) != 0
    dh = h2p - h1p
    dh = np.where(dh > 180.0, dh - 360.0, np.where(dh < -180.0, dh + 360.0, dh))
    dh = np.where(both, dh, 0.0)
    d_h = 2.0 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh) / 2.0)
    l_bar = (l1 + l2) / 2.0
    cp_bar = (c1p + c2p) / 2.0
    h_sum = h1p + h2p
    wrapped = np.where(h_sum < 360.0, (h_sum + 360.0) / 2.0, (h_sum - 360.0) / 2.0)
    h_bar = np.where(~both, h_sum, np.where(np.abs(h1p - h2p) <= 180.0, h_sum / 2.0, wrapped))
    t = (
        1.0
        - 0.17 * np.cos(np.radians(h_bar - 30.0))
        + 0.24 * np.cos(np.radians(2.0 * h_bar))
        + 0.32 * np.cos(np.radians(3.0 * h_bar + 6.0))
        - 0.20 * np.cos(np.radians(4.0 * h_bar - 63.0))
    )
    d_theta = 30.0 * np.exp(-(((h_bar - 275.0) / 25.0) ** 2))
    r_c = 2.0 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1.0 + 0.015 * (l_bar - 50.0) ** 2 / np.sqrt(20.0 + (l_bar - 50.0) ** 2)
    s_c = 1.0 + 0.045 * cp_bar
    s_h = 1.0 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2.0 * d_theta)) * r_c
    x_l, x_c, x_h = d_l / (k_l * s_l), d_c / (k_c * s_c), d_h / (k_h * s_h)
    return np.asarray(np.sqrt(x_l**2 + x_c**2 + x_h**2 + r_t * x_c * x_h))


def name_lab(lab: np.ndarray) -> list[str]:
    """The palette name nearest (CIEDE2000, textile weights) to each Lab colour of an (n, 3) array."""
    lab = np.asarray(lab, np.float64).reshape(-1, 3)
    if len(lab) == 0:
        return []
    distances = ciede2000(lab[:, None, :], _PROTO_LAB[None, :, :], WEIGHTS)
    return [_NAMES[index] for index in np.argmin(distances, axis=1)]


def name_rgb(rgb: np.ndarray) -> str:
    """The palette name of one sRGB colour (three values 0-255)."""
    return name_lab(to_lab(np.asarray(rgb, np.float32).reshape(1, 3)))[0]


def colour_name(h: float, s: float, v: float) -> str:
    """Name an HSV colour (h in degrees 0-360, s and v 0-1) from PALETTE."""
    r, g, b = colorsys.hsv_to_rgb((h % 360.0) / 360.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0))
    return name_rgb(np.array((r, g, b)) * 255.0)
