"""The closet's database as it is on disk: opened safely, followed when another process replaces it."""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.closet_lock import ClosetLock
from wardrobe_app.db.engine import DB_FILENAME, current_revision, make_engine, sqlite_error_code, upgrade_to_head
from wardrobe_app.db.photo_files import KINDS, PhotoFiles
from wardrobe_app.db.tables import ItemRow
from wardrobe_app.domain import ClosetBusyError, DamagedClosetError, DataDirError, DiskFullError, WardrobeError
from wardrobe_app.services.data_dir import file_identity

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


class Writer(Protocol):
    """What ``@writes`` needs of the object whose method it wraps: the Wardrobe facade and its facets."""

    def writing(self, what: str) -> AbstractContextManager[None]: ...


W = TypeVar("W", bound=Writer)
#: Written beside the database when a closet is first made: a closet existed here, even if its database vanished.
CLOSET_MARKER = ".wardrobe-closet"
#: The log of a lost database is set aside as ``<database>-wal.set-aside-<time>`` (and ``-shm``) when the closet opens.
SET_ASIDE_INFIX = ".set-aside-"
SET_ASIDE: tuple[str, ...] = tuple(f"{end}{SET_ASIDE_INFIX}" for end in ("-wal", "-shm"))


def writes(what: str) -> Callable[[Callable[Concatenate[W, P], R]], Callable[Concatenate[W, P], R]]:
    """Run a Wardrobe method under the closet's writer lock (see ``Wardrobe.writing``)."""

    def decorate(method: Callable[Concatenate[W, P], R]) -> Callable[Concatenate[W, P], R]:
        @functools.wraps(method)
        def locked(self: W, /, *args: P.args, **kwargs: P.kwargs) -> R:
            with self.writing(what):
                return method(self, *args, **kwargs)

        return locked

    return decorate


def disk_trouble(exc: OSError, what: str, data_dir: Path) -> WardrobeError:
    """What an OSError met while ``what`` (a write of the closet) means to a person: a full disk, or a closet folder
    that cannot be written (a read-only disk, permissions, an I/O error, a file where a folder belongs)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"while {what}")
    where = f" ({exc.filename})" if exc.filename else ""
    return DataDirError(
        f"{what} could not be finished: the closet's folder {data_dir} cannot be written ({exc.strerror or exc}"
        f"{where}). Check the disk and its permissions, then try again"
    )


def _has_item_files(data_dir: Path) -> bool:
    for kind in KINDS:
        folder = data_dir / kind
        if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
            return True
    return False


class LiveSessions(sessionmaker[Session]):
    """A session factory that always opens sessions on the closet as it is now (see ``follow_replacement``).

    Services keep it for as long as they like; after another process restores a backup, their next
    session is on the restored database, never on the replaced one.
    """

    def __init__(self, current: Callable[[], sessionmaker[Session]]) -> None:
        super().__init__()
        self._current = current

    def __call__(self, **local_kw: object) -> Session:
        return self._current()(**local_kw)  # type: ignore[arg-type]

    def begin(self) -> contextlib.AbstractContextManager[Session]:
        return self._current().begin()


class ClosetDatabase:
    """Engine and sessions of the closet's SQLite file, with the checks that keep a closet from being lost."""

    def __init__(self, data_dir: Path, lock: ClosetLock, files: PhotoFiles) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_FILENAME
        self.lock = lock
        self.files = files
        self.engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._identity: tuple[int, int] | None = None

    # -- opening -----------------------------------------------------------------------------
    def open(self) -> list[str]:
        """Open (creating or migrating) the database; return notices of what had to be repaired."""
        from wardrobe_app.services.archive import recover_interrupted_restore
        from wardrobe_app.services.restore_folders import JOURNAL, clean_leftovers, restore_leftovers

        notices: list[str] = []
        if (self.data_dir / JOURNAL).exists():
            with self.lock.writing("finishing an interrupted restore"):
                notice = recover_interrupted_restore(self.data_dir)
            if notice:
                log.warning(notice)
                notices.append(notice)
        self._refuse_lost_database()
        self._connect()
        leftovers = bool(restore_leftovers(self.data_dir))
        if self.files.writes_pending() or leftovers:
            # a writer stopped between its files and its row, or a restore was killed while unpacking:
            # clean up, but only if no writer is running now (its files are in flight, not orphans)
            with self.lock.try_writing("collecting files left by a crash") as free:
                if free and self.files.writes_pending():
                    removed = self.files.collect_orphans(self.referenced_files())
                    if removed:
                        log.info("collected %d files left by an interrupted import", len(removed))
                if free:
                    clean_leftovers(self.data_dir)
        return notices

    def _refuse_lost_database(self) -> None:
        """A missing or emptied database beside the photos of a closet is damage, never a new closet."""
        exists = self.path.exists()
        if exists and self.path.stat().st_size > 0:
            return
        if (self.data_dir / CLOSET_MARKER).exists() or _has_item_files(self.data_dir):
            state = "is empty (0 bytes)" if exists else "is missing"
            raise DamagedClosetError(
                f"the closet database {self.path} {state}, but the closet's photos are still in {self.data_dir}. "
                "Nothing was changed or deleted. Restore a backup (wardrobe restore FILE.zip), or put the "
                "database file back" + self._set_aside_lost_log()
            )

    def _set_aside_lost_log(self) -> str:
        """Move the write-ahead log of a lost database out of the way (kept, renamed); what to say about it.

        SQLite lays a ``-wal`` over whatever database file is put back beside it: over an older copy it damages
        that copy. Only with the writer lock free: a restore in another process moves these files too.
        """
        logs = [self.path.with_name(self.path.name + end) for end in ("-wal", "-shm")]
        if not any(log.exists() for log in logs):
            return ""
        moved: list[tuple[Path, Path]] = []
        with self.lock.try_writing("setting aside the log of a lost database") as free:
            if not free:
                return ""
            stamp = time.strftime("%Y%m%d-%H%M%S")
            try:
                for log in logs:
                    if not log.exists():
                        continue
                    target, n = log.with_name(f"{log.name}{SET_ASIDE_INFIX}{stamp}"), 1
                    while target.exists() or target.is_symlink():  # never over an earlier one (same second)
                        target, n = log.with_name(f"{log.name}{SET_ASIDE_INFIX}{stamp}-{n}"), n + 1
                    log.rename(target)
                    moved.append((log, target))
            except OSError as exc:
                said = "".join(f" ({a.name} was set aside as {b.name})" for a, b in moved)
                return (
                    f". Its last changes (a log a crash left, {logs[0].name}) could not be set aside: "
                    f"{exc.strerror or exc}{said}. Move it away yourself before putting back an older copy of the "
                    "database, which it would damage"
                )
        if not moved:
            return ""
        names = " and ".join(f"{a.name} as {b.name}" for a, b in moved)
        return (
            f". Its last changes (a log a crash left) were set aside: {names}. Put them back only beside the very "
            "same database file, never beside an older copy, which they would damage"
        )

    def _connect(self) -> None:
        engine = make_engine(self.path)
        try:
            if current_revision(engine) != _head_revision():
                with self.lock.writing("upgrading the closet"):
                    upgrade_to_head(engine)
        except DatabaseError as exc:
            engine.dispose()
            raise self._not_opened(exc) from exc
        except Exception as exc:
            engine.dispose()
            if "Can't locate revision" in str(exc):
                raise DamagedClosetError(
                    f"the closet in {self.data_dir} was made by a newer version of Wardrobe; update Wardrobe to open it"
                ) from exc
            raise
        marker = self.data_dir / CLOSET_MARKER
        if not marker.exists():
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))
        self.engine, self._sessions = engine, sessionmaker(engine, expire_on_commit=False)
        self._identity = file_identity(self.path)

    def _not_opened(self, exc: DatabaseError) -> WardrobeError:
        """Why the database could not be opened or upgraded: damage only when SQLite says it is damaged."""
        code, reason = sqlite_error_code(exc), exc.orig or exc
        if code == sqlite3.SQLITE_FULL:
            return DiskFullError(f"while upgrading the closet database {self.path}; it was left as it was")
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return ClosetBusyError(f"the closet database is in use by another program ({reason}); try again")
        if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
            return DataDirError(
                f"cannot open the closet database {self.path} for writing ({reason}); check its permissions"
            )
        return DamagedClosetError(
            f"the closet database {self.path} cannot be read ({reason}); run `wardrobe doctor`, or restore a backup"
        )

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    # -- following a replaced database ---------------------------------------------------------
    def sessions(self) -> sessionmaker[Session]:
        self.follow_replacement()
        assert self._sessions is not None
        return self._sessions

    def follow_replacement(self) -> None:
        """Reopen when the database file is no longer the one we opened (another process restored a backup)."""
        now = file_identity(self.path)
        if now == self._identity or now is None:  # None: mid-swap; writers wait for the lock and look again
            return
        log.info("the closet was replaced by another process; reopening it")
        self.close()
        self._refuse_lost_database()
        self._connect()

    def reopen(self) -> None:
        self.close()
        self._refuse_lost_database()
        self._connect()

    # -- files ---------------------------------------------------------------------------------
    def referenced_files(self) -> set[str]:
        with self.sessions()() as session:
            rows = session.execute(
                select(ItemRow.photo_path, ItemRow.cutout_path, ItemRow.thumb_path, ItemRow.mask_path)
            ).all()
        return {path for row in rows for path in row if path}


@functools.cache
def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    from wardrobe_app.db.engine import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
