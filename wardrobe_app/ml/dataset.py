"""Folder-per-class photo datasets: list the files, read the photos (EXIF-oriented RGB)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from wardrobe_app.domain import PhotoError

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp"})


@dataclass(frozen=True)
class FolderDataset:
    """Photos of a folder-per-class dataset; classes not in ``categories`` are listed apart."""

    paths: tuple[Path, ...]
    labels: np.ndarray  # int64 index into categories
    categories: tuple[str, ...]
    unknown: dict[str, int]  # class folder -> number of photos skipped


def list_folder(root: Path, categories: tuple[str, ...]) -> FolderDataset:
    """List ``root/<class>/<photo>`` sorted by class order then file name."""
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder")
    index = {name: i for i, name in enumerate(categories)}
    paths: list[Path] = []
    labels: list[int] = []
    unknown: dict[str, int] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        photos = sorted(p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
        if folder.name not in index:
            unknown[folder.name] = len(photos)
            continue
        paths.extend(photos)
        labels.extend([index[folder.name]] * len(photos))
    order = sorted(range(len(paths)), key=lambda i: (labels[i], paths[i].name))
    return FolderDataset(
        paths=tuple(paths[i] for i in order),
        labels=np.array([labels[i] for i in order], np.int64),
        categories=categories,
        unknown=unknown,
    )


def read_rgb(path: Path) -> np.ndarray:
    """Read a photo as EXIF-oriented RGB uint8 HxWx3; PhotoError if it cannot be read."""
    try:
        with Image.open(path) as opened:
            oriented = ImageOps.exif_transpose(opened)
            return np.asarray(oriented.convert("RGB"), dtype=np.uint8)
    except (OSError, ValueError) as error:
        raise PhotoError(str(path), f"cannot be read as a photo ({error})") from error
