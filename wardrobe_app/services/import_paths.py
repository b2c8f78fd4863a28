"""Which files an import takes (folders walked for photos, never into the closet) and the suffix a photo keeps."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from wardrobe_app.domain import WardrobeError
from wardrobe_app.vision.loading import SUPPORTED_SUFFIXES


def expand_paths(paths: Iterable[str | os.PathLike[str]], closet: Path | None = None) -> list[Path]:
    """Files as given, folders searched recursively for photos (sorted, stable order).

    A folder's walk leaves out the ``closet`` folder when it holds it (a closet kept in ~/Pictures, then
    ~/Pictures imported): its cut-outs, masks and thumbnails are no new garments.
    """
    inside = InsideCloset(closet)
    found: list[Path] = []
    for raw in paths:
        refuse_blank(raw)
        path = Path(raw)
        if is_dir_quietly(path):
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in SUPPORTED_SUFFIXES and _is_file_quietly(p) and not inside(p)
                )
            )
        else:
            found.append(path)  # reading it says what is wrong, if anything
    return found


def refuse_blank(path: str | os.PathLike[str]) -> None:
    """WardrobeError for an empty (or blank) path: ``Path("")`` is the current folder, and ``wardrobe add "$PHOTO"``
    with PHOTO unset would take in every photo under it (the home folder's) as garments."""
    if not os.fspath(path).strip():
        raise WardrobeError(
            "an empty path was given (an unset shell variable?); it would mean the whole current folder. "
            "Name the photos or the folder; nothing was added"
        )


def is_dir_quietly(path: Path) -> bool:
    """``path.is_dir()``, False when it cannot even be looked at (a name too long, a folder that may not be
    entered): such a path is then read as a file, and that read reports why it failed, as a PhotoError."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file_quietly(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


class InsideCloset:
    """Whether a path lies in the closet's folder (links followed; each folder resolved once)."""

    def __init__(self, closet: Path | None) -> None:
        self.root = None if closet is None else closet.resolve()
        self._folders: dict[Path, bool] = {}

    def __call__(self, path: Path) -> bool:
        if self.root is None:
            return False
        folder = path.parent
        if folder not in self._folders:
            try:
                self._folders[folder] = folder.resolve().is_relative_to(self.root)
            except (RuntimeError, OSError):  # a loop of links: no folder of the closet; reading it says why
                self._folders[folder] = False
        return self._folders[folder]


#: A photo's own suffix, kept in its stored name when the closet's file names can carry it (db/photo_files.ITEM_PATH).
_KEPT_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")
#: Otherwise the suffix of the format it was read as.
FORMAT_SUFFIXES = {
    "JPEG": ".jpg",
    "MPO": ".jpg",
    "PNG": ".png",
    "HEIF": ".heic",
    "WEBP": ".webp",
    "BMP": ".bmp",
    "TIFF": ".tif",
    "GIF": ".gif",
}


def stored_suffix(path: Path, image_format: str) -> str:
    """The suffix a photo is stored under: its own in lower case ("x.JPG"), else its format's ("x.jpg " with a
    trailing space, "x.jpeg2000", no suffix at all). A name the closet's checks refuse made every export fail."""
    suffix = path.suffix.lower()
    if _KEPT_SUFFIX.fullmatch(suffix):
        return suffix
    return FORMAT_SUFFIXES.get(image_format, ".img")
