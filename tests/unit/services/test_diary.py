"""The diary through the facade: wear a plan by its entry, move and delete entries, what the diary refuses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import PhotoFactory
from wardrobe_app.db.tables import FeedbackRow
from wardrobe_app.domain import ItemNotFoundError, WardrobeError
from wardrobe_app.domain.diary import EntryNotFoundError, InvalidDateError, ItemUnavailableError

CLOSET = [  # category, BGR colour, shape
    ("shirt", (245, 245, 245), "shirt"),
    ("t-shirt", (40, 40, 210), "shirt"),
    ("longsleeve", (110, 40, 20), "shirt"),
    ("trousers", (90, 30, 15), "ellipse"),
    ("jeans", (160, 90, 40), "ellipse"),
    ("sneakers", (240, 240, 240), "ellipse"),
    ("formal shoes", (15, 15, 15), "ellipse"),
]


@pytest.fixture
def stocked(wardrobe, photo_factory: PhotoFactory):  # type: ignore[no-untyped-def]
    ids = {}
    for seed, (category, colour, shape) in enumerate(CLOSET):
        path = photo_factory(f"{category}.jpg", colour_bgr=colour, seed=seed, shape=shape)
        ids[category] = wardrobe.add_photo(path, category=category).id
    return wardrobe, ids


def ratings(wardrobe) -> int:  # type: ignore[no-untyped-def]
    with wardrobe.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(FeedbackRow)) or 0)


def test_plan_wear_move_delete(stocked) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = stocked
    today = date.today()
    planned = wardrobe.plan(today, "work").entry
    assert planned.planned and planned.day == today and ratings(wardrobe) == 0
    change = wardrobe.wear_planned(planned.id)
    assert change.from_plan and not change.entry.planned and change.entry.id == planned.id
    assert ratings(wardrobe) == 1  # wearing a plan rates its outfit "wore"
    with pytest.raises(WardrobeError, match="already a worn outfit"):
        wardrobe.wear_planned(planned.id)

    by_hand = [ids["shirt"], ids["jeans"], ids["sneakers"]]
    later = wardrobe.plan(today + timedelta(days=3), "casual", item_ids=by_hand).entry
    assert later.item_ids == tuple(by_hand) and later.planned
    moved = wardrobe.move_entry(later.id, today + timedelta(days=5))
    assert moved.day == today + timedelta(days=5)
    assert [e.id for e in wardrobe.diary(today + timedelta(days=4))] == [later.id]
    wardrobe.delete_entry(later.id)
    assert [e.id for e in wardrobe.diary()] == [planned.id]
    with pytest.raises(EntryNotFoundError):
        wardrobe.delete_entry(later.id)
    with pytest.raises(EntryNotFoundError):
        wardrobe.move_entry(999, today)
    with pytest.raises(InvalidDateError):
        wardrobe.move_entry(planned.id, "31/12/2026")


def test_plans_refuse_what_is_not_available(stocked) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = stocked
    wardrobe.set_status([ids["jeans"]], "lent")
    with pytest.raises(ItemUnavailableError, match="lent out"):
        wardrobe.plan(date.today(), "casual", item_ids=[ids["t-shirt"], ids["jeans"], ids["sneakers"]])
    with pytest.raises(ItemUnavailableError, match="lent out"):
        wardrobe.plan(date.today(), "casual", with_item=ids["jeans"])
    with pytest.raises(ItemNotFoundError):
        wardrobe.set_status([ids["jeans"], 999], "available")
    assert wardrobe.item(ids["jeans"]).status == "lent"  # all or none
    assert wardrobe.diary() == []


def _counts(wardrobe) -> dict[int, tuple[str, int]]:  # type: ignore[no-untyped-def]
    from wardrobe_app.db.tables import ItemRow

    with wardrobe.sessions() as session:
        return {r.id: (r.status, r.wears_since_wash) for r in session.query(ItemRow)}


def test_undo_wear_takes_back_the_wear_counts_and_the_laundry(wardrobe) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.services.drawn_closet import draw

    ids = draw(wardrobe, [("t-shirt", "red"), ("jeans", "blue"), ("sneakers", "white")])
    items = [ids["t-shirt"][0], ids["jeans"][0], ids["sneakers"][0]]
    shirt = items[0]
    wardrobe.set_laundry_rule("t-shirt", 2)
    wardrobe.wear(items, "casual")  # the shirt's first wear of two
    before, rated = _counts(wardrobe), ratings(wardrobe)
    worn = wardrobe.wear(items, "casual")  # the second: to the laundry
    assert worn.to_laundry == (shirt,)
    change = wardrobe.undo_wear(worn)
    assert _counts(wardrobe) == before  # one wear to go before the wash, as before
    assert [e.id for e in wardrobe.diary()] != [worn.entry.id] and len(wardrobe.diary()) == 1
    assert ratings(wardrobe) == rated - 1 and change.undone == worn.rating.feedback and shirt in change.updated
    again = wardrobe.wear(items, "casual")  # the real second wear sends it to the laundry
    assert again.to_laundry == (shirt,)


def test_undo_wear_of_an_entry_already_deleted(wardrobe) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.services.drawn_closet import draw

    ids = draw(wardrobe, [("t-shirt", "red"), ("jeans", "blue"), ("sneakers", "white")])
    items = [ids["t-shirt"][0], ids["jeans"][0], ids["sneakers"][0]]
    before = _counts(wardrobe)
    worn = wardrobe.wear(items, "casual")
    wardrobe.delete_entry(worn.entry.id)  # on the Calendar tab, say
    wardrobe.undo_wear(worn)
    assert _counts(wardrobe) == before and wardrobe.diary() == [] and ratings(wardrobe) == 0
    with pytest.raises(WardrobeError, match="no rating"):
        wardrobe.undo_wear(worn)  # twice: refused, and nothing counted back twice
    assert _counts(wardrobe) == before
