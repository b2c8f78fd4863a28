"""The trash: remove moves an item out of the closet, outfits and search; restore brings it back; emptying
deletes rows (cascading outfits and ratings) and then files, never a file another row still uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import PhotoFactory
from wardrobe_app.db.tables import FeedbackRow, OutfitRow
from wardrobe_app.domain import ItemInTrashError, ItemNotFoundError, WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.fixture
def outfit_closet(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> dict[str, int]:
    ids = {
        category: wardrobe.add_photo(photo_factory(f"{category}.jpg", seed=n), category=category).id
        for n, category in enumerate(("shirt", "jeans", "sneakers", "boots"))
    }
    wardrobe.feedback(wardrobe.outfit([ids["shirt"], ids["jeans"], ids["boots"]]), "casual", liked=True)
    return ids


def _count(wardrobe: Wardrobe, table: type) -> int:
    with wardrobe.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_trashed_item_leaves_closet_outfits_and_search(wardrobe: Wardrobe, outfit_closet: dict[str, int]) -> None:
    boots = outfit_closet["boots"]
    wardrobe.remove(boots)
    assert boots not in [i.id for i in wardrobe.items(include_archived=True)]
    assert wardrobe.counts()["all"] == 3
    assert [i.id for i in wardrobe.trash()] == [boots]
    assert wardrobe.trash()[0].trashed_at is not None
    assert wardrobe.search("boots") == []
    for outfit in wardrobe.suggest("casual", k=5):
        assert boots not in outfit.item_ids
    with pytest.raises(ItemInTrashError, match="in the trash"):
        wardrobe.item(boots)
    with pytest.raises(ItemNotFoundError):  # editing a trashed item is refused like an unknown one
        wardrobe.update_item(boots, name="x")
    # its outfit and rating wait in the database until the trash is emptied
    assert _count(wardrobe, OutfitRow) == 1 and _count(wardrobe, FeedbackRow) == 1


def test_restore_brings_it_back_as_it_was(wardrobe: Wardrobe, outfit_closet: dict[str, int]) -> None:
    boots = outfit_closet["boots"]
    wardrobe.update_item(boots, name="Winter boots", brand="Acme", tags=["hiking"])
    before = wardrobe.item(boots)
    wardrobe.remove(boots)
    change = wardrobe.restore_from_trash([boots])
    assert change.added == (boots,)
    assert wardrobe.item(boots) == before
    assert wardrobe.trash() == []
    assert _count(wardrobe, FeedbackRow) == 1


def test_restore_refuses_what_is_not_in_the_trash_and_changes_nothing(
    wardrobe: Wardrobe, outfit_closet: dict[str, int]
) -> None:
    wardrobe.remove(outfit_closet["boots"])
    with pytest.raises(WardrobeError, match="not in the trash"):
        wardrobe.restore_from_trash([outfit_closet["boots"], outfit_closet["shirt"]])
    with pytest.raises(ItemNotFoundError):
        wardrobe.restore_from_trash([9999])
    assert [i.id for i in wardrobe.trash()] == [outfit_closet["boots"]]  # all or nothing


def test_empty_deletes_rows_cascades_and_files(wardrobe: Wardrobe, outfit_closet: dict[str, int]) -> None:
    boots = wardrobe.item(outfit_closet["boots"])
    shirt = wardrobe.item(outfit_closet["shirt"])
    wardrobe.remove(boots.id)
    with pytest.raises(WardrobeError, match="not in the trash"):
        wardrobe.empty_trash([shirt.id])
    assert wardrobe.empty_trash().removed == (boots.id,)
    assert wardrobe.trash() == []
    assert _count(wardrobe, OutfitRow) == 0 and _count(wardrobe, FeedbackRow) == 0
    for path in (boots.photo_path, boots.cutout_path, boots.thumb_path, boots.mask_path):
        assert path is not None and not Path(path).exists()
    assert Path(shirt.photo_path).exists()  # others untouched
    with pytest.raises(ItemNotFoundError):
        wardrobe.restore_from_trash([boots.id])


def test_empty_keeps_files_a_catalogue_still_uses(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    photo = photo_factory("same.jpg", seed=3)
    shop = photo.parent / "shop"
    shop.mkdir()
    (shop / "1.jpg").write_bytes(photo.read_bytes())
    item = wardrobe.add_photo(photo, category="shirt")
    wardrobe.import_catalogue("shop", shop)
    wardrobe.remove(item.id)
    wardrobe.empty_trash()
    assert Path(item.photo_path).exists()  # the catalogue product is the same photo


def test_emptying_an_empty_trash_is_fine(wardrobe: Wardrobe) -> None:
    assert wardrobe.empty_trash().removed == ()
