"""Folders of the person's own in a shared data folder, named like a restore's leftovers (``.restore-*``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.services.restore_folders import (
    BACKUP_PREFIX,
    MARKER,
    STAGING_PREFIX,
    make_restore_folder,
    restore_leftovers,
)
from wardrobe_app.services.wardrobe import Wardrobe

THEIRS = {
    ".restore-points": {"notes.txt": b"how to set the router back"},
    ".restore-abcd1234": {"diary.md": b"a folder of the same shape as the closet's own"},
    ".before-restore-2024": {"photos": None, "taxes.pdf": b"%PDF-1.4"},  # a folder named photos, and a file
}


def _plant(data_dir: Path) -> None:
    for folder, entries in THEIRS.items():
        (data_dir / folder).mkdir()
        for name, data in entries.items():
            if data is None:
                (data_dir / folder / name).mkdir()
            else:
                (data_dir / folder / name).write_bytes(data)


def _kept(data_dir: Path) -> None:
    for folder, entries in THEIRS.items():
        for name, data in entries.items():
            path = data_dir / folder / name
            assert path.is_dir() if data is None else path.read_bytes() == data, path


@pytest.mark.parametrize("how", ["open", "doctor --repair", "restore"])
def test_a_persons_folders_named_like_restore_leftovers_are_never_deleted(
    small_closet: Wardrobe, tmp_path: Path, how: str
) -> None:
    """Before: every open (and ``doctor --repair``, and each restore) deleted any folder of the data dir whose name
    began with ``.restore-`` or ``.before-restore-``, whatever it held: a closet kept in a shared folder (its
    home, ``--data-dir ~``) lost the person's own folders of those names."""
    data_dir = small_closet.data_dir
    archive = small_closet.export(tmp_path / "backup.zip")
    before = closet_snapshot(small_closet)
    _plant(data_dir)
    if how == "open":
        Wardrobe.open(data_dir, classifier="none").close()
    elif how == "doctor --repair":
        report = small_closet.doctor(repair=True)
        assert not any("interrupted restores" in line for line in (*report.problems, *report.repaired))
    else:
        small_closet.restore(archive)
    _kept(data_dir)
    assert closet_snapshot(small_closet) == before


def test_real_leftovers_beside_them_are_still_cleaned(small_closet: Wardrobe) -> None:
    data_dir = small_closet.data_dir
    _plant(data_dir)
    staging = data_dir / ".restore-k1ll3d99"  # a restore killed while unpacking
    (staging / "photos" / "ab").mkdir(parents=True)
    (staging / "photos" / "ab" / ("ab" * 32 + ".jpg")).write_bytes(b"\xff\xd8 half a photo")
    (staging / "wardrobe.sqlite3").write_bytes(b"SQLite format 3\x00")
    backup = data_dir / ".before-restore-x9y8z7w6"  # and an empty one, made just before
    backup.mkdir()
    Wardrobe.open(data_dir, classifier="none").close()
    assert not staging.exists() and not backup.exists()
    _kept(data_dir)


def test_a_persons_photo_in_a_folder_named_like_a_closet_piece_is_never_deleted(tmp_path: Path) -> None:
    """Before: ``~/.restore-points/photos/grandma.jpg`` (only closet names at its top) and an empty
    ``.restore-empty-for-later`` counted as leftovers: opening a closet kept in the home folder deleted them."""
    home = tmp_path / "home"
    own = home / ".restore-points" / "photos"
    own.mkdir(parents=True)
    (own / "grandma.jpg").write_bytes(b"precious")
    (home / ".restore-empty-for-later").mkdir()
    old_shape = home / ".restore-abcd1234" / "photos"  # the exact shape of the app's folder, a person's photo
    old_shape.mkdir(parents=True)
    (old_shape / "grandma.jpg").write_bytes(b"precious too")
    Wardrobe.open(home, classifier="none").close()
    assert (own / "grandma.jpg").read_bytes() == b"precious"
    assert (home / ".restore-empty-for-later").is_dir()
    assert (old_shape / "grandma.jpg").read_bytes() == b"precious too"


def test_a_killed_restores_marked_folders_are_cleaned_whatever_they_hold(small_closet: Wardrobe) -> None:
    data_dir = small_closet.data_dir
    _plant(data_dir)
    staging = make_restore_folder(data_dir, STAGING_PREFIX)
    backup = make_restore_folder(data_dir, BACKUP_PREFIX)
    (staging / "photos" / "ab").mkdir(parents=True)
    (staging / "photos" / "ab" / "half-unpacked.part").write_bytes(b"\xff\xd8")
    (backup / "photos").mkdir()
    Wardrobe.open(data_dir, classifier="none").close()
    assert not staging.exists() and not backup.exists()
    _kept(data_dir)


def test_a_restore_leaves_no_marker_in_the_closet(small_closet: Wardrobe, tmp_path: Path) -> None:
    data_dir = small_closet.data_dir
    small_closet.restore(small_closet.export(tmp_path / "backup.zip"))
    assert not (data_dir / MARKER).exists()
    assert not restore_leftovers(data_dir)
