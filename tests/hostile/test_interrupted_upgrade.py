"""An upgrade of the closet's schema stopped half-way (a crash, a full disk, an error) changes nothing.

The first open after installing a new version migrates the database. Before, each ALTER and CREATE of a
migration committed on its own (Python's sqlite3 opens transactions only for INSERT/UPDATE/DELETE), so an
upgrade stopped between two of them left a schema no later open could upgrade ("duplicate column name"):
a closet that never opened again, with advice to restore a backup.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.operations import Operations

from tests.migrations.test_item_details_migration import TABLES, _closet_at_0004
from wardrobe_app.db import engine
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.domain import DiskFullError, WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe


def _schema_and_rows(db: Path) -> tuple[list[str], dict[str, int], str]:
    with sqlite3.connect(db) as connection:
        schema = [row[0] for row in connection.execute("SELECT sql FROM sqlite_master ORDER BY name")]
        rows = {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("items", *TABLES)}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    connection.close()
    return schema, rows, revision


def test_an_upgrade_that_fails_half_way_leaves_the_old_schema_and_the_next_open_upgrades(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _closet_at_0004(tmp_path)
    db = tmp_path / DB_FILENAME
    before = _schema_and_rows(db)
    assert before[2] == "0004_wear_diary" and before[1]["items"] == 3

    def power_cut(*_args: object, **_kwargs: object) -> None:  # 0005 has added two columns by then
        raise OSError("the laptop's battery ran out")

    monkeypatch.setattr(Operations, "create_index", power_cut)
    with pytest.raises(OSError, match="battery"):
        Wardrobe.open(tmp_path, classifier="none")
    monkeypatch.undo()
    assert _schema_and_rows(db) == before  # not a column more: the upgrade was one transaction

    with Wardrobe.open(tmp_path, classifier="none") as closet:
        assert sorted(i.id for i in closet.items(include_archived=True)) == [3, 4, 5]
    after = _schema_and_rows(db)
    assert after[1] == before[1] and after[2] != before[2]


def test_a_full_disk_during_the_upgrade_is_said_plainly_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "cannot be read ... restore a backup": that advice would replace a healthy closet by an older one."""
    _closet_at_0004(tmp_path)
    db = tmp_path / DB_FILENAME
    before = _schema_and_rows(db)
    with sqlite3.connect(db) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.close()
    real_pragmas = engine._set_pragmas

    def full_disk(dbapi_connection: sqlite3.Connection, record: object) -> None:
        real_pragmas(dbapi_connection, record)
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # not a page more fits

    monkeypatch.setattr(engine, "_set_pragmas", full_disk)
    with pytest.raises(WardrobeError) as raised:
        Wardrobe.open(tmp_path, classifier="none")
    monkeypatch.undo()
    assert isinstance(raised.value, DiskFullError), raised.value
    assert _schema_and_rows(db) == before

    with Wardrobe.open(tmp_path, classifier="none") as closet:
        assert len(closet.items(include_archived=True)) == 3


def test_two_closets_upgraded_at_once_from_two_threads_each_get_their_own_upgrade(tmp_path: Path) -> None:
    """Alembic's ``op`` and ``context`` are module globals: two threads of one process (the Python API, a GUI
    opening a closet while a restore upgrades its staged copy) ran each other's operations on the wrong
    database ("table collections already exists", "KeyError: 'script'")."""
    errors: list[BaseException] = []

    def upgrade(path: Path) -> None:
        try:
            made = engine.make_engine(path)
            engine.upgrade_to_head(made)
            made.dispose()
        except BaseException as exc:  # every failure is the finding
            errors.append(exc)

    paths = [tmp_path / f"closet-{n}.sqlite3" for n in range(6)]
    for start in range(0, len(paths), 3):
        threads = [threading.Thread(target=upgrade, args=(path,)) for path in paths[start : start + 3]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    for path in paths:
        assert _schema_and_rows(path)[2] == _schema_and_rows(paths[0])[2]
