"""Export the closet to a zip archive and restore one as a transaction: checked whole, swapped with a journal."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from wardrobe_app.db.engine import DB_FILENAME, open_database, sqlite_error_code
from wardrobe_app.db.photo_files import KINDS, PhotoFiles, confined, is_item_path, make_private_dirs, replace_durably
from wardrobe_app.domain import ArchiveError, DamagedClosetError, DiskFullError, UnsafePathError, WardrobeError
from wardrobe_app.services.archive_checks import check_database, check_export_target, known_revision, sha256_file
from wardrobe_app.services.data_dir import outside_closet
from wardrobe_app.services.outfit_settings import SETTINGS_FILE, read_settings
from wardrobe_app.services.restore_folders import (
    BACKUP_PREFIX,
    JOURNAL,
    MARKER,
    STAGING_PREFIX,
    clean_leftovers,
    make_restore_folder,
)
from wardrobe_app.services.trash import names_a_missing_extra

MANIFEST = "wardrobe-export.json"
FORMAT = "wardrobe-closet-export"
#: Folders of the data dir that travel in an archive (item files and the personal ranker).
FOLDERS = (*KINDS, "ranker")
#: What a restore swaps: the database with its WAL files, the folders, and the outfit settings (hemisphere)
#: when the archive carries them (archives made before they travelled leave the current ones in place).
SWAPPED = (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", *FOLDERS, SETTINGS_FILE)
#: Most entries and bytes an archive may unpack to (a closet of 50,000 photos is far below both).
MAX_ENTRIES = 400_000
MAX_UNPACKED_BYTES = 64 * 2**30
#: Free space a restore leaves on the disk, beyond the unpacked archive.
SPARE_BYTES = 256 * 2**20


# -- export ------------------------------------------------------------------------------------
def export_closet(data_dir: Path, zip_path: Path) -> Path:
    """Snapshot the database (SQLite backup API) and add every item file with its sha256, atomically.

    Refuses (DamagedClosetError) a closet whose database is damaged or whose files are missing:
    such an archive could not be restored. ``wardrobe doctor`` says what is wrong.
    """
    zip_path = outside_closet(data_dir, zip_path, "the export")
    check_export_target(zip_path, MANIFEST)
    try:
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        # a short name of its own: one made from a long export name would be too long for the disk
        fd, partial_name = tempfile.mkstemp(dir=zip_path.parent, prefix=".wardrobe-export-", suffix=".partial")
    except OSError as exc:
        raise ArchiveError(f"cannot write the export in {zip_path.parent}: {exc.strerror or exc}") from exc
    os.close(fd)
    partial = Path(partial_name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            snapshot = Path(tmp) / DB_FILENAME
            source = sqlite3.connect(data_dir / DB_FILENAME)
            target = sqlite3.connect(snapshot)
            try:
                source.backup(target)
            except sqlite3.DatabaseError as exc:
                raise _snapshot_error(exc, Path(tmp)) from exc
            finally:
                source.close()
                target.close()
            problems = check_database(snapshot, data_dir, verify_hashes=False)
            if problems:
                raise DamagedClosetError(
                    "cannot export a closet with problems, the archive could not be restored: "
                    + "; ".join(problems[:5])
                    + ". Run `wardrobe doctor` to see and repair them"
                )
            # Only what a restore takes back: a stray file (a Finder .DS_Store, an editor's temp file) in an
            # item folder would make the archive unrestorable.
            files = [
                p
                for folder in FOLDERS
                for p in _regular_files(data_dir / folder)
                if _allowed_entry(p.relative_to(data_dir).as_posix())
            ]
            hashes = {p.relative_to(data_dir).as_posix(): sha256_file(p) for p in files}
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(
                    MANIFEST,
                    json.dumps(
                        {
                            "format": FORMAT,
                            "version": 2,
                            "exported_at": datetime.now(UTC).isoformat(),
                            "files": len(files),
                            "database_sha256": sha256_file(snapshot),
                            "sha256": hashes,
                        }
                    ),
                )
                archive.write(snapshot, DB_FILENAME)
                settings = read_settings(data_dir)
                if (data_dir / SETTINGS_FILE).exists() and "problem" not in settings:
                    archive.writestr(SETTINGS_FILE, json.dumps(settings))
                for path in files:
                    archive.write(path, path.relative_to(data_dir).as_posix(), compress_type=zipfile.ZIP_STORED)
        partial.chmod(0o600)
        partial.replace(zip_path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a USB stick pulled out: the closet itself is untouched
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFullError(f"while writing the export {zip_path}") from exc
            raise ArchiveError(f"cannot write the export {zip_path}: {exc.strerror or exc}") from exc
        raise
    return zip_path


def _snapshot_error(exc: sqlite3.DatabaseError, folder: Path) -> WardrobeError:
    """What a failed snapshot of the database means: damage only when SQLite says so. A full temp folder, or a
    busy database, is not damage: "damaged, restore your last backup" would replace a healthy closet."""
    code = sqlite_error_code(exc)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedClosetError(f"the closet's database is damaged ({exc}); run `wardrobe doctor`")
    if code == sqlite3.SQLITE_FULL:
        return DiskFullError(f"while copying the database into the temporary folder {folder.parent}")
    return ArchiveError(f"cannot copy the closet's database for the export ({exc}); the closet is unchanged")


def _regular_files(root: Path) -> list[Path]:
    """The regular files under ``root``, sorted, never through a link (a ``ranker`` folder linking to ~/.ssh
    would otherwise put whatever is there into the archive)."""
    if root.is_symlink() or not root.is_dir():
        return []
    found = [Path(folder) / name for folder, _dirs, names in os.walk(root, followlinks=False) for name in names]
    return sorted(p for p in found if not p.is_symlink() and p.is_file())


# -- unpacking and checking ----------------------------------------------------------------------
def _allowed_entry(name: str) -> bool:
    if name in (MANIFEST, DB_FILENAME, SETTINGS_FILE):
        return True
    if name.startswith("ranker/"):
        parts = Path(name).parts
        return len(parts) >= 2 and ".." not in parts and not name.startswith("/")
    return is_item_path(name)


def _unpack(zip_path: Path, into: Path) -> dict[str, object]:
    """Extract a wardrobe archive into ``into``: known entries only, no links, sizes capped."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            if len(infos) > MAX_ENTRIES:
                raise ArchiveError(f"{zip_path}: too many entries ({len(infos)})")
            names = {i.filename for i in infos}
            if MANIFEST not in names or DB_FILENAME not in names:
                raise ArchiveError(f"{zip_path}: not a Wardrobe export (no manifest or database)")
            declared = 0
            for info in infos:
                if not _allowed_entry(info.filename):
                    raise ArchiveError(f"{zip_path}: unexpected or unsafe entry {info.filename!r}")
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise ArchiveError(f"{zip_path}: {info.filename} is a symbolic link; refused")
                declared += info.file_size
            free = shutil.disk_usage(into).free
            if declared > MAX_UNPACKED_BYTES or declared + SPARE_BYTES > free:
                raise ArchiveError(
                    f"{zip_path}: unpacks to {declared / 2**30:.1f} GB, more than the disk can take "
                    f"({free / 2**30:.1f} GB free)"
                )
            manifest = json.loads(archive.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ArchiveError(f"{zip_path}: not a Wardrobe export")
            for info in infos:
                target = confined(into, info.filename)
                make_private_dirs(into, target.parent)  # every folder 0700 (mkdir's parents= ignores mode)
                written = 0
                with archive.open(info) as source, _private_file(target) as sink:
                    for chunk in iter(lambda s=source: s.read(1 << 20), b""):  # type: ignore[misc]
                        written += len(chunk)
                        if written > info.file_size:  # the header lied: a bomb
                            raise ArchiveError(f"{zip_path}: {info.filename} is larger than it says")
                        sink.write(chunk)
    except ArchiveError:
        raise
    except UnsafePathError as exc:
        raise ArchiveError(f"{zip_path}: unsafe path in archive: {exc.path}") from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # the backup is fine: "cannot read" would have it thrown away
            raise DiskFullError(
                f"while unpacking the backup {zip_path} into {into.parent}; the closet is unchanged"
            ) from exc
        raise ArchiveError(f"{zip_path}: cannot read archive ({exc})") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, KeyError) as exc:
        raise ArchiveError(f"{zip_path}: cannot read archive ({exc})") from exc
    return manifest


@contextlib.contextmanager
def _private_file(path: Path):  # type: ignore[no-untyped-def]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        yield handle


def _drop_outfits_of_emptied_pieces(db: Path) -> None:
    """In the staged copy only: outfits whose layer or accessory (named only in the key) is gone, with their
    ratings. Earlier versions left them when such an item was emptied from the trash; the app now drops them
    then (``trash.drop_outfits_of_missing_items``), so a backup made before that must restore without them."""
    try:
        with contextlib.closing(sqlite3.connect(db)) as connection, connection:
            connection.execute("PRAGMA foreign_keys = ON")
            items = {row[0] for row in connection.execute("SELECT id FROM items")}
            gone = [
                outfit_id
                for outfit_id, key in connection.execute("SELECT id, key FROM outfits")
                if isinstance(key, str) and names_a_missing_extra(key, items)
            ]
            for start in range(0, len(gone), 500):
                chunk = gone[start : start + 500]
                connection.execute(f"DELETE FROM outfits WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    except sqlite3.Error:
        return  # not a closet database, or a damaged one: the checks that follow say so


def _check_staged(zip_path: Path, staged: Path, manifest: dict[str, object]) -> None:
    """Everything a restored closet must be, checked before the swap (and again after migrating)."""
    hashes = manifest.get("sha256")
    if isinstance(hashes, dict):
        for name, digest in hashes.items():
            path = staged / name
            if not _allowed_entry(str(name)) or not path.is_file():
                raise ArchiveError(f"{zip_path}: {name} is listed but missing from the archive")
            if sha256_file(path) != digest:
                raise ArchiveError(f"{zip_path}: {name} is damaged (its checksum does not match)")
    db = staged / DB_FILENAME
    revision = known_revision(db)
    if revision is None:
        raise ArchiveError(f"{zip_path}: the database inside is not a Wardrobe closet")
    if revision is False:
        raise ArchiveError(
            f"{zip_path}: made by a newer version of Wardrobe (its database is of a schema this version does "
            "not know); update Wardrobe to restore it"
        )
    _drop_outfits_of_emptied_pieces(db)
    problems = check_database(db, staged, verify_hashes=True)
    if problems:
        raise ArchiveError(f"{zip_path}: refused, " + "; ".join(problems[:5]))
    if (staged / SETTINGS_FILE).exists():
        settings = read_settings(staged)
        saved = json.loads((staged / SETTINGS_FILE).read_text(encoding="utf-8")) if "problem" not in settings else None
        if not isinstance(saved, dict) or set(saved) - {"hemisphere", "rest_ratings"}:
            raise ArchiveError(
                f"{zip_path}: refused, its {SETTINGS_FILE} is damaged ({settings.get('problem', saved)})"
            )


# -- restore -----------------------------------------------------------------------------------
def restore_closet(zip_path: Path, data_dir: Path, before_swap: Callable[[], None] | None = None) -> None:
    """Check the archive completely, migrate it, check again; only then swap it in, journalled.

    The old closet stays in place until the new one has passed every check; a crash during the
    swap is rolled back by ``recover_interrupted_restore`` when the closet next opens.
    """
    try:
        if not zip_path.is_file():
            raise ArchiveError(f"{zip_path}: no such file")
    except (OSError, ValueError) as exc:  # a name too long, a folder that may not be entered
        raise ArchiveError(f"{zip_path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    staging = make_restore_folder(data_dir, STAGING_PREFIX)
    try:
        backup = make_restore_folder(data_dir, BACKUP_PREFIX)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        manifest = _unpack(zip_path, staging)
        _check_staged(zip_path, staging, manifest)
        (staging / MANIFEST).unlink(missing_ok=True)
        try:  # the migrated closet must open, and pass the same checks
            engine, _ = open_database(staging / DB_FILENAME)
            engine.dispose()
        except Exception as exc:
            raise ArchiveError(f"{zip_path}: its database cannot be opened by this version ({exc})") from exc
        problems = check_database(staging / DB_FILENAME, staging, verify_hashes=False)
        if problems:
            raise ArchiveError(f"{zip_path}: refused after upgrading, " + "; ".join(problems[:5]))
        try:  # the person's own photos, put in the item folders by hand, are no part of any backup: they stay
            PhotoFiles(data_dir).carry_foreign_files(staging)
        except OSError as exc:
            raise ArchiveError(
                f"cannot keep the files you put in the closet's folders ({exc}); nothing changed"
            ) from exc
        if before_swap is not None:
            before_swap()
        _swap(staging, backup, data_dir, zip_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not (data_dir / JOURNAL).exists():  # else the old closet is in there: the next open rolls back
            shutil.rmtree(backup, ignore_errors=True)


def _swap(staging: Path, backup: Path, data_dir: Path, zip_path: Path) -> None:
    swapped = [name for name in SWAPPED if name != SETTINGS_FILE or (staging / name).exists()]
    existed = [name for name in swapped if (data_dir / name).exists()]
    journal = data_dir / JOURNAL
    try:
        _write_durably(
            journal,
            json.dumps({"staging": staging.name, "backup": backup.name, "existed": existed, "swapped": swapped}),
        )
    except OSError as exc:
        journal.unlink(missing_ok=True)  # the fsync of the folder failed after the rename: nothing was moved
        raise ArchiveError(f"{zip_path}: could not start putting it in place ({exc}); the closet is unchanged") from exc
    try:
        for name in existed:
            (data_dir / name).rename(backup / name)
        for entry in staging.iterdir():
            if entry.name == MARKER:
                continue
            entry.rename(data_dir / entry.name)
    except BaseException as exc:  # an error, or Ctrl+C: put the closet back as it was (kill -9: see the journal)
        _roll_back(data_dir, backup, existed, swapped)
        journal.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ArchiveError(
                f"{zip_path}: could not put the archive in place ({exc}); the closet is unchanged"
            ) from exc
        raise
    journal.unlink()  # the commit point: from here on the restored closet is the closet
    _fsync_dir(data_dir)


def _roll_back(data_dir: Path, backup: Path, existed: list[str], swapped: list[str]) -> None:
    for name in swapped:
        if (backup / name).exists():
            _remove(data_dir / name)
            (backup / name).rename(data_dir / name)
        elif name not in existed:
            _remove(data_dir / name)


def recover_interrupted_restore(data_dir: Path) -> str | None:
    """Roll back a restore that stopped during its swap (a crash, kill -9); say so, or None if there was none.

    Call with the writer lock held.
    """
    journal = data_dir / JOURNAL
    if not journal.exists():
        return None
    try:
        info = json.loads(journal.read_text(encoding="utf-8"))
        backup = confined(data_dir, str(info["backup"]))
        existed = [str(n) for n in info["existed"] if n in SWAPPED]
        # a journal of an older version swapped no settings file: leave the current one alone
        swapped = [str(n) for n in info.get("swapped", SWAPPED[:-1]) if n in SWAPPED]
    except (OSError, ValueError, KeyError, TypeError, UnsafePathError) as exc:
        raise DamagedClosetError(
            f"an interrupted restore left {journal} unreadable ({exc}); the previous closet may be in a "
            f"{BACKUP_PREFIX}* folder inside {data_dir}"
        ) from exc
    if backup.is_dir():
        _roll_back(data_dir, backup, existed, swapped)
    journal.unlink()
    clean_leftovers(data_dir)
    return "a restore was interrupted; the closet was put back as it was before it"


def _write_durably(path: Path, text: str) -> None:
    """``path`` whole or not at all (temp file, fsync, rename): a half-written journal bricked the closet."""
    replace_durably(path, text.encode("utf-8"), ".json")
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
