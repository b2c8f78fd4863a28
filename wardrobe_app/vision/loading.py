"""Load a photo file into an oriented, size-capped RGB array (plus alpha when it has one)."""

from __future__ import annotations

import io
import math
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from wardrobe_app.domain import PhotoError

try:  # HEIC/HEIF support is optional at import time but installed in the app.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - the app always ships pillow-heif
    pillow_heif = None

#: Suffixes a folder scan should offer to import.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".bmp", ".tif", ".tiff"}
)

#: Longest side of the returned pixels; bigger photos are downscaled on load.
MAX_SIDE = 2048

#: Largest photo file read at all (bytes): the biggest phone RAW-free photos are well under this.
MAX_FILE_BYTES = 200 * 1024 * 1024

#: Photos above this many megapixels are refused as decompression bombs.  Real
#: phone sensors go up to 200 MP, but anything past 150 MP would cost ~450 MB
#: to decode for formats without cheap JPEG draft decoding, so we draw the
#: line there (100-MP phone photos load, downscaled).
MAX_MEGAPIXELS = 150

_ORIENTATION_TAG = 0x0112
_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class LoadedPhoto:
    """A decoded photo ready for segmentation.

    ``rgb`` is uint8 HxWx3 with EXIF orientation applied and the long side at
    most ``MAX_SIDE``; ``alpha`` is uint8 HxW only when the file had real
    transparency; ``original_size`` is the full-resolution (width, height) as
    displayed (after orientation); ``format`` is Pillow's name ("JPEG", "HEIF"...).
    """

    rgb: np.ndarray
    alpha: np.ndarray | None
    original_size: tuple[int, int]
    format: str


def load_photo(path: Path, data: bytes | None = None) -> LoadedPhoto:
    """Decode ``path`` (or its bytes, already read); raise PhotoError with a plain reason when it cannot be used."""
    path = Path(path)
    if data is None:
        data = read_photo_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return _decode(path, image)
    except PhotoError:
        raise
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "a decompression bomb"
        raise PhotoError(str(path), f"too large: {size} (limit {MAX_MEGAPIXELS})") from exc
    except UnidentifiedImageError as exc:
        raise PhotoError(str(path), "not an image (or a format the wardrobe cannot read)") from exc
    except MemoryError as exc:
        raise PhotoError(str(path), "too large to decode in the memory available") from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        raise PhotoError(str(path), f"truncated or damaged image ({exc})") from exc


def read_photo_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a photo file: regular files only (no FIFO, device or folder), at most ``limit`` bytes.

    The file is opened without blocking and checked with fstat before anything is read, so a FIFO
    named ``x.jpg`` cannot hang the import and a link to /dev/zero cannot fill the memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise PhotoError(str(path), "file not found") from exc
    except IsADirectoryError as exc:
        raise PhotoError(str(path), "is a folder, not a photo") from exc
    except OSError as exc:  # a name too long for the disk, a folder that may not be entered, ...
        raise PhotoError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:  # a NUL in the name: no file can have it
        raise PhotoError(repr(str(path)), f"cannot be a file name ({exc})") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise PhotoError(str(path), "is a folder, not a photo")
        if not stat.S_ISREG(info.st_mode):
            raise PhotoError(str(path), "not a regular file (a pipe, device or socket), not a photo")
        if info.st_size == 0:
            raise PhotoError(str(path), "empty file")
        if info.st_size > limit:
            raise PhotoError(
                str(path), f"too large a file: {info.st_size / 2**20:.0f} MB (limit {limit / 2**20:.0f} MB)"
            )
        chunks = []
        remaining = limit + 1
        with os.fdopen(fd, "rb", closefd=False) as handle:
            while remaining > 0:
                chunk = handle.read(min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
    except PhotoError:
        raise
    except OSError as exc:
        raise PhotoError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise PhotoError(str(path), f"too large a file (limit {limit / 2**20:.0f} MB)")
    if not data:
        raise PhotoError(str(path), "empty file")
    return data


def _decode(path: Path, image: Image.Image) -> LoadedPhoto:
    width, height = image.size
    megapixels = width * height / 1e6
    if megapixels > MAX_MEGAPIXELS:
        raise PhotoError(str(path), f"too large: {megapixels:.0f} megapixels (limit {MAX_MEGAPIXELS})")
    fmt = image.format or "unknown"
    orientation = _orientation(image)
    if fmt == "JPEG" and max(width, height) > MAX_SIDE:
        # Let the decoder shrink by 1/2, 1/4 or 1/8 while the long side stays >= 3/4 of MAX_SIDE.
        scale = 0.75 * MAX_SIDE / max(width, height)
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    image.load()
    rgb, alpha = _to_rgb_alpha(image)
    rgb, alpha = _cap_size(rgb, alpha)
    transpose = _TRANSPOSE_FOR_ORIENTATION.get(orientation)
    if transpose is not None:
        rgb = np.asarray(Image.fromarray(rgb).transpose(transpose))
        if alpha is not None:
            alpha = np.asarray(Image.fromarray(alpha).transpose(transpose))
        if orientation >= 5:
            width, height = height, width
    rgb = np.ascontiguousarray(rgb)
    alpha = None if alpha is None else np.ascontiguousarray(alpha)
    return LoadedPhoto(rgb=rgb, alpha=alpha, original_size=(width, height), format=fmt)


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
        return int(value) if int(value) in range(1, 9) else 1
    except Exception:
        return 1


def _to_rgb_alpha(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Every mode Pillow can open becomes uint8 RGB, with alpha kept apart."""
    mode = image.mode
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
        mode = "RGBA"
    elif mode == "P":
        image = image.convert("RGB")
        mode = "RGB"
    if mode in {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}:
        grey = _to_uint8(np.asarray(image))
        return np.dstack([grey, grey, grey]), None
    if mode in {"RGBA", "LA", "PA", "RGBa", "La"}:
        rgba = np.asarray(image.convert("RGBA"))
        alpha = rgba[..., 3].copy()
        rgb = rgba[..., :3]
        if alpha.min() == 255:
            return np.array(rgb), None
        # Composite onto white so transparent pixels never carry stale colours.
        weight = alpha[..., None].astype(np.float32) / 255.0
        blended = rgb.astype(np.float32) * weight + 255.0 * (1.0 - weight)
        return np.clip(blended + 0.5, 0, 255).astype(np.uint8), alpha
    if mode != "RGB":
        image = image.convert("RGB")
    return np.array(image), None


def _to_uint8(values: np.ndarray) -> np.ndarray:
    """Scale 16-bit / 32-bit int / float greyscale into 0-255."""
    floats = values.astype(np.float32)
    top = float(floats.max()) if floats.size else 0.0
    if values.dtype.kind == "f" and top <= 1.0:
        scale = 255.0
    elif top > 255:
        scale = 255.0 / 65535.0
    else:
        scale = 1.0
    return np.clip(floats * scale + 0.5, 0, 255).astype(np.uint8)


def _cap_size(rgb: np.ndarray, alpha: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    height, width = rgb.shape[:2]
    if max(height, width) <= MAX_SIDE:
        return rgb, alpha
    scale = MAX_SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    rgb = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0))
    if alpha is not None:
        alpha = np.asarray(Image.fromarray(alpha).resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0))
    return rgb, alpha
