"""`wardrobe doctor`: check a closet (database, files, checksums, leftovers) and repair what can be repaired."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from sqlalchemy import select, update

from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.db.photo_files import KINDS, PENDING_MARKER, confined, is_item_path
from wardrobe_app.db.tables import ItemRow
from wardrobe_app.domain import Change, PhotoError, UnsafePathError
from wardrobe_app.services.archive import sha256_file
from wardrobe_app.services.archive_checks import check_database
from wardrobe_app.services.closet_state import disk_trouble
from wardrobe_app.services.import_paths import stored_suffix
from wardrobe_app.services.restore_folders import clean_leftovers, restore_leftovers
from wardrobe_app.services.trash import drop_outfits_of_missing_items

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe

log = logging.getLogger(__name__)
DERIVED = (("cutouts", "cutout_path"), ("thumbs", "thumb_path"), ("masks", "mask_path"))


@dataclass(frozen=True)
class DoctorReport:
    """What the check found, what it repaired, and what only the user can fix (with how)."""

    problems: tuple[str, ...]
    repaired: tuple[str, ...]
    left: tuple[str, ...]

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def change(self) -> Change:
        """A repair may rebuild any item's files: the fronts reread everything then."""
        return Change(notes=self.repaired, restored=True) if self.repaired else Change()


def _usable(data_dir: Path, relative: str | None, kind: str) -> bool:
    if not relative or not is_item_path(relative) or not relative.startswith(kind + "/"):
        return False
    try:
        path = confined(data_dir, relative)
    except UnsafePathError:
        return False
    return path.is_file() and not (data_dir / relative).is_symlink()


def examine(wardrobe: Wardrobe, repair: bool = False) -> DoctorReport:
    """Check the closet; with ``repair``, fix what can be fixed (under the writer lock) and say what was done."""
    data_dir = wardrobe.data_dir
    problems = list(check_database(data_dir / DB_FILENAME, data_dir, verify_hashes=True))
    damaged_db = any("database" in p for p in problems)
    repaired: list[str] = []
    left: list[str] = []
    if damaged_db:
        left.append(
            "the database is damaged: restore your last backup (wardrobe restore FILE.zip); "
            "export refuses a damaged closet"
        )
        return DoctorReport(tuple(problems), (), tuple(left))
    orphans = sorted(set(wardrobe.files.own_files()) - wardrobe.referenced_files())
    if orphans:
        problems.append(f"{len(orphans)} files no item uses (left by a crash or a removal)")
    leftovers = restore_leftovers(data_dir)
    if leftovers:
        problems.append(f"{len(leftovers)} folders left by interrupted restores")
    links = [link for kind in KINDS for link in _links_in(data_dir / kind)]
    if links:
        problems.append(f"{len(links)} symbolic links among the closet's files")
    if not repair:
        return DoctorReport(tuple(problems), (), ())
    with wardrobe.writing("repairing the closet"):
        repaired.extend(_rename_odd_suffixes(wardrobe))
        repaired.extend(_repair_items(wardrobe, left))
        with wardrobe.sessions.begin() as session:
            dropped = drop_outfits_of_missing_items(session)
        if dropped:
            repaired.append(f"deleted {dropped} outfits (with their ratings) naming items that are gone")
        for link in links:
            link.unlink(missing_ok=True)
            repaired.append(f"removed the symbolic link {link.relative_to(data_dir)}")
        removed = wardrobe.files.collect_orphans(wardrobe.referenced_files())
        if removed:
            repaired.append(f"deleted {len(removed)} files no item used")
        cleaned = clean_leftovers(data_dir)
        if cleaned:
            repaired.append(f"removed {len(cleaned)} folders left by interrupted restores")
        (data_dir / PENDING_MARKER).unlink(missing_ok=True)
    return DoctorReport(tuple(problems), tuple(repaired), tuple(left))


def _repair_items(wardrobe: Wardrobe, left: list[str]) -> list[str]:
    from wardrobe_app.vision.pipeline import process_photo
    from wardrobe_app.vision.render import make_cutout_png, make_thumbnail

    data_dir, files = wardrobe.data_dir, wardrobe.files
    repaired = []
    with wardrobe.sessions.begin() as session:
        for row in session.scalars(select(ItemRow)):
            photo_ok = _usable(data_dir, row.photo_path, "photos")
            if not photo_ok or sha256_file(data_dir / row.photo_path) != row.content_hash:
                left.append(
                    f"item {row.id}: its original photo is missing or changed; put it back, or remove "
                    f"the item (wardrobe remove {row.id})"
                )
                continue
            broken = [column for kind, column in DERIVED if not _usable(data_dir, getattr(row, column), kind)]
            if not broken:
                continue
            name = row.content_hash
            try:
                hand_mask = None if "mask_path" in broken else _hand_mask(data_dir, row)
                if hand_mask is not None:  # the person fixed the cut-out by hand: drawn again from their mask
                    name, (rgb, mask) = Path(row.mask_path or "").stem, hand_mask
                    data = {
                        "cutout_path": ("cutouts", make_cutout_png(rgb, mask)),
                        "thumb_path": ("thumbs", make_thumbnail(rgb, mask)),
                    }
                else:
                    processed = process_photo(data_dir / row.photo_path)
                    data = {
                        "cutout_path": ("cutouts", processed.cutout_png),
                        "thumb_path": ("thumbs", processed.thumbnail_png),
                        "mask_path": ("masks", processed.mask_png),
                    }
            except PhotoError as exc:
                left.append(f"item {row.id}: its photo cannot be read ({exc.reason})")
                continue
            files.begin_writes()
            for column in broken:
                kind, content = data[column]
                setattr(row, column, files.write(kind, name, ".png", content))
            repaired.append(f"item {row.id}: rebuilt its {', '.join(c.removesuffix('_path') for c in broken)}")
    files.end_writes()
    return repaired


#: How an older version could store a photo: named by its hash, but under the suffix it was given ("x.jpg ").
_ODD_SUFFIX = re.compile(r"photos/([0-9a-f]{2})/(\1[0-9a-f]{62})\.[^/]*")


def _rename_odd_suffixes(wardrobe: Wardrobe) -> list[str]:
    """Give each photo stored under a suffix the closet's checks refuse (every export failed) one that fits.

    Per file: the new name is linked (or copied durably) first and must hold the item's photo (its sha256 is
    the item's hash), every row naming the file (a catalogue product of the same photo too) then names it, and
    only then does the old name go: an interruption, a link, or a half-copied file never loses a photo.
    """
    data_dir, done = wardrobe.data_dir, []
    with wardrobe.sessions() as session:
        rows = session.execute(select(ItemRow.id, ItemRow.photo_path, ItemRow.content_hash)).all()
    odd = {path: (int(item_id), str(content_hash)) for item_id, path, content_hash in reversed(rows)}
    for path, (item_id, content_hash) in sorted(odd.items(), key=lambda entry: entry[1]):
        if is_item_path(path) or not _ODD_SUFFIX.fullmatch(path) or not path.split("/")[2].startswith(content_hash):
            continue
        try:
            renamed = _rename_one(wardrobe, path, content_hash)
        except _Kept:
            continue
        except OSError as exc:
            raise disk_trouble(exc, f"renaming the photo of item {item_id}", data_dir) from exc
        done.append(f"item {item_id}: renamed its photo {path!r} as {renamed!r}")
    return done


class _Kept(Exception):
    """The odd name stays as it is (it is not the item's photo, or the new name cannot be trusted)."""


def _new_name(data_dir: Path, path: str, content_hash: str) -> str:
    source = data_dir / path
    return f"photos/{content_hash[:2]}/{content_hash}{stored_suffix(source, _format_of(source))}"


def _rename_one(wardrobe: Wardrobe, path: str, content_hash: str) -> str:
    """The photo's new name (relative to the data dir), once every row names it."""
    data_dir = wardrobe.data_dir
    try:
        confined(data_dir, path)
    except UnsafePathError:
        raise _Kept from None
    source = data_dir / path  # not resolved: a link must be seen as one
    if not source.is_file() or sha256_file(source) != content_hash:
        raise _Kept  # missing or changed: _repair_items says so; never rename what is not the item's photo
    relative = _new_name(data_dir, path, content_hash)
    try:
        confined(data_dir, relative)
    except UnsafePathError:
        raise _Kept from None
    unresolved_target = data_dir / relative
    one_file = os.path.lexists(unresolved_target) and os.path.samefile(source, unresolved_target)
    if source.is_symlink():
        # only a link to the very file under the new name is mended (the rows name that file, the link goes)
        if not one_file or unresolved_target.is_symlink():
            raise _Kept
    elif not one_file:
        holds_photo = (
            unresolved_target.is_file()
            and not unresolved_target.is_symlink()
            and sha256_file(unresolved_target) == content_hash
        )
        if not holds_photo:
            _copy_durably(source, unresolved_target)
            if sha256_file(unresolved_target) != content_hash:
                raise _Kept
    with wardrobe.sessions.begin() as session:
        session.execute(update(ItemRow).where(ItemRow.photo_path == path).values(photo_path=relative))
    if source.is_symlink() or not one_file:  # one file under two names (a filesystem dropping trailing spaces)
        source.unlink(missing_ok=True)  # the link itself, or a second name of the photo the new name now holds
    return relative


def _copy_durably(source: Path, target: Path) -> None:
    """``target`` becomes ``source``'s content whole or not at all: a hard link made beside it, or a copy written
    to a temp file beside it and fsynced; either is then renamed over ``target`` (a half-written one included)."""
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".photo")
    os.close(fd)
    try:
        os.unlink(partial)
        try:
            os.link(source, partial)
        except OSError:
            with open(source, "rb") as reading, open(partial, "xb") as writing:
                shutil.copyfileobj(reading, writing)
                writing.flush()
                os.fsync(writing.fileno())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _format_of(path: Path) -> str:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.format or ""
    except Exception:  # unreadable: the suffix of no format
        return ""


def _hand_mask(data_dir: Path, row: ItemRow) -> tuple[np.ndarray, np.ndarray] | None:
    """(photo, mask) of an item whose cut-out was fixed by hand (its mask is named otherwise than its photo:
    ``services/cutout_fix``), None for one the import cut out. Raises PhotoError for an unreadable photo."""
    if not row.mask_path or Path(row.mask_path).stem == row.content_hash:
        return None
    from wardrobe_app.vision.loading import load_photo

    rgb = load_photo(data_dir / row.photo_path).rgb
    mask = cv2.imread(str(confined(data_dir, row.mask_path)), cv2.IMREAD_GRAYSCALE)
    if mask is None or mask.shape != rgb.shape[:2]:
        return None
    return rgb, np.where(mask > 0, 255, 0).astype(np.uint8)


def _links_in(folder: Path) -> list[Path]:
    """The symbolic links in an item folder (the folder itself, if it is one), never looking through one: an
    item folder linked to another place must not have that place's own links removed by ``--repair``."""
    if folder.is_symlink():
        return [folder]
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        found.extend(Path(parent) / name for name in (*dirs, *names) if (Path(parent) / name).is_symlink())
    return sorted(found)
