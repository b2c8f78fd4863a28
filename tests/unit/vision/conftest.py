"""Images drawn by the vision tests: garment shapes in known colours on textured backgrounds."""

from __future__ import annotations

import cv2
import numpy as np
import pytest


def textured_background(height: int, width: int, base: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    """A wood/bed-like background: a base colour with streaks, blotches and noise (uint8 RGB)."""
    rng = np.random.default_rng(seed)
    image = np.empty((height, width, 3), np.float32)
    image[:] = base
    streaks = np.sin(np.linspace(0, 18 * np.pi, width) + rng.uniform(0, 6))[None, :, None] * 8
    blotches = cv2.GaussianBlur(rng.normal(0, 25, (height, width)).astype(np.float32), (0, 0), 9)[..., None]
    image += streaks + blotches + rng.normal(0, 6, (height, width, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def tshirt_mask(height: int, width: int) -> np.ndarray:
    """A t-shirt silhouette (255) roughly centred, away from the edges."""
    mask = np.zeros((height, width), np.uint8)
    cx, cy, sx, sy = width / 2, height / 2, width * 0.32, height * 0.36
    points = [
        (-0.35, -0.6),
        (0.35, -0.6),
        (0.9, -0.3),
        (0.7, 0.0),
        (0.45, -0.15),
        (0.45, 0.75),
        (-0.45, 0.75),
        (-0.45, -0.15),
        (-0.7, 0.0),
        (-0.9, -0.3),
    ]
    polygon = np.array([(cx + x * sx * 1.3, cy + y * sy * 1.2) for x, y in points], np.int32)
    cv2.fillPoly(mask, [polygon], 255)
    return mask


def garment_photo(
    colour: tuple[int, int, int],
    background: tuple[int, int, int],
    size: tuple[int, int] = (533, 400),
    seed: int = 0,
    stripes: tuple[int, int, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A t-shirt in ``colour`` (optionally striped) with fabric noise on a textured background.

    Returns (rgb, true mask).
    """
    height, width = size
    rng = np.random.default_rng(seed + 100)
    image = textured_background(height, width, background, seed)
    mask = tshirt_mask(height, width)
    cloth = np.empty_like(image, dtype=np.float32)
    cloth[:] = colour
    if stripes is not None:
        band = (np.arange(height) // 24) % 2 == 1
        cloth[band] = stripes
    cloth += rng.normal(0, 4, cloth.shape)
    cloth = np.clip(cloth, 0, 255).astype(np.uint8)
    image[mask > 0] = cloth[mask > 0]
    return image, mask


def iou(found: np.ndarray, truth: np.ndarray) -> float:
    """Intersection over union of two masks."""
    a, b = found > 0, truth > 0
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


@pytest.fixture
def red_shirt_on_wood() -> tuple[np.ndarray, np.ndarray]:
    """A red t-shirt on a brown wood-like floor."""
    return garment_photo((200, 30, 35), (150, 105, 65), seed=1)


def lit(rgb: np.ndarray, gains: tuple[float, float, float], exposure: float = 1.0) -> np.ndarray:
    """``rgb`` photographed under coloured / dimmer light: per-channel gains applied in linear RGB."""
    linear = np.where(rgb / 255.0 <= 0.04045, rgb / 255.0 / 12.92, ((rgb / 255.0 + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear * np.asarray(gains) * exposure, 0.0, 1.0)
    encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return np.clip(np.round(encoded * 255.0), 0, 255).astype(np.uint8)


def denim_photo(
    colour: tuple[int, int, int], background: tuple[int, int, int], seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A garment of twill-woven denim: diagonal ridges, fading and white slub flecks over ``colour``."""
    rgb, mask = garment_photo(colour, background, seed=seed)
    height, width = mask.shape
    rng = np.random.default_rng(seed + 7)
    y, x = np.mgrid[0:height, 0:width]
    ridges = 1.0 + 0.14 * np.sin(2 * np.pi * (x + 2 * y) / 5.0)
    fading = 1.0 + 0.12 * cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 25) * 8
    cloth = np.asarray(colour, np.float32) * (ridges * fading)[..., None]
    flecks = rng.random((height, width)) < 0.04
    cloth[flecks] = cloth[flecks] * 0.5 + 110
    cloth = np.clip(cloth + rng.normal(0, 5, cloth.shape), 0, 255).astype(np.uint8)
    rgb[mask > 0] = cloth[mask > 0]
    return rgb, mask
