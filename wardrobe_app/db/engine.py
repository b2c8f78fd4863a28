"""Open the closet database: SQLite in WAL mode, foreign keys on, schema upgraded by Alembic."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

DB_FILENAME = "wardrobe.sqlite3"
#: The database and the files SQLite keeps beside it (write-ahead log, shared memory, rollback journal).
DB_FILES = tuple(DB_FILENAME + end for end in ("", "-wal", "-shm", "-journal"))


def migrations_dir() -> Path:
    """The Alembic scripts folder (shipped in the wheel; ``migrations/`` at the top of a source checkout)."""
    from wardrobe_app.resources import shipped_dir

    return shipped_dir("migrations")


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(db_path: Path) -> Engine:
    """An engine for the SQLite file at ``db_path`` with our pragmas on every connection.

    The file is opened by path through ``creator`` rather than a URL, so that any character in the
    data dir's path (``?``, ``#``, ``%``, quotes, non-ASCII) means itself. New files are private (0600).
    """
    path = str(db_path)

    def connect() -> sqlite3.Connection:
        if not os.path.exists(path):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        return sqlite3.connect(path, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(engine: Engine | None = None) -> Any:
    """An Alembic Config pointing at our migrations (and at ``engine`` if given)."""
    from alembic.config import Config

    cfg = Config()
    # ConfigParser interpolation: a % in the install path must stay a %
    cfg.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


#: One upgrade at a time in this process: Alembic's ``op`` and ``context`` proxies are module globals, so two
#: threads upgrading two closets at once (a restore's staged copy, a test's leftover thread) ran each other's
#: operations on the wrong connection ("KeyError: 'script'", "NoSuchTableError").
_UPGRADES = threading.RLock()


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (head by default) through the migrations, all of them or none.

    Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so each ALTER and CREATE of a
    migration committed on its own: an upgrade stopped half-way (a crash, a full disk, an error) left a
    schema between two revisions that no later open could upgrade ("duplicate column name"), a closet that
    would never open again. Here the driver leaves transactions to us and the whole upgrade is one.
    """
    from alembic import command

    with _UPGRADES, engine.connect() as connection:  # Alembic's `op` and `context` are process-wide
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        implicit = driver.isolation_level
        driver.isolation_level = None  # no implicit BEGIN or COMMIT: ours only
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            driver.isolation_level = implicit


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def open_database(db_path: Path) -> tuple[Engine, sessionmaker[Session]]:
    """Open (creating if needed) and migrate the database; return engine and session factory."""
    engine = make_engine(db_path)
    upgrade_to_head(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)


def sqlite_error_code(exc: BaseException) -> int:
    """The primary SQLite result code of ``exc`` (a sqlite3 error, or SQLAlchemy's wrapping of one); 0 if none.

    What decides whether a failure is damage (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``) or a full disk, a busy or a
    read-only file, which must never be reported as a damaged closet (whose advice is to restore a backup).
    """
    original = getattr(exc, "orig", None) or exc
    return int(getattr(original, "sqlite_errorcode", 0) or 0) & 0xFF
