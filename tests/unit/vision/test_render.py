"""Tests for wardrobe_app.vision.render and the pipeline: PNGs, thumbnails, histograms, timings."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.unit.vision.conftest import garment_photo
from wardrobe_app.domain import PhotoError
from wardrobe_app.vision.pipeline import process_photo
from wardrobe_app.vision.render import (
    THUMBNAIL_BACKGROUND,
    encode_mask_png,
    hsv_histogram,
    make_cutout_png,
    make_thumbnail,
)


@pytest.fixture
def photo() -> tuple[np.ndarray, np.ndarray]:
    rgb = np.full((200, 300, 3), 90, np.uint8)
    mask = np.zeros((200, 300), np.uint8)
    mask[50:150, 100:160] = 255
    rgb[mask > 0] = (200, 30, 30)
    return rgb, mask


def test_cutout_png_is_cropped_rgba_with_transparent_background(photo: tuple[np.ndarray, np.ndarray]) -> None:
    image = Image.open(io.BytesIO(make_cutout_png(*photo)))
    assert image.format == "PNG" and image.mode == "RGBA"
    width, height = image.size
    assert 60 <= width <= 70 and 100 <= height <= 112
    rgba = np.asarray(image)
    assert rgba[0, 0, 3] == 0
    assert tuple(rgba[height // 2, width // 2]) == (200, 30, 30, 255)


def test_thumbnail_is_square_with_garment_centred(photo: tuple[np.ndarray, np.ndarray]) -> None:
    image = Image.open(io.BytesIO(make_thumbnail(*photo, size=128)))
    assert image.size == (128, 128) and image.mode == "RGB"
    rgb = np.asarray(image)
    assert tuple(rgb[64, 64]) == (200, 30, 30)
    assert tuple(rgb[64, 2]) == THUMBNAIL_BACKGROUND


def test_mask_png_round_trips(photo: tuple[np.ndarray, np.ndarray]) -> None:
    _, mask = photo
    decoded = np.asarray(Image.open(io.BytesIO(encode_mask_png(mask))))
    assert np.array_equal(decoded, mask)


def test_hsv_histogram_counts_garment_only(photo: tuple[np.ndarray, np.ndarray]) -> None:
    rgb, mask = photo
    hist = hsv_histogram(rgb, mask)
    assert hist.dtype == np.float32 and hist.shape == (12 * 3 * 3,)
    assert hist.sum() == pytest.approx(1.0)
    assert hist.max() == pytest.approx(1.0)  # one red garment: one bin
    assert hsv_histogram(rgb, mask, bins=(8, 2, 2)).shape == (32,)


def test_empty_mask_renders_the_whole_photo(photo: tuple[np.ndarray, np.ndarray]) -> None:
    rgb, _ = photo
    empty = np.zeros(rgb.shape[:2], np.uint8)
    assert Image.open(io.BytesIO(make_cutout_png(rgb, empty))).size == (300, 200)
    assert Image.open(io.BytesIO(make_thumbnail(rgb, empty))).size == (256, 256)
    assert hsv_histogram(rgb, empty).sum() == pytest.approx(1.0)


def test_process_photo_end_to_end(tmp_path: Path) -> None:
    rgb, _ = garment_photo((30, 80, 200), (205, 200, 190), seed=9)
    path = tmp_path / "shirt.jpg"
    Image.fromarray(rgb).save(path, quality=92)
    result = process_photo(path)
    assert result.loaded.format == "JPEG" and result.cutout.method == "grabcut"
    assert result.colours.colours[0].name == "blue"
    assert set(result.timings) == {"load", "cutout", "colours", "render"}
    assert all(value >= 0 for value in result.timings.values())
    for data in (result.cutout_png, result.thumbnail_png, result.mask_png):
        assert data.startswith(b"\x89PNG")


def test_process_photo_refuses_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(PhotoError):
        process_photo(path)
