"""Hostile item details (tags, brands) and packing input: clear errors, nothing changed, no hang."""

from __future__ import annotations

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.domain import ItemInTrashError, ItemNotFoundError, WardrobeError
from wardrobe_app.domain.item_fields import InvalidItemFieldError
from wardrobe_app.services.packing import MAX_DAYS, trip_occasions
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tags": ["\udcff"]}, "tags"),
        ({"tags": ["red\x1b[31m"]}, "tags"),
        ({"brand": "\udcff"}, "brand"),
        ({"brand": "a\nb"}, "brand"),
        ({"brand": "evil\x1b]0;title\x07"}, "brand"),
        ({"name": "\ud800x"}, "name"),
        ({"notes": "lone \udc80 surrogate"}, "notes"),
    ],
)
def test_unstorable_or_control_text_is_refused_not_a_crash(small_closet: Wardrobe, fields: dict, field: str) -> None:  # type: ignore[type-arg]
    item = small_closet.items()[0]
    small_closet.update_item(item.id, brand="Kept", tags=["kept"])
    with pytest.raises(InvalidItemFieldError) as caught:
        small_closet.update_item(item.id, **fields)
    assert caught.value.field == field
    after = next(i for i in small_closet.items() if i.id == item.id)
    assert after.brand == "Kept" and after.tags == ("kept",)


def test_rtl_and_newline_tags_are_kept_as_plain_words(small_closet: Wardrobe) -> None:
    item = small_closet.items()[0]
    updated = small_closet.update_item(item.id, tags="a,\nb\tc,\u202eevil", brand="\u202eRTL")
    assert updated.tags == ("a", "b c", "\u202eevil") and updated.brand == "\u202eRTL"


@pytest.mark.parametrize("days", [0, -1, 10**9, 10**30, MAX_DAYS + 1])
def test_absurd_trip_lengths_are_refused_at_once(small_closet: Wardrobe, days: int) -> None:
    before = closet_snapshot(small_closet)
    with pytest.raises(WardrobeError, match="a trip lasts"):
        small_closet.pack(days, ["casual"])
    assert closet_snapshot(small_closet) == before


@pytest.mark.parametrize(
    "occasions",
    [[5], [None], ["casual", b"work"], "casual:99999999999999999999", "casual:40,work:40", "casual:\u0663", ""],
)
def test_junk_occasions_are_refused_clearly(occasions: object) -> None:
    with pytest.raises(WardrobeError):
        trip_occasions(None if ":" in str(occasions) else 3, occasions)  # type: ignore[arg-type]


@pytest.mark.parametrize("item_id", [10**30, -(2**63) - 1, -1, 0])
def test_dismissing_odd_ids_is_not_found_not_a_crash(small_closet: Wardrobe, item_id: int) -> None:
    with pytest.raises(ItemNotFoundError):
        small_closet.dismiss_cleanout([item_id])


def test_dismissing_a_trashed_item_says_it_is_in_the_trash(small_closet: Wardrobe) -> None:
    kept, trashed = (item.id for item in small_closet.items()[:2])
    small_closet.remove(trashed)
    with pytest.raises(ItemInTrashError):
        small_closet.dismiss_cleanout([kept, trashed])  # all or nothing
    assert small_closet.dismiss_cleanout([kept]).updated == (kept,)


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-29"])
def test_planning_the_last_days_of_the_calendar_is_not_an_overflow(small_closet: Wardrobe, day: str) -> None:
    """The plan looks at the days around for variety: 9999-12-31 plus three days raised OverflowError."""
    change = small_closet.plan(day, "casual")
    assert change.entry.day.isoformat() == day and change.entry.planned
    assert [e.day.isoformat() for e in small_closet.diary(day, "9999-12-31")] == [day]
