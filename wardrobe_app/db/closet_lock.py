"""One writer at a time across processes: a lock file in the data dir, held for the length of a write."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from wardrobe_app.domain import ClosetBusyError, DataDirError

LOCK_FILENAME = ".writer.lock"
HOLDER_FILENAME = ".writer.holder"
#: How long a writer waits for another one before saying the closet is busy.
DEFAULT_TIMEOUT = 60.0


class ClosetLock:
    """The closet's writer lock.

    Writers (an import batch, a retrain, a removal, a restore, orphan collection) hold it while
    they write; readers never take it. It is re-entrant within one thread, and other threads of
    the same process wait like other processes do.
    """

    def __init__(self, data_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.data_dir = data_dir
        self.timeout = timeout
        self._lock = FileLock(str(data_dir / LOCK_FILENAME), mode=0o600, thread_local=True)

    @property
    def held(self) -> bool:
        """True when this thread holds the lock."""
        return self._lock.is_locked

    @contextlib.contextmanager
    def writing(self, what: str, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for ``what`` (said to whoever has to wait); ClosetBusyError after ``timeout``."""
        outer = self._lock.is_locked
        try:
            self._lock.acquire(timeout=self.timeout if timeout is None else timeout)
        except Timeout:
            raise ClosetBusyError(
                f"the closet is busy in another window or command ({self.holder() or 'another program'}); "
                "try again when it has finished"
            ) from None
        except OSError as exc:
            raise self._unusable(exc) from exc
        try:
            if not outer:
                self._write_holder(what)
            yield
        finally:
            if not outer:
                self._forget_holder()
            self._lock.release()

    def _forget_holder(self) -> None:
        """Remove the note of who holds the lock; a disk turned read-only meanwhile must not hide the write's own
        error (nor keep the lock): a stale note is only ever read as a hint."""
        with contextlib.suppress(OSError):
            (self.data_dir / HOLDER_FILENAME).unlink(missing_ok=True)

    @contextlib.contextmanager
    def try_writing(self, what: str) -> Iterator[bool]:
        """Take the lock only if nobody holds it; yields whether it was taken."""
        if self._lock.is_locked:
            with self.writing(what):
                yield True
            return
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            yield False
            return
        except OSError as exc:
            raise self._unusable(exc) from exc
        try:
            self._write_holder(what)
            yield True
        finally:
            self._forget_holder()
            self._lock.release()

    def _unusable(self, exc: OSError) -> DataDirError:
        """The lock file cannot be opened (a folder or a link where it should be, a read-only disk)."""
        path = self.data_dir / LOCK_FILENAME
        return DataDirError(
            f"cannot take the closet's writer lock {path} ({exc.strerror or exc}); nothing was changed. If it is "
            "a folder or a link, remove it (it holds nothing of the closet) and try again"
        )

    def holder(self) -> str | None:
        """Who holds the lock, as the holder wrote it (best effort, for messages)."""
        try:
            info = json.loads((self.data_dir / HOLDER_FILENAME).read_text(encoding="utf-8"))
            since = time.strftime("%H:%M:%S", time.localtime(info["since"]))
            return f"{info['what']}, process {info['pid']}, since {since}"
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_holder(self, what: str) -> None:
        with contextlib.suppress(OSError):
            path = self.data_dir / HOLDER_FILENAME
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"what": what, "pid": os.getpid(), "since": time.time()}, handle)
