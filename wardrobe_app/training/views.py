"""Heavily augmented training views of photos, with the app's segmenter masks cached on disk for compositing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from wardrobe_app.ml.dataset import read_rgb
from wardrobe_app.ml.preprocess import caffe, resize_square
from wardrobe_app.training.augment import heavy_view

#: Long side at which masks are computed and stored.
MASK_SIDE = 256


class MaskStore:
    """Garment masks of training photos (wardrobe_app.vision.segment.cut_out at 256 px), one PNG per photo.

    A photo whose cut-out fell back to a threshold or an ellipse gets an empty mask: it is not composited.
    """

    def __init__(self, folder: Path, compute: bool = True) -> None:
        self.folder = folder
        self.compute = compute  # False: a photo without a stored mask is simply not composited (no grabcut)
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, photo: Path) -> Path:
        return self.folder / f"{photo.stem}.png"

    def has(self, photo: Path) -> bool:
        return self.path(photo).exists()

    def mask(self, photo: Path, rgb: np.ndarray) -> np.ndarray | None:
        """The full-size mask (0/255) of ``photo`` (computed and stored on first use); None if segmentation failed."""
        from wardrobe_app.vision.segment import cut_out

        file = self.path(photo)
        small = cv2.imread(str(file), cv2.IMREAD_GRAYSCALE) if file.exists() else None
        if small is None and not self.compute:
            return None
        if small is None:
            height, width = rgb.shape[:2]
            k = MASK_SIDE / max(height, width)
            resized = cv2.resize(
                rgb, (max(1, round(width * k)), max(1, round(height * k))), interpolation=cv2.INTER_AREA
            )
            cut = cut_out(resized)
            small = cut.mask if cut.method == "grabcut" else np.zeros(cut.mask.shape, np.uint8)
            tmp = file.with_name(file.stem + ".tmp.png")
            cv2.imwrite(str(tmp), small)
            tmp.replace(file)
        if not small.any():
            return None
        return cv2.resize(small, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_NEAREST)


class HeavyViews:
    """Network inputs of heavily augmented views; backgrounds come from other photos of ``pool`` with a mask."""

    def __init__(self, pool: Sequence[Path], masks: MaskStore, seed: int = 0, composite_share: float = 0.5) -> None:
        self.pool = list(pool)
        self.masks = masks
        self.seed = seed
        self.composite_share = composite_share

    def rgb(self, path: Path, view: int) -> np.ndarray:
        """The augmented RGB view (seeded by photo, view and seed)."""
        key = int.from_bytes(path.stem.encode()[:8].ljust(8, b"0"), "little")
        rng = np.random.default_rng([self.seed, 1000 + view, key])
        rgb = read_rgb(path)
        mask = other = other_mask = None
        if rng.random() < self.composite_share:
            mask = self.masks.mask(path, rgb)
            candidates = [p for p in self.pool if p != path and self.masks.has(p)]
            if mask is not None and candidates:
                partner = candidates[int(rng.integers(len(candidates)))]
                other = read_rgb(partner)
                other_mask = self.masks.mask(partner, other)
        return heavy_view(rgb, rng, mask, other, other_mask, composite_share=1.0 if mask is not None else 0.0)

    def __call__(self, path: Path, view: int) -> np.ndarray:
        return caffe(resize_square(self.rgb(path, view)))
