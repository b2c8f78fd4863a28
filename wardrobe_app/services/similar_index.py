"""Keeping a collection's search index: the commit watch that skips needless syncs, and saved approximate indexes."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from wardrobe_app.db.photo_files import confined, make_private_dirs
from wardrobe_app.search import EmbeddingSpec, VectorIndex
from wardrobe_app.search.approximate import ApproximateIndex

log = logging.getLogger(__name__)

#: Folder of the data dir where big collections' approximate indexes are saved (rebuilt whenever in doubt).
INDEX_FOLDER = "indexes"


class CommitWatch:
    """Whether anything was committed to the closet's database since the last look, in microseconds.

    SQLite's ``data_version`` on a connection of its own, which never writes: it changes with every
    commit by any other connection, of this process or another. With the file's identity it makes a
    mark that is equal only while nothing changed, so the sync check (a scan of the collection, 160 ms
    at 44,000 items) runs only after a commit. None when it cannot tell: then the scan always runs.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._connections = 0  # a new connection counts data_version from its own start: never equal to before
        self._lock = threading.Lock()

    def mark(self) -> tuple[int, ...] | None:
        with self._lock:
            try:
                status = os.stat(self._path)
                identity = (status.st_dev, status.st_ino)
                if self._connection is None or identity != self._identity:  # first look, or a restored file
                    self._close()
                    self._connection = sqlite3.connect(self._path, check_same_thread=False)
                    self._identity = identity
                    self._connections += 1
                row = self._connection.execute("PRAGMA data_version").fetchone()
                return (*identity, self._connections, int(row[0]))
            except (OSError, sqlite3.Error):
                self._close()
                return None

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._identity = None, None


def saved_index_path(data_dir: Path, collection_id: int, cnn_version: str | None, spec: EmbeddingSpec) -> Path:
    """Where a collection's approximate index is saved (inside the data dir, or UnsafePathError)."""
    tag = hashlib.sha256(f"{cnn_version}|{spec}".encode()).hexdigest()[:16]
    return confined(data_dir, f"{INDEX_FOLDER}/collection-{int(collection_id)}-{tag}.ivf")


def keep_approximate(data_dir: Path, index: VectorIndex, path: Path | None, about: dict[str, Any]) -> None:
    """Put a big collection's approximate index in place (loaded, built or retrained) and save it.

    A saved index is used only if it holds exactly the vectors just read from the database
    (search/approximate.py checks); otherwise, or when damaged, it is rebuilt and saved again.
    """
    if index.approximate is None:
        loaded = ApproximateIndex.load(path, index.ids, index.vectors, about) if path and path.exists() else None
        if loaded is not None and not loaded.needs_retraining():
            index.use_approximate(loaded)
            return
        index.build_approximate()
    elif index.approximate.needs_retraining():
        index.build_approximate()
    approximate = index.approximate
    assert approximate is not None
    if path is None:
        return
    try:
        make_private_dirs(data_dir, path.parent)
        approximate.save(path, index.ids, index.vectors, about)
    except OSError as error:  # a full disk, say: the index still works from memory
        log.warning("could not save the search index %s: %s", path.name, error)


def forget_saved(data_dir: Path, collection_id: int) -> None:
    """Delete a (removed) collection's saved approximate indexes."""
    folder = data_dir / INDEX_FOLDER
    if folder.is_dir() and not folder.is_symlink():
        for path in folder.glob(f"collection-{int(collection_id)}-*"):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
