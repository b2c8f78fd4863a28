"""Change: the one record of what a mutation changed, and how facade results map to it."""

from __future__ import annotations

from datetime import date

from wardrobe_app.domain import AddResult, Change, Item
from wardrobe_app.domain.diary import DiaryChange, EntryKind, WearEntry


def _item(item_id: int) -> Item:
    return Item(
        id=item_id,
        photo_path=f"photos/{item_id}.jpg",
        cutout_path=None,
        thumb_path=None,
        mask_path=None,
        content_hash=f"h{item_id}",
        category=None,
        group=None,
    )


def test_results_map_to_the_change_they_stand_for() -> None:
    assert Change.of(Change(removed=(3,))) == Change(removed=(3,))
    assert Change.of(_item(7)) == Change(updated=(7,))
    added = [AddResult("a.jpg", _item(1)), AddResult("b.jpg", error="not a photo"), AddResult("c.jpg", _item(2))]
    assert Change.of(added) == Change(added=(1, 2))
    assert Change.of(None).empty and Change.of("a path").empty and Change.of([]).empty


def test_a_diary_change_carries_the_entry_the_laundry_and_the_rating() -> None:
    entry = WearEntry(5, date(2026, 3, 14), "work", (1, 2), EntryKind.WORN)
    rating = Change(notes=("feedback 9", "ranker v2"), feedback=(9,), ranker_version=2, outfits=((1, 2),))
    change = Change.of(DiaryChange(entry, to_laundry=(2,), rating=rating))
    assert change.diary == (5,) and change.updated == (2,) and change.feedback == (9,)
    assert change.ranker_version == 2 and change.items_changed


def test_changes_combine_without_repeats() -> None:
    both = Change(updated=(1, 2), notes=("a",)) | Change(updated=(2, 3), ranker_version=4, restored=True)
    assert both.updated == (1, 2, 3) and both.notes == ("a",) and both.ranker_version == 4 and both.restored
    assert not Change(feedback=(1,)).items_changed and Change(removed=(1,)).items_changed


def test_a_restored_backup_stays_told_apart_from_a_repair_when_combined() -> None:
    repair, backup = Change(restored=True), Change(restored=True, replaced=True)
    assert not (repair | Change(updated=(1,))).replaced and (Change(updated=(1,)) | backup).replaced
