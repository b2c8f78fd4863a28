"""Shared fixtures: a temporary data dir, an opened closet, photos drawn by the tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PhotoFactory = Callable[..., Path]


def draw_garment(
    colour_bgr: tuple[int, int, int] = (40, 40, 200),
    size: tuple[int, int] = (400, 300),
    seed: int = 0,
    shape: str = "shirt",
) -> np.ndarray:
    """A garment-like shape in one colour on a noisy, textured light background (BGR)."""
    rng = np.random.default_rng(seed)
    h, w = size
    background = rng.normal(200, 12, (h, w, 3)).clip(0, 255).astype(np.uint8)
    stripes = (np.sin(np.arange(w) / 6.0) * 10).astype(np.int16)
    background = (background.astype(np.int16) + stripes[None, :, None]).clip(0, 255).astype(np.uint8)
    image = background.copy()
    cx, cy = w // 2, h // 2
    if shape == "shirt":
        body = np.array(
            [
                [cx - 60, cy - 90],
                [cx + 60, cy - 90],
                [cx + 110, cy - 40],
                [cx + 80, cy - 10],
                [cx + 60, cy - 30],
                [cx + 60, cy + 110],
                [cx - 60, cy + 110],
                [cx - 60, cy - 30],
                [cx - 80, cy - 10],
                [cx - 110, cy - 40],
            ],
            np.int32,
        )
        cv2.fillPoly(image, [body], colour_bgr)
    else:
        cv2.ellipse(image, (cx, cy), (w // 4, h // 3), 0, 0, 360, colour_bgr, -1)
    noise = rng.normal(0, 4, image.shape)
    return (image.astype(np.float64) + noise).clip(0, 255).astype(np.uint8)


@pytest.fixture
def photo_factory(tmp_path: Path) -> PhotoFactory:
    """Write drawn garment photos: ``photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1)``."""
    folder = tmp_path / "photos"
    folder.mkdir(exist_ok=True)

    def make(name: str = "garment.jpg", **kwargs: object) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), draw_garment(**kwargs))  # type: ignore[arg-type]
        return path

    return make


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "closet-data"
    path.mkdir()
    return path


@pytest.fixture
def wardrobe(data_dir: Path) -> Iterator[object]:
    """An opened closet on a temporary data dir, without the garment classifier."""
    from wardrobe_app.services.wardrobe import Wardrobe

    w = Wardrobe.open(data_dir, classifier="none")
    yield w
    w.close()
