"""A restore whose journal cannot be written (the disk filled up meanwhile, a quota) changes nothing.

The journal was written in place: a failed write left an empty journal behind, and every later open took it
for an interrupted swap it could not read ("an interrupted restore left ... unreadable"): a closet that no
longer opened, though nothing had been moved.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.archive import JOURNAL
from wardrobe_app.services.wardrobe import Wardrobe


def test_a_journal_that_cannot_be_written_leaves_the_closet_as_it_was(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = small_closet.data_dir
    archive = small_closet.export(tmp_path / "backup.zip")
    small_closet.remove(small_closet.items()[0].id)
    before = closet_snapshot(small_closet)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the journal is the first file the restore makes durable
    with pytest.raises(WardrobeError, match="unchanged"):
        small_closet.restore(archive)
    monkeypatch.undo()
    assert not (data_dir / JOURNAL).exists()
    small_closet.close()

    with Wardrobe.open(data_dir, classifier="none") as reopened:
        assert closet_snapshot(reopened) == before
        assert not [p for p in data_dir.iterdir() if p.name.startswith((".restore-", ".before-restore-"))]
        reopened.restore(archive)  # and the restore works once there is room
        assert len(reopened.items()) == 3
