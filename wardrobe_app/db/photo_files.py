"""Content-addressed photo files under the data dir, written atomically, orphans collected."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from wardrobe_app.domain import UnsafePathError

log = logging.getLogger(__name__)

#: Sub-folders of the data dir that hold item files.
KINDS = ("photos", "cutouts", "thumbs", "masks")
#: Present while files are written whose row has not committed yet: a crash leaves it behind.
PENDING_MARKER = ".writes-pending"
#: The only shape an item file's relative path may have: ``<kind>/<h[:2]>/<sha256>.<ext>``.
ITEM_PATH = re.compile(r"(photos|cutouts|thumbs|masks)/([0-9a-f]{2})/\2[0-9a-f]{62}\.[a-z0-9]{1,5}")
#: A temp file ``PhotoFiles.write`` makes beside its target (left behind when a write is killed).
TEMP_PATH = re.compile(r"(photos|cutouts|thumbs|masks)/[0-9a-f]{2}/\.tmp-[^/]+")


_WRITERS: ThreadPoolExecutor | None = None
_WRITERS_LOCK = threading.Lock()


def _writers() -> ThreadPoolExecutor:
    """The threads ``PhotoFiles.write_many`` writes on (made on first use, shared by every closet)."""
    global _WRITERS
    with _WRITERS_LOCK:
        if _WRITERS is None:
            _WRITERS = ThreadPoolExecutor(max_workers=len(KINDS), thread_name_prefix="photo-files")
        return _WRITERS


def _forget_writers() -> None:
    """In a forked child the pool's threads do not exist: it makes its own on first use."""
    global _WRITERS, _WRITERS_LOCK
    _WRITERS, _WRITERS_LOCK = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_writers)


def confined(data_dir: Path, relative: str) -> Path:
    """``data_dir / relative`` resolved, or UnsafePathError when it would leave the data dir.

    Absolute paths, ``..`` parts, and symlinks leading out of the data dir are all refused.
    """
    if not relative or "\x00" in relative:
        raise UnsafePathError(relative)
    candidate = Path(relative)
    if candidate.is_absolute() or candidate.drive or ".." in candidate.parts:
        raise UnsafePathError(relative)
    root = data_dir.resolve()
    try:
        resolved = (root / candidate).resolve()
    except (RuntimeError, OSError):  # a loop of links (RuntimeError before Python 3.13): it leads nowhere usable
        raise UnsafePathError(relative) from None
    if resolved == root or not resolved.is_relative_to(root):
        raise UnsafePathError(relative)
    return resolved


def is_item_path(relative: str) -> bool:
    """True when ``relative`` has exactly the shape the closet gives its item files."""
    return ITEM_PATH.fullmatch(relative) is not None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PhotoFiles:
    """Files of items, named by the hash of the original photo: ``<kind>/<h[:2]>/<h>.<ext>``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def relative_path(self, kind: str, content_hash: str, suffix: str) -> str:
        return f"{kind}/{content_hash[:2]}/{content_hash}{suffix}"

    def absolute(self, relative: str) -> Path:
        """The file's path, confined to the data dir (UnsafePathError otherwise)."""
        return confined(self.data_dir, relative)

    def write(self, kind: str, content_hash: str, suffix: str, data: bytes) -> str:
        """Write ``data`` atomically (temp file, fsync, rename) and return its relative path."""
        relative = self.relative_path(kind, content_hash, suffix)
        target = self.absolute(relative)
        make_private_dirs(self.data_dir, target.parent)
        if target.exists() and target.stat().st_size == len(data):
            return relative
        replace_durably(target, data, suffix)
        return relative

    def write_many(self, files: Sequence[tuple[str, str, str, bytes]]) -> list[str]:
        """``write`` each (kind, content hash, suffix, data), all at once: their fsyncs wait together, not in turn
        (an imported photo's four files: 4-5 ms against 6 ms on a quiet disk, 4 against 16-29 ms while other
        processes write). Relative paths in order; the first error is raised once every write has ended (files
        written meanwhile are orphans the next open collects)."""
        if len(files) <= 1:
            return [self.write(*entry) for entry in files]
        futures = [_writers().submit(self.write, *entry) for entry in files]
        wait(futures)
        return [future.result() for future in futures]

    def begin_writes(self) -> None:
        """Mark that files are about to be written ahead of their row (see ``end_writes``)."""
        (self.data_dir / PENDING_MARKER).touch()

    def end_writes(self) -> None:
        """The rows of the files written since ``begin_writes`` have committed (or been rolled back)."""
        (self.data_dir / PENDING_MARKER).unlink(missing_ok=True)

    def writes_pending(self) -> bool:
        """True when a writer stopped between writing files and committing their rows (a crash)."""
        return (self.data_dir / PENDING_MARKER).exists()

    def delete(self, relatives: Iterable[str]) -> list[str]:
        """Delete item files; a path outside the data dir (or of another shape) is refused and kept."""
        refused = []
        for relative in relatives:
            try:
                if not is_item_path(relative):
                    raise UnsafePathError(relative)
                folder, name = relative.rsplit("/", 1)
                # the name itself: a link (a duplicate finder's) goes, never the file it points at (another item's)
                (self.absolute(folder) / name).unlink(missing_ok=True)
            except UnsafePathError:
                log.warning("not deleting %r: outside the closet's item folders", relative)
                refused.append(relative)
        return refused

    def all_files(self) -> Iterable[str]:
        """Every regular file in the item folders, never through a link: a ``masks`` folder (or a shard of it)
        that links out of the data dir is not walked, so orphan collection never deletes what is out there."""
        for kind in KINDS:
            root = self.data_dir / kind
            if root.is_symlink() or not root.is_dir():
                continue
            for folder, _dirs, names in os.walk(root, followlinks=False):
                for name in names:
                    path = Path(folder) / name
                    if not path.is_symlink() and path.is_file():
                        yield path.relative_to(self.data_dir).as_posix()

    def own_files(self) -> Iterable[str]:
        """Those of ``all_files`` the closet made: item files named by their hash, and its temp files.

        Anything else in the item folders (photos a person dragged in by hand, a second closet opened there by
        mistake) is not the closet's to delete, even though no row names it.
        """
        return (p for p in self.all_files() if _made_by_closet(p))

    def foreign_files(self) -> Iterable[str]:
        """Those of ``all_files`` the closet did not make (see ``own_files``)."""
        return (p for p in self.all_files() if not _made_by_closet(p))

    def carry_foreign_files(self, into: Path) -> list[str]:
        """Hard-link (or copy) ``foreign_files`` to the same places under ``into``, a closet about to replace this
        one: a restore replaces the closet's own files, never the photos a person put in its folders by hand."""
        carried = []
        for relative in self.foreign_files():
            source, target = self.data_dir / relative, into / relative
            if target.exists() or target.is_symlink():
                continue
            make_private_dirs(into, target.parent)
            try:
                os.link(source, target)
            except OSError:  # a disk without hard links
                shutil.copy2(source, target)
            carried.append(relative)
        return carried

    def collect_orphans(self, referenced: set[str]) -> list[str]:
        """Delete item files no row points at (left by a crash or a removal); return them.

        Only under the writer lock: an import in another process writes its files before its row.
        """
        removed = []
        for relative in list(self.own_files()):
            if relative not in referenced:  # callers hold the writer lock: no temp file is in use
                try:
                    self.absolute(relative).unlink(missing_ok=True)  # confined: never outside the data dir
                except UnsafePathError:
                    log.warning("not deleting %r: it leads out of the closet's folder", relative)
                    continue
                removed.append(relative)
        self.end_writes()
        return removed


def _made_by_closet(relative: str) -> bool:
    """An item file named by its hash, or a temp file ``PhotoFiles.write`` left."""
    return is_item_path(relative) or TEMP_PATH.fullmatch(relative) is not None


def replace_durably(path: Path, data: bytes, suffix: str = "") -> None:
    """``path`` holds ``data`` whole or not at all: a private temp file beside it (``.tmp-*``, 0600), fsynced, then
    renamed over it; the temp file is removed on any failure."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def make_private_dirs(data_dir: Path, folder: Path) -> None:
    """Create ``folder`` (inside ``data_dir``) and its parents as private (0700) folders."""
    missing = []
    current = folder
    while current != data_dir and not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
