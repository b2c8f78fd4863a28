"""Content-addressed photo files under the data dir, written atomically, orphans collected."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

#: Sub-folders of the data dir that hold item files.
KINDS = ("photos", "cutouts", "thumbs", "masks")
#: Present while files are written whose row has not committed yet: a crash leaves it behind.
PENDING_MARKER = ".writes-pending"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PhotoFiles:
    """Files of items, named by the hash of the original photo: ``<kind>/<h[:2]>/<h>.<ext>``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def relative_path(self, kind: str, content_hash: str, suffix: str) -> str:
        return f"{kind}/{content_hash[:2]}/{content_hash}{suffix}"

    def absolute(self, relative: str) -> Path:
        return self.data_dir / relative

    def write(self, kind: str, content_hash: str, suffix: str, data: bytes) -> str:
        """Write ``data`` atomically (temp file, fsync, rename) and return its relative path."""
        relative = self.relative_path(kind, content_hash, suffix)
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.stat().st_size == len(data):
            return relative
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return relative

    def begin_writes(self) -> None:
        """Mark that files are about to be written ahead of their row (see ``end_writes``)."""
        (self.data_dir / PENDING_MARKER).touch()

    def end_writes(self) -> None:
        """The rows of the files written since ``begin_writes`` have committed (or been rolled back)."""
        (self.data_dir / PENDING_MARKER).unlink(missing_ok=True)

    def writes_pending(self) -> bool:
        """True when a writer stopped between writing files and committing their rows (a crash)."""
        return (self.data_dir / PENDING_MARKER).exists()

    def delete(self, relatives: Iterable[str]) -> None:
        for relative in relatives:
            self.absolute(relative).unlink(missing_ok=True)

    def all_files(self) -> Iterable[str]:
        for kind in KINDS:
            root = self.data_dir / kind
            if not root.is_dir():
                continue
            for path in root.rglob("*"):
                if path.is_file():
                    yield path.relative_to(self.data_dir).as_posix()

    def collect_orphans(self, referenced: set[str]) -> list[str]:
        """Delete item files no row points at (left by a crash or a removal); return them."""
        removed = []
        for relative in list(self.all_files()):
            if relative not in referenced:
                self.absolute(relative).unlink(missing_ok=True)
                removed.append(relative)
        self.end_writes()
        return removed
