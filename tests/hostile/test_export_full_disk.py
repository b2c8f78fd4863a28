"""A backup that cannot be written (a full disk, a full temp folder) says so plainly and leaves nothing behind.

It must never call the closet damaged: "damaged, restore your last backup" would send the person to replace
a healthy closet by an older one, losing everything added since.
"""

from __future__ import annotations

import errno
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.domain import DamagedClosetError, WardrobeError
from wardrobe_app.services import archive
from wardrobe_app.services.wardrobe import Wardrobe


def _no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir()] == [], "the failed export left files behind"


def test_a_full_disk_while_writing_the_zip_is_a_clear_error(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = closet_snapshot(small_closet)
    out = tmp_path / "backups"
    out.mkdir()
    real_write = zipfile.ZipFile.write

    def full(self: zipfile.ZipFile, filename: object, *args: object, **kwargs: object) -> None:
        if str(filename).endswith(".png"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    with pytest.raises(WardrobeError, match="disk is full") as raised:
        small_closet.export(out / "closet.zip")
    assert not isinstance(raised.value, DamagedClosetError)
    monkeypatch.undo()
    _no_leftovers(out)
    assert closet_snapshot(small_closet) == before
    assert small_closet.doctor().healthy


def test_a_full_temp_folder_while_snapshotting_the_database_is_not_called_damage(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot fills its disk (SQLITE_FULL, as a small /tmp does): a disk problem, not a damaged closet."""
    out = tmp_path / "backups"
    out.mkdir()
    real_connect = sqlite3.connect

    def connect(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(path, *args, **kwargs)  # type: ignore[arg-type]
        if not str(path).startswith(str(small_closet.data_dir)):  # the snapshot: a disk with room for one page
            connection.execute("PRAGMA max_page_count = 1")
        return connection

    monkeypatch.setattr(archive.sqlite3, "connect", connect)
    with pytest.raises(WardrobeError) as raised:
        small_closet.export(out / "closet.zip")
    monkeypatch.undo()
    assert not isinstance(raised.value, DamagedClosetError), raised.value
    assert "damaged" not in str(raised.value) and "full" in str(raised.value)
    _no_leftovers(out)
    assert small_closet.doctor().healthy
