"""Tests for wardrobe_app.vision.loading: formats, orientation, alpha and every bad input."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from wardrobe_app.domain import PhotoError
from wardrobe_app.vision.loading import MAX_MEGAPIXELS, MAX_SIDE, SUPPORTED_SUFFIXES, load_photo


def _save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def _gradient(width: int = 60, height: int = 40) -> Image.Image:
    array = np.zeros((height, width, 3), np.uint8)
    array[..., 0] = np.linspace(0, 255, width, dtype=np.uint8)[None, :]
    array[..., 1] = 128
    array[: height // 2, : width // 3, 2] = 255  # a blue-ish block top left marks the orientation
    return Image.fromarray(array)


def test_jpeg_loads_as_rgb(tmp_path: Path) -> None:
    photo = load_photo(_save(_gradient(), tmp_path / "a.jpg", quality=95))
    assert photo.rgb.dtype == np.uint8 and photo.rgb.shape == (40, 60, 3)
    assert photo.alpha is None and photo.format == "JPEG" and photo.original_size == (60, 40)


def test_exif_rotated_phone_photo_is_turned_upright(tmp_path: Path) -> None:
    image = _gradient(60, 40)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    photo = load_photo(_save(image, tmp_path / "phone.jpg", exif=exif.tobytes(), quality=95))
    assert photo.rgb.shape == (60, 40, 3)
    assert photo.original_size == (40, 60)
    expected = np.asarray(image.transpose(Image.Transpose.ROTATE_270))
    assert np.abs(photo.rgb.astype(int) - expected.astype(int)).mean() < 6


def test_png_with_transparency_keeps_alpha(tmp_path: Path) -> None:
    rgba = np.zeros((50, 50, 4), np.uint8)
    rgba[10:40, 15:35] = (200, 20, 20, 255)
    photo = load_photo(_save(Image.fromarray(rgba, "RGBA"), tmp_path / "t.png"))
    assert photo.alpha is not None and photo.alpha.shape == (50, 50)
    assert photo.alpha[20, 20] == 255 and photo.alpha[0, 0] == 0
    assert tuple(photo.rgb[0, 0]) == (255, 255, 255)  # transparent pixels composited on white
    assert tuple(photo.rgb[20, 20]) == (200, 20, 20)


def test_opaque_rgba_png_has_no_alpha(tmp_path: Path) -> None:
    rgba = np.full((20, 20, 4), 255, np.uint8)
    photo = load_photo(_save(Image.fromarray(rgba, "RGBA"), tmp_path / "o.png"))
    assert photo.alpha is None


@pytest.mark.parametrize("mode", ["P", "CMYK", "L", "1", "LA"])
def test_other_modes_become_rgb(tmp_path: Path, mode: str) -> None:
    image = _gradient().convert(mode)
    suffix = "tif" if mode == "CMYK" else "png"
    photo = load_photo(_save(image, tmp_path / f"m.{suffix}"))
    assert photo.rgb.shape == (40, 60, 3) and photo.rgb.dtype == np.uint8


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path: Path) -> None:
    values = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (8, 1))
    photo = load_photo(_save(Image.fromarray(values), tmp_path / "g16.png"))
    assert photo.rgb.shape == (8, 64, 3)
    assert photo.rgb[0, 0, 0] < 5 and photo.rgb[0, -1, 0] > 250 and 100 < photo.rgb[0, 32, 0] < 160


def test_heic_loads(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    array = np.zeros((64, 96, 3), np.uint8)
    array[:] = (30, 90, 200)
    heif = pillow_heif.from_bytes(mode="RGB", size=(96, 64), data=array.tobytes())
    path = tmp_path / "phone.heic"
    heif.save(str(path), quality=90)
    photo = load_photo(path)
    assert photo.format == "HEIF" and photo.rgb.shape == (64, 96, 3)
    assert np.abs(photo.rgb.astype(int).mean(axis=(0, 1)) - (30, 90, 200)).max() < 12


def test_huge_jpeg_loads_downscaled(tmp_path: Path) -> None:
    """A 100-megapixel phone photo is accepted and decoded cheaply (JPEG draft) to <= MAX_SIDE."""
    path = _save(Image.new("RGB", (10000, 10000), (90, 120, 40)), tmp_path / "big.jpg", quality=10)
    photo = load_photo(path)
    assert max(photo.rgb.shape[:2]) == MAX_SIDE
    assert photo.original_size == (10000, 10000)


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [13000, 40000])
def test_decompression_bomb_is_refused(tmp_path: Path, side: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_claiming(side, side))
    with pytest.raises(PhotoError, match="too large") as caught:
        load_photo(path)
    assert str(MAX_MEGAPIXELS) in caught.value.reason


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(PhotoError, match="empty file"):
        load_photo(path)


def test_text_file_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("this is my shopping list, not a photo\n")
    with pytest.raises(PhotoError, match="not an image"):
        load_photo(path)


def test_truncated_jpeg(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 300, 3), np.uint8)).save(buffer, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(PhotoError, match="truncated or damaged"):
        load_photo(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="not found"):
        load_photo(tmp_path / "nope.jpg")
    with pytest.raises(PhotoError, match="folder"):
        load_photo(tmp_path)


def test_error_carries_path_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.touch()
    with pytest.raises(PhotoError) as caught:
        load_photo(path)
    assert caught.value.path == str(path) and caught.value.reason == "empty file"


def test_supported_suffixes() -> None:
    assert {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".bmp", ".tif", ".tiff"} == SUPPORTED_SUFFIXES


def test_sixteen_bit_rgb_png(tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    values = np.full((10, 12, 3), (65535, 32768, 0), np.uint16)  # BGR for OpenCV
    cv2.imwrite(str(tmp_path / "rgb16.png"), values)
    photo = load_photo(tmp_path / "rgb16.png")
    assert photo.rgb.dtype == np.uint8
    assert tuple(int(c) for c in photo.rgb[0, 0]) == pytest.approx((0, 128, 255), abs=1)


def test_rotated_heic_is_upright_once(tmp_path: Path) -> None:
    """pillow-heif turns EXIF orientation into the HEIF rotation; the loader must not rotate twice."""
    pytest.importorskip("pillow_heif")
    array = np.zeros((40, 60, 3), np.uint8)
    array[:20, :20] = (255, 0, 0)  # red block top left
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(array).save(tmp_path / "r.heic", exif=exif.tobytes(), quality=95)
    photo = load_photo(tmp_path / "r.heic")
    assert photo.rgb.shape == (60, 40, 3)
    rows, cols = np.nonzero(photo.rgb[..., 0] > 200)
    assert rows.mean() < 30 and cols.mean() > 20  # now top right, as the phone meant
