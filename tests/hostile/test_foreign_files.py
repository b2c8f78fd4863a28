"""Files the closet did not make, inside its item folders: orphan collection and the doctor leave them alone.

A person who finds ``~/.local/share/wardrobe/photos`` may drag their own photos into it (thinking that is how
to add them), or point a second closet at that folder by mistake. Orphan collection (run when a closet opens
after a crash, by ``wardrobe doctor --repair`` and ``collect_orphans``) must delete only what the closet itself
writes there: item files named by their hash, and its own temp files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import closet_snapshot, restore_interrupted_at
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.db.photo_files import PENDING_MARKER
from wardrobe_app.services.wardrobe import Wardrobe


def _drop_own_photos(data_dir: Path, photo_factory: PhotoFactory) -> list[Path]:
    """The person's own photos, moved into the closet's folders by hand."""
    dropped = []
    for i, relative in enumerate(("photos/holiday.jpg", "photos/2024/IMG_0001.JPG", "thumbs/ab/not-a-hash.png")):
        source = photo_factory(f"own-{i}.jpg", seed=50 + i)
        target = data_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)
        dropped.append(target)
    return dropped


def test_photos_dropped_into_the_closets_folders_by_hand_are_never_deleted(
    small_closet: Wardrobe, data_dir: Path, photo_factory: PhotoFactory
) -> None:
    before = closet_snapshot(small_closet)
    dropped = _drop_own_photos(data_dir, photo_factory)
    contents = [p.read_bytes() for p in dropped]
    small_closet.files.begin_writes()  # a crash: the next open collects the orphans
    left_by_crash = small_closet.files.write("cutouts", "ee" + "1" * 62, ".png", b"left by a crash")
    half_written = data_dir / "cutouts" / "ee" / ".tmp-k2j_9xq1.png"  # a write killed before its rename
    half_written.write_bytes(b"half")
    small_closet.close()

    reopened = Wardrobe.open(data_dir, classifier="none")
    assert not (data_dir / left_by_crash).exists()  # the closet's own leftovers still go
    assert not half_written.exists()
    reopened.collect_orphans()
    reopened.doctor(repair=True)
    assert [p.read_bytes() for p in dropped] == contents
    assert closet_snapshot(reopened) == before
    reopened.close()


def test_a_second_closet_opened_inside_the_photos_folder_survives_the_firsts_doctor(
    small_closet: Wardrobe, data_dir: Path, photo_factory: PhotoFactory
) -> None:
    """``--data-dir ~/.local/share/wardrobe/photos`` by mistake: the first closet must not delete the second."""
    inner_dir = data_dir / "photos"
    inner = Wardrobe.open(inner_dir, classifier="none")
    inner.add_photo(photo_factory("inner.jpg", seed=77), category="shirt")
    inner_items = closet_snapshot(inner)
    inner.close()

    small_closet.doctor(repair=True)
    (data_dir / PENDING_MARKER).touch()
    Wardrobe.open(data_dir, classifier="none").close()

    assert (inner_dir / DB_FILENAME).is_file()
    with Wardrobe.open(inner_dir, classifier="none") as inner:
        assert closet_snapshot(inner) == inner_items


def test_a_restore_keeps_photos_dropped_into_the_closets_folders_by_hand(
    small_closet: Wardrobe, data_dir: Path, photo_factory: PhotoFactory, tmp_path: Path
) -> None:
    """A restore replaces the closet's own files; the person's own photos in its folders are not in any backup."""
    archive = small_closet.export(tmp_path / "backup.zip")
    before = closet_snapshot(small_closet)
    dropped = _drop_own_photos(data_dir, photo_factory)
    contents = [p.read_bytes() for p in dropped]
    small_closet.restore(archive)
    assert [p.read_bytes() for p in dropped] == contents
    assert closet_snapshot(small_closet) == before
    assert small_closet.doctor().healthy


def test_a_refused_or_interrupted_restore_keeps_them_too(
    small_closet: Wardrobe, data_dir: Path, photo_factory: PhotoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = small_closet.export(tmp_path / "backup.zip")
    dropped = _drop_own_photos(data_dir, photo_factory)
    contents = [p.read_bytes() for p in dropped]
    restore_interrupted_at(small_closet, archive, rename=3, monkeypatch=monkeypatch)
    assert [p.read_bytes() for p in dropped] == contents
    reopened = Wardrobe.open(data_dir, classifier="none")
    assert [p.read_bytes() for p in dropped] == contents
    assert not [p for p in data_dir.iterdir() if p.name.startswith((".restore-", ".before-restore-"))]
    reopened.close()
