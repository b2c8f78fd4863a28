"""A restore's staging and backup folders in the data dir: made marked; only those are removed after a crash."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from wardrobe_app.db.engine import DB_FILES
from wardrobe_app.db.photo_files import KINDS, is_item_path
from wardrobe_app.services.outfit_settings import SETTINGS_FILE

JOURNAL = ".restore-journal.json"
STAGING_PREFIX, BACKUP_PREFIX = ".restore-", ".before-restore-"
#: Written into each staging and backup folder as it is made: only a folder carrying it is the app's to delete.
MARKER = ".wardrobe-restore-folder"
#: The exact name ``tempfile.mkdtemp`` gives such a folder (its prefix and 8 random characters).
_SHAPE = re.compile(r"\.(?:before-)?restore-[a-z0-9_]{8}")
#: What an unmarked one (made by a version before the marker) may hold at its top: a closet's pieces, the manifest.
_OLD_NAMES = frozenset(
    {
        *DB_FILES,
        *KINDS,
        "ranker",
        SETTINGS_FILE,
        "wardrobe-export.json",
        ".DS_Store",
    }
)


def make_restore_folder(data_dir: Path, prefix: str) -> Path:
    """A new private folder ``<prefix><8 random characters>`` in ``data_dir``, marked as the app's own."""
    folder = Path(tempfile.mkdtemp(dir=data_dir, prefix=prefix))
    try:
        (folder / MARKER).write_text("made by Wardrobe during a restore; safe to delete\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def restore_leftovers(data_dir: Path) -> list[Path]:
    """The staging and backup folders interrupted restores left in ``data_dir``.

    Known by their exact name AND the marker the app writes into them (or, for one an older version made, by
    holding nothing but a closet's pieces, each item file under its hash name): a data folder may be a shared
    one (the home folder), where the person's own ``.restore-points`` is theirs, never a leftover to delete.
    """
    found = []
    for entry in sorted(data_dir.iterdir()):
        if not _SHAPE.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        try:
            marked = (entry / MARKER).is_file() and not (entry / MARKER).is_symlink()
            if marked or _holds_only_closet_pieces(entry):
                found.append(entry)
        except OSError:  # cannot be read: not ours to delete
            continue
    return found


def clean_leftovers(data_dir: Path) -> list[str]:
    """Remove staging and backup folders left by interrupted restores (writer lock held, no journal)."""
    if (data_dir / JOURNAL).exists():
        return []
    removed = []
    for entry in restore_leftovers(data_dir):
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed


def _holds_only_closet_pieces(folder: Path) -> bool:
    if any(child.name not in _OLD_NAMES for child in folder.iterdir()):
        return False
    for parent, _dirs, names in os.walk(folder, followlinks=False):
        for name in names:
            relative = (Path(parent) / name).relative_to(folder)
            top = relative.parts[0]
            if top in KINDS and not is_item_path(relative.as_posix()):
                return False
            if top == "ranker" and relative.suffix not in (".npz", ".json"):
                return False
    return True
