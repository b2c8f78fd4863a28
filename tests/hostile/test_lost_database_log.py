"""A lost database whose write-ahead log is still there: the advice "put the database file back" must be safe.

A crash leaves the last changes in ``wardrobe.sqlite3-wal``. With the database then lost, putting back an older
copy (the advice of the refusal) let SQLite lay that log over a file it did not belong to: the copy was
damaged ("database disk image is malformed"). The log is now set aside, kept, and said where.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import closet_snapshot
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.domain import DamagedClosetError
from wardrobe_app.services.wardrobe import Wardrobe

CRASHING_WRITER = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("UPDATE items SET name = 'renamed ' || id")
connection.execute("CREATE TABLE filler (x)")
connection.executemany("INSERT INTO filler VALUES (?)", [("x" * 900,) for _ in range(300)])
connection.commit()
os._exit(9)  # killed before any checkpoint: the changes stay in the -wal
"""


def test_putting_back_an_older_copy_beside_a_crash_log_opens_that_copy_undamaged(
    small_closet: Wardrobe, data_dir: Path, photo_factory: PhotoFactory, tmp_path: Path
) -> None:
    db = data_dir / DB_FILENAME
    old_items = closet_snapshot(small_closet)
    small_closet.close()
    older_copy = tmp_path / "wardrobe-copy.sqlite3"
    shutil.copy(db, older_copy)  # the person's own copy, from last month
    with Wardrobe.open(data_dir, classifier="none") as closet:  # the closet moves on (checkpointed on close)
        for i in range(3):
            closet.add_photo(photo_factory(f"later{i}.jpg", seed=30 + i), category="shirt")
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(db)], check=False)
    assert Path(f"{db}-wal").stat().st_size > 0

    db.unlink()  # the database is lost
    with pytest.raises(DamagedClosetError, match="put the database file back") as refused:
        Wardrobe.open(data_dir, classifier="none")
    assert "set aside" in str(refused.value)
    assert not Path(f"{db}-wal").exists() and list(data_dir.glob(f"{DB_FILENAME}-wal.*"))  # kept, not deleted

    shutil.copy(older_copy, db)  # as advised
    with Wardrobe.open(data_dir, classifier="none") as reopened:
        assert closet_snapshot(reopened) == old_items  # that copy, as it was: no later changes laid over it
        assert not [p for p in reopened.doctor().problems if "damaged" in p]  # (the later photos: orphans now)
    with sqlite3.connect(older_copy) as untouched:
        assert untouched.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    untouched.close()


def test_a_second_lost_log_in_the_same_second_is_set_aside_too_never_over_the_first(
    small_closet: Wardrobe, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = data_dir / DB_FILENAME
    small_closet.close()
    monkeypatch.setattr("time.strftime", lambda *_: "20261126-061723")  # both refusals in one second
    db.unlink()
    for content in (b"first log", b"second log"):
        Path(f"{db}-wal").write_bytes(content)
        with pytest.raises(DamagedClosetError, match="set aside") as refused:
            Wardrobe.open(data_dir, classifier="none")
        assert not Path(f"{db}-wal").exists()  # said set aside: it is
    kept = sorted(data_dir.glob(f"{DB_FILENAME}-wal.set-aside-*"))
    assert sorted(p.read_bytes() for p in kept) == [b"first log", b"second log"]
    assert kept[-1].name in str(refused.value) or kept[0].name in str(refused.value)
    assert "-shm" not in str(refused.value)  # only what was moved is named
