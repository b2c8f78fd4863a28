"""Hostile trash: huge, zero and negative ids, and a tampered trashed_at, give clear errors or still work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.domain import ItemNotFoundError
from wardrobe_app.services.wardrobe import Wardrobe

ODD_IDS = [10**30, -(10**30), 2**63, -1, 0]


@pytest.mark.parametrize("item_id", ODD_IDS)
def test_odd_ids_are_not_found_not_a_crash(small_closet: Wardrobe, item_id: int) -> None:
    before = closet_snapshot(small_closet)
    for action in (
        lambda: small_closet.remove(item_id),
        lambda: small_closet.restore_from_trash([item_id]),
        lambda: small_closet.empty_trash([item_id]),
    ):
        with pytest.raises(ItemNotFoundError):
            action()
    assert closet_snapshot(small_closet) == before


@pytest.mark.parametrize("tampered", ["garbage", "", "2026-13-45 99:99:99", "\x00", "9" * 400])
def test_a_tampered_trashed_at_still_counts_as_trashed_and_can_be_restored(
    small_closet: Wardrobe, data_dir: Path, tampered: str
) -> None:
    kept = small_closet.items()[0].id
    small_closet.remove(kept)
    small_closet.close()
    with sqlite3.connect(data_dir / "wardrobe.sqlite3") as connection:
        connection.execute("UPDATE items SET trashed_at = ? WHERE id = ?", (tampered, kept))
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    try:
        assert [item.id for item in wardrobe.trash()] == [kept]
        assert kept not in [item.id for item in wardrobe.items()]
        wardrobe.restore_from_trash([kept])
        assert wardrobe.trash() == [] and kept in [item.id for item in wardrobe.items()]
        closet_snapshot(wardrobe)  # its files all still there
    finally:
        wardrobe.close()


def test_emptying_a_trash_with_a_tampered_time_deletes_only_that_item(small_closet: Wardrobe, data_dir: Path) -> None:
    gone, *others = [item.id for item in small_closet.items()]
    small_closet.remove(gone)
    small_closet.close()
    with sqlite3.connect(data_dir / "wardrobe.sqlite3") as connection:
        connection.execute("UPDATE items SET trashed_at = 'not a time' WHERE id = ?", (gone,))
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    try:
        assert wardrobe.empty_trash().removed == (gone,)
        assert sorted(i for i, _c, _h in closet_snapshot(wardrobe)) == sorted(others)
    finally:
        wardrobe.close()
