"""What a closet database must be before it is trusted: integrity, known schema, confined paths, valid values."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import stat
import zipfile
from pathlib import Path
from typing import Literal

from wardrobe_app.db.photo_files import confined, is_item_path
from wardrobe_app.domain import CATEGORY_GROUPS, ArchiveError, Group, UnsafePathError
from wardrobe_app.services.archive_rows import row_problems

SEASONS = frozenset({"spring", "summer", "autumn", "winter", "all"})
#: ranker_versions.path values that name no file.
RANKER_MARKERS = frozenset({"", "expert", "taste"})
_HASH = re.compile(r"[0-9a-f]{64}")


def known_revision(db_path: Path) -> str | Literal[False] | None:
    """The database's schema revision: None if it has none (not ours), False if this version does not know it."""
    from alembic.script import ScriptDirectory

    from wardrobe_app.db.engine import alembic_config

    try:
        connection = sqlite3.connect(str(db_path))
    except sqlite3.Error:
        return None
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()
    if len(rows) != 1:
        return None
    revision = str(rows[0][0])
    script = ScriptDirectory.from_config(alembic_config())
    known = {r.revision for r in script.walk_revisions()}
    return revision if revision in known else False


def check_database(db_path: Path, root: Path, *, verify_hashes: bool) -> list[str]:
    """Problems with the closet database at ``db_path`` whose files live under ``root`` (empty: all good)."""
    try:
        connection = sqlite3.connect(str(db_path))
    except sqlite3.Error as exc:
        return [f"the database cannot be opened ({exc})"]
    try:
        try:
            result = connection.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return [f"the database is damaged ({exc})"]
        if [r[0] for r in result] != ["ok"]:
            return ["the database is damaged (integrity check: " + "; ".join(str(r[0]) for r in result[:3]) + ")"]
        try:
            items = connection.execute(
                "SELECT id, content_hash, photo_path, cutout_path, thumb_path, mask_path, category, group_name,"
                " formality, season FROM items"
            ).fetchall()
            rankers = connection.execute("SELECT path FROM ranker_versions").fetchall()
            # tags, diary, plans, ratings, clean-out: as the app writes them (all tables once at the newest schema)
            rows = row_problems(connection, complete=_at_newest_schema(connection))
        except sqlite3.DatabaseError as exc:
            return [f"the database is not a Wardrobe closet ({exc})"]
    finally:
        connection.close()
    problems: list[str] = list(rows)
    for row in items:
        problems.extend(_item_problems(row, root, verify_hashes))
        if len(problems) > 50:
            break
    for (path,) in rankers:
        if path in RANKER_MARKERS:  # a version with no file of its own (the expert rules, a reset)
            continue
        if not isinstance(path, str) or not path.startswith("ranker/") or not _inside(root, path):
            problems.append(f"a personal ranker path points outside the closet: {path!r}")
    return problems


def _at_newest_schema(connection: sqlite3.Connection) -> bool:
    from wardrobe_app.services.closet_state import _head_revision

    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return True  # no revision: the database must be complete to be trusted
    return len(rows) != 1 or rows[0][0] == _head_revision()


def _inside(root: Path, relative: str) -> bool:
    try:
        confined(root, relative)
    except UnsafePathError:
        return False
    return True


def _item_problems(row: tuple[object, ...], root: Path, verify_hashes: bool) -> list[str]:
    item_id, content_hash, photo, cutout, thumb, mask, category, group, formality, season = row
    where = f"item {item_id}"
    problems = []
    if not isinstance(content_hash, str) or not _HASH.fullmatch(content_hash):
        problems.append(f"{where}: invalid content hash")
    for kind, path, required in (
        ("photos", photo, True),
        ("cutouts", cutout, False),
        ("thumbs", thumb, False),
        ("masks", mask, False),
    ):
        if path is None and not required:
            continue
        if (
            not isinstance(path, str)
            or not is_item_path(path)
            or not path.startswith(kind + "/")
            or not _inside(root, path)
        ):
            problems.append(f"{where}: file path {path!r} is not a closet file path (outside the data dir?)")
            continue
        file = root / path
        if not file.is_file() or file.is_symlink():
            problems.append(f"{where}: its file {path} is missing")
        elif verify_hashes and kind == "photos" and sha256_file(file) != content_hash:
            problems.append(f"{where}: its photo {path} does not match its checksum")
    if category is not None and category not in CATEGORY_GROUPS:
        problems.append(f"{where}: unknown category {category!r}")
    if group is not None and group not in {g.value for g in Group}:
        problems.append(f"{where}: unknown group {group!r}")
    elif category in CATEGORY_GROUPS and group != CATEGORY_GROUPS[str(category)].value:
        problems.append(f"{where}: group {group!r} does not match category {category!r}")
    if formality is not None and (not isinstance(formality, int) or not 1 <= formality <= 5):
        problems.append(f"{where}: formality {formality!r} is not 1-5")
    if season is not None and season not in SEASONS:
        problems.append(f"{where}: unknown season {season!r}")
    return problems


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_export_target(zip_path: Path, manifest: str) -> None:
    """ArchiveError unless ``zip_path`` (links followed) is nothing yet, an empty file or an older backup: the
    export is renamed onto it, which would replace the person's own file (``wardrobe export ~/thesis.pdf``, a slip
    of tab completion), a pipe, a socket or, run as root, a device (``wardrobe export /dev/null``)."""
    try:
        mode = zip_path.stat().st_mode
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:  # a name too long for the disk, a folder that may not be entered
        raise ArchiveError(f"cannot write the export {zip_path}: {getattr(exc, 'strerror', None) or exc}") from exc
    if not stat.S_ISREG(mode):
        raise ArchiveError(
            f"{zip_path} is not a file (a folder, a device or a pipe): the export would replace it; "
            "choose a file name such as wardrobe-backup.zip"
        )
    if zip_path.stat().st_size > 0 and not _is_wardrobe_archive(zip_path, manifest):
        raise ArchiveError(
            f"{zip_path} already exists and is not a Wardrobe backup: the export would replace it; "
            "choose another name, or move that file away first"
        )


def _is_wardrobe_archive(path: Path, manifest: str) -> bool:
    """True for a zip holding an export's manifest (an older backup, which a new export may replace)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return manifest in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False
