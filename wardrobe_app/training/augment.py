"""Heavy training views: crops, scale, rotation, colour jitter, blur, and garments composited onto other backgrounds."""

from __future__ import annotations

import cv2
import numpy as np

#: Light grey / white plain backgrounds (shop product photos).
PLAIN_BACKGROUNDS: tuple[tuple[int, int, int], ...] = ((255, 255, 255), (245, 245, 245), (232, 232, 235))


def _crop_rotate(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random crop of 45-100 % of the area (aspect 3:4 to 4:3), rotation +-20 degrees, scale 0.85-1.15."""
    height, width = rgb.shape[:2]
    area = rng.uniform(0.45, 1.0)
    aspect = np.exp(rng.uniform(np.log(0.75), np.log(1.33)))
    crop_w = max(8, min(width, round(width * np.sqrt(area * aspect))))
    crop_h = max(8, min(height, round(height * np.sqrt(area / aspect))))
    x0 = int(rng.integers(0, width - crop_w + 1))
    y0 = int(rng.integers(0, height - crop_h + 1))
    crop = np.ascontiguousarray(rgb[y0 : y0 + crop_h, x0 : x0 + crop_w])
    matrix = cv2.getRotationMatrix2D((crop_w / 2.0, crop_h / 2.0), rng.uniform(-20.0, 20.0), rng.uniform(0.85, 1.15))
    return cv2.warpAffine(crop, matrix, (crop_w, crop_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


def colour_jitter(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Brightness, contrast and saturation x0.7-1.3, a white-balance cast of +-8 % per channel, hue +-6 degrees."""
    image = rgb.astype(np.float32)
    image = image * rng.uniform(0.7, 1.3)
    mean = image.mean()
    image = (image - mean) * rng.uniform(0.7, 1.3) + mean
    image = image * rng.uniform(0.92, 1.08, size=3)[None, None, :]
    image = np.clip(image, 0, 255).astype(np.uint8)
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.7, 1.3), 0, 255)
    hsv[..., 0] = np.mod(hsv[..., 0] + rng.uniform(-3.0, 3.0), 180.0)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)


def blur(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian blur with a sigma of 0.5-2 % of the short side (an out-of-focus phone photo)."""
    sigma = rng.uniform(0.005, 0.02) * min(rgb.shape[:2])
    return cv2.GaussianBlur(rgb, (0, 0), sigmaX=max(0.3, sigma))


def background_plate(other: np.ndarray, other_mask: np.ndarray | None, size: tuple[int, int]) -> np.ndarray:
    """Another photo with its garment painted out (inpainted at 64 px, so only the bed / floor / wall is left)."""
    width, height = size
    small = cv2.resize(other, (64, 64), interpolation=cv2.INTER_AREA)
    if other_mask is not None and other_mask.any():
        hole = cv2.resize(other_mask, (64, 64), interpolation=cv2.INTER_NEAREST)
        hole = cv2.dilate((hole >= 128).astype(np.uint8) * 255, np.ones((5, 5), np.uint8))
        if hole.mean() < 0.9 * 255:
            small = cv2.inpaint(small, hole, 5, cv2.INPAINT_TELEA)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)


def composite(rgb: np.ndarray, mask: np.ndarray, background: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The garment (mask 0/255, same size) scaled 0.7-1.0 and pasted with a soft edge at a random place."""
    height, width = rgb.shape[:2]
    scale = rng.uniform(0.7, 1.0)
    new_w, new_h = max(4, round(width * scale)), max(4, round(height * scale))
    garment = cv2.resize(rgb, (new_w, new_h), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask, (new_w, new_h), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0
    alpha = cv2.GaussianBlur(alpha, (0, 0), sigmaX=max(0.5, 0.004 * min(new_w, new_h)))[..., None]
    x0 = int(rng.integers(0, width - new_w + 1))
    y0 = int(rng.integers(0, height - new_h + 1))
    out = background.astype(np.float32).copy()
    region = out[y0 : y0 + new_h, x0 : x0 + new_w]
    out[y0 : y0 + new_h, x0 : x0 + new_w] = alpha * garment + (1 - alpha) * region
    return np.clip(out, 0, 255).astype(np.uint8)


def heavy_view(
    rgb: np.ndarray,
    rng: np.random.Generator,
    mask: np.ndarray | None = None,
    other: np.ndarray | None = None,
    other_mask: np.ndarray | None = None,
    composite_share: float = 0.5,
) -> np.ndarray:
    """One heavily augmented training view of a photo (uint8 RGB in and out).

    With a garment mask, ``composite_share`` of the views put the garment on another photo's background
    (or, one time in three, on a plain white / light grey one as in shop photos); then a random mirror, crop,
    rotation and scale, colour jitter (80 %) and blur (30 %).
    """
    height, width = rgb.shape[:2]
    if mask is not None and mask.shape[:2] == (height, width) and rng.random() < composite_share:
        if other is None or rng.random() < 1 / 3:
            plate = np.empty_like(rgb)
            plate[:] = PLAIN_BACKGROUNDS[int(rng.integers(len(PLAIN_BACKGROUNDS)))]
        else:
            plate = background_plate(other, other_mask, (width, height))
        rgb = composite(rgb, mask, plate, rng)
    if rng.random() < 0.5:
        rgb = np.ascontiguousarray(rgb[:, ::-1])
    rgb = _crop_rotate(rgb, rng)
    if rng.random() < 0.8:
        rgb = colour_jitter(rgb, rng)
    if rng.random() < 0.3:
        rgb = blur(rgb, rng)
    return rgb
