"""Where the closet lives: platformdirs user data dir, or --data-dir / WARDROBE_DATA_DIR."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from stat import S_ISREG

from wardrobe_app.domain import DataDirError

ENV_VAR = "WARDROBE_DATA_DIR"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("wardrobe", "Wardrobe"))


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data dir to use, created if missing and checked to be writable."""
    if data_dir is not None:
        path = _not_blank(data_dir, "--data-dir")
    elif os.environ.get(ENV_VAR):
        path = _not_blank(os.environ[ENV_VAR], ENV_VAR)
    else:
        path = default_data_dir()
    path = resolved(path, "the data folder")
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _closet_or_empty(path):  # a folder of other things too (/tmp, a shared folder): its mode is not ours
            make_private(path)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise DataDirError(
            f"cannot use the data folder {path}: {exc.strerror or exc}. Choose another with --data-dir or {ENV_VAR}."
        ) from exc
    return path


def resolved(path: Path, what: str) -> Path:
    """``path`` with ``~`` expanded and links followed; DataDirError for a loop of links (``a -> b -> a``), which
    Python's resolve() reports as a RuntimeError (an OSError from 3.13)."""
    try:
        return path.expanduser().resolve()
    except (RuntimeError, OSError) as exc:
        raise DataDirError(f"cannot use {what} {path}: its symbolic links lead round in a loop ({exc})") from exc


def _not_blank(given: str | os.PathLike[str], where: str) -> Path:
    """``given`` as a path; DataDirError when it is empty or blanks: Path("") is the current folder, and
    ``--data-dir "$CLOSET"`` with CLOSET unset would lay a closet among the files of wherever one stands."""
    if not os.fspath(given).strip():
        raise DataDirError(
            f"the data folder given ({where}) is empty; name a folder, or leave it out for the usual one"
        )
    return Path(given)


def _closet_or_empty(path: Path) -> bool:
    """True when everything in ``path`` is the closet's (nothing at all: a new folder): it may be made private."""
    from wardrobe_app.db.closet_lock import HOLDER_FILENAME, LOCK_FILENAME
    from wardrobe_app.db.engine import DB_FILENAME, DB_FILES
    from wardrobe_app.db.photo_files import PENDING_MARKER
    from wardrobe_app.services.archive import FOLDERS
    from wardrobe_app.services.closet_state import CLOSET_MARKER, SET_ASIDE
    from wardrobe_app.services.outfit_settings import SETTINGS_FILE
    from wardrobe_app.services.restore_folders import BACKUP_PREFIX, JOURNAL, STAGING_PREFIX
    from wardrobe_app.services.similar_index import INDEX_FOLDER

    names = {
        *DB_FILES,
        *FOLDERS,
        INDEX_FOLDER,
        SETTINGS_FILE,
        CLOSET_MARKER,
        LOCK_FILENAME,
        HOLDER_FILENAME,
        JOURNAL,
        PENDING_MARKER,
        ".DS_Store",
    }
    # the closet's own temporary files, and the log of a lost database set aside (closet_state) when it opened
    prefixes = (".tmp-", ".write-test-", STAGING_PREFIX, BACKUP_PREFIX, *(DB_FILENAME + end for end in SET_ASIDE))
    with os.scandir(path) as entries:
        return all(entry.name in names or entry.name.startswith(prefixes) for entry in entries)


def make_private(path: Path) -> None:
    """Only the user may enter the data dir (0700); existing closets are tightened on open."""
    if os.name != "posix":
        return
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError:  # not ours to change (a shared folder): the files inside are still 0600
        pass


def outside_closet(data_dir: Path, path: str | os.PathLike[str], what: str) -> Path:
    """``path`` resolved (links followed), or DataDirError when writing it would land inside the closet's folder.

    An export, a packing list or a plot written there could overwrite the closet's database or its photos
    (``wardrobe export DATA_DIR/wardrobe.sqlite3`` replaced the database by a zip). The test is by file
    identity, not by spelling: on a case-insensitive disk (macOS, Windows) ``~/WARDROBE`` is ``~/Wardrobe``,
    and a bind mount or a hard link can name the closet's folder or database by another path.
    """
    target = resolved(Path(path), what)
    root = Path(data_dir).resolve()
    if target == root or target.is_relative_to(root) or _names_the_closet(root, target):
        raise DataDirError(
            f"{what} {path} would be written inside the closet's own folder {root}, where it could overwrite "
            "the closet; choose a place outside it"
        )
    return target


def _names_the_closet(root: Path, target: Path) -> bool:
    """True when ``target`` or a folder above it is the closet's folder, or ``target`` is one of its files."""
    root_id = file_identity(root)
    if root_id is None or not root_id[1]:  # st_ino 0: the disk gives no file identity (a network share)
        return False
    if root_id in map(file_identity, (target, *target.parents)):  # missing ones: the file to write, folders to create
        return True
    try:
        stat = target.stat()
    except OSError:
        return False
    # a hard link (a regular file on the closet's device: a folder always has several links): is it a closet file?
    if stat.st_nlink > 1 and S_ISREG(stat.st_mode) and stat.st_dev == root_id[0]:
        return (stat.st_dev, stat.st_ino) in map(file_identity, root.rglob("*"))
    return False


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path`` (links followed), None when it cannot be read (not there yet)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
