"""A data dir that is a folder of other things (``--data-dir /tmp``, a shared folder): its mode is not ours.

``make_private`` turned any chosen folder into 0700: as root (a container), ``--data-dir /tmp`` made /tmp
root-only and dropped its sticky bit; a shared project folder was closed to the person's group. Only a closet's
own folder, or one that is still empty, is made private; the closet's files inside are private anyway.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.services.wardrobe import Wardrobe

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@posix_only
def test_a_shared_folder_of_other_things_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "someone-elses.txt").write_text("not the closet's")
    shared.chmod(0o1777)  # as /tmp is
    Wardrobe.open(shared, classifier="none").close()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert (shared / "someone-elses.txt").read_text() == "not the closet's"
    assert stat.S_IMODE((shared / DB_FILENAME).stat().st_mode) == 0o600


@posix_only
def test_a_new_or_empty_folder_and_a_closet_are_made_private(tmp_path: Path) -> None:
    new = tmp_path / "new" / "closet"
    Wardrobe.open(new, classifier="none").close()
    assert stat.S_IMODE(new.stat().st_mode) == 0o700
    new.chmod(0o755)  # a closet copied with another umask
    Wardrobe.open(new, classifier="none").close()
    assert stat.S_IMODE(new.stat().st_mode) == 0o700


@posix_only
def test_a_shared_folder_keeps_its_mode_on_every_open(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "notes").mkdir()
    shared.chmod(0o2775)  # a group's project folder
    for _ in range(2):  # the second open finds a closet there, beside the group's things
        Wardrobe.open(shared, classifier="none").close()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o2775


@posix_only
def test_a_closet_with_a_lost_databases_log_set_aside_is_still_made_private(tmp_path: Path) -> None:
    # the log set aside when a lost database was found (closet_state) is the closet's own file: it must not
    # turn the closet into "a folder of other things" whose mode is left open for good
    closet = tmp_path / "closet"
    Wardrobe.open(closet, classifier="none").close()
    (closet / f"{DB_FILENAME}-wal.set-aside-20261126-061723").write_bytes(b"log")
    (closet / f"{DB_FILENAME}-shm.set-aside-20261126-061723-1").write_bytes(b"shm")
    closet.chmod(0o755)
    Wardrobe.open(closet, classifier="none").close()
    assert stat.S_IMODE(closet.stat().st_mode) == 0o700
