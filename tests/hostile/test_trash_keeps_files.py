"""A trashed item's photos are the user's until the trash is emptied: housekeeping and backups keep them."""

from __future__ import annotations

from pathlib import Path

from wardrobe_app.services.wardrobe import Wardrobe


def _files_of(item: object) -> list[Path]:
    paths = (item.photo_path, item.cutout_path, item.thumb_path, item.mask_path)  # type: ignore[attr-defined]
    return [Path(p) for p in paths if p is not None]


def test_orphan_collection_and_doctor_repair_keep_a_trashed_items_files(small_closet: Wardrobe) -> None:
    item = small_closet.items()[0]
    small_closet.remove(item.id)
    assert small_closet.collect_orphans() == []
    report = small_closet.doctor(repair=True)
    assert report.healthy, report.problems
    assert all(path.is_file() for path in _files_of(item))
    small_closet.restore_from_trash([item.id])
    assert small_closet.item(item.id).content_hash == item.content_hash


def test_a_backup_carries_the_trash_and_restores_it_still_trashed(small_closet: Wardrobe, tmp_path: Path) -> None:
    item = small_closet.items()[0]
    small_closet.remove(item.id)
    archive = small_closet.export(tmp_path / "backup.zip")
    small_closet.empty_trash()
    assert [t.id for t in small_closet.trash()] == []

    small_closet.restore(archive)
    assert [t.id for t in small_closet.trash()] == [item.id]
    assert item.id not in {i.id for i in small_closet.items()}
    small_closet.restore_from_trash([item.id])
    restored = small_closet.item(item.id)
    assert restored.content_hash == item.content_hash
    assert all(path.is_file() for path in _files_of(restored))
