"""The disk fills up while a restore unpacks the backup: the backup must not be called unreadable."""

from __future__ import annotations

import contextlib
import errno
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.domain import ArchiveError, DiskFullError
from wardrobe_app.services import archive
from wardrobe_app.services.wardrobe import Wardrobe


class _FullDisk:
    def __init__(self, handle: Any) -> None:
        self.handle, self.written = handle, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > 1000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return int(self.handle.write(data))


def _fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real = archive._private_file

    @contextlib.contextmanager
    def full(path: Path) -> Iterator[_FullDisk]:
        with real(path) as handle:
            yield _FullDisk(handle)

    monkeypatch.setattr(archive, "_private_file", full)


def test_a_full_disk_while_unpacking_says_so_and_keeps_the_closet(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: "cannot read archive ([Errno 28] ...)": a good backup called unreadable, which a person throws away."""
    backup = small_closet.export(tmp_path / "backup.zip")
    small_closet.remove(small_closet.items()[0].id)
    before = closet_snapshot(small_closet)
    _fill_disk(monkeypatch)
    with pytest.raises(DiskFullError) as raised:
        small_closet.restore(backup)
    assert "cannot read" not in str(raised.value) and "damaged" not in str(raised.value)
    assert closet_snapshot(small_closet) == before
    assert [p.name for p in small_closet.data_dir.iterdir() if p.name.startswith(".restore")] == []
    assert zipfile.is_zipfile(backup)


def test_a_damaged_backup_is_still_called_so(small_closet: Wardrobe, tmp_path: Path, run: CliRun) -> None:
    backup = small_closet.export(tmp_path / "backup.zip")
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64
    backup.write_bytes(bytes(data))
    with pytest.raises(ArchiveError):
        small_closet.restore(backup)
