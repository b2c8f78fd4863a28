"""Export the closet to a zip archive and restore it, refusing damaged archives untouched."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.db.photo_files import KINDS
from wardrobe_app.domain import ArchiveError

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe

MANIFEST = "wardrobe-export.json"
FORMAT = "wardrobe-closet-export"
#: Folders of the data dir that travel in an archive (item files and the personal ranker).
FOLDERS = (*KINDS, "ranker")


def export_closet(wardrobe: Wardrobe, zip_path: Path) -> Path:
    """Snapshot the database (SQLite backup API) and add every item file, atomically."""
    zip_path = zip_path.expanduser().resolve()
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / DB_FILENAME
        source = sqlite3.connect(wardrobe.data_dir / DB_FILENAME)
        target = sqlite3.connect(snapshot)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        partial = zip_path.with_name(zip_path.name + ".partial")
        files = [p for folder in FOLDERS for p in sorted((wardrobe.data_dir / folder).rglob("*")) if p.is_file()]
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                MANIFEST,
                json.dumps({"format": FORMAT, "version": 1, "exported_at": datetime.now(UTC).isoformat(),
                            "files": len(files), "items": len(wardrobe.items(include_archived=True))}),
            )
            archive.write(snapshot, DB_FILENAME)
            for path in files:
                archive.write(path, path.relative_to(wardrobe.data_dir).as_posix(),
                              compress_type=zipfile.ZIP_STORED)
        partial.replace(zip_path)
    return zip_path


def _check_archive(zip_path: Path, into: Path) -> None:
    """Extract into ``into`` and verify it is a complete, undamaged wardrobe archive."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise ArchiveError(f"{zip_path}: damaged archive (bad data in {bad})")
            names = set(archive.namelist())
            if MANIFEST not in names or DB_FILENAME not in names:
                raise ArchiveError(f"{zip_path}: not a Wardrobe export (no manifest or database)")
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise ArchiveError(f"{zip_path}: not a Wardrobe export")
            for name in names:
                if name.startswith("/") or ".." in Path(name).parts:
                    raise ArchiveError(f"{zip_path}: unsafe path in archive: {name}")
            archive.extractall(into)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"{zip_path}: cannot read archive ({exc})") from exc
    try:
        connection = sqlite3.connect(into / DB_FILENAME)
        try:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ArchiveError(f"{zip_path}: the database inside is damaged")
            rows = connection.execute("SELECT photo_path FROM items").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{zip_path}: the database inside is damaged ({exc})") from exc
    missing = [r[0] for r in rows if not (into / r[0]).is_file()]
    if missing:
        raise ArchiveError(f"{zip_path}: {len(missing)} photos are missing from the archive")


def restore_closet(zip_path: Path, data_dir: Path, before_swap: Callable[[], None] | None = None) -> None:
    """Check the archive completely first; only then swap it in place of the current closet."""
    if not zip_path.is_file():
        raise ArchiveError(f"{zip_path}: no such file")
    staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restore-"))
    backup = Path(tempfile.mkdtemp(dir=data_dir, prefix=".before-restore-"))
    try:
        _check_archive(zip_path, staging)
        if before_swap is not None:
            before_swap()
        current = [DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", *FOLDERS]
        for name in current:
            if (data_dir / name).exists():
                (data_dir / name).rename(backup / name)
        try:
            for entry in staging.iterdir():
                entry.rename(data_dir / entry.name)
        except OSError as exc:  # put the closet back as it was
            for name in current:
                if (backup / name).exists():
                    _remove(data_dir / name)
                    (backup / name).rename(data_dir / name)
            raise ArchiveError(
                f"{zip_path}: could not put the archive in place ({exc}); the closet is unchanged"
            ) from exc
        (data_dir / MANIFEST).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
