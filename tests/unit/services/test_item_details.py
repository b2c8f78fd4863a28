"""Brand and free tags (0005), set through the facade and checked like the CLI checks them."""

from __future__ import annotations

import pytest

from tests.conftest import PhotoFactory
from wardrobe_app.domain.item_fields import MAX_TAGS, InvalidItemFieldError, check_tags
from wardrobe_app.services.wardrobe import Wardrobe


def test_brand_and_tags_are_saved_and_replaced(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    item = wardrobe.add_photo(photo_factory(), category="jeans")
    updated = wardrobe.update_item(item.id, brand="  Levi's ", tags=["Weekend", "gift", "weekend", " "])
    assert updated.brand == "Levi's" and updated.tags == ("gift", "weekend")
    again = wardrobe.update_item(item.id, tags="gift, Travel")
    assert again.tags == ("gift", "travel")
    assert wardrobe.item(item.id).tags == ("gift", "travel")
    assert wardrobe.update_item(item.id, tags=[], brand="").tags == ()
    assert wardrobe.item(item.id).brand is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tags": ["ok", "a,b"]}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": [f"t{i}" for i in range(MAX_TAGS + 1)]}, "tags"),
        ({"tags": 5}, "tags"),
        ({"brand": "b" * 101}, "brand"),
        ({"brand": 7, "name": "fine"}, "brand"),
    ],
)
def test_bad_values_change_nothing(
    wardrobe: Wardrobe, photo_factory: PhotoFactory, fields: dict[str, object], field: str
) -> None:
    item = wardrobe.add_photo(photo_factory(), category="jeans")
    with pytest.raises(InvalidItemFieldError) as caught:
        wardrobe.update_item(item.id, **fields)
    assert caught.value.field == field
    assert wardrobe.item(item.id) == item


def test_check_tags_normalises() -> None:
    assert check_tags("  Needs   Ironing ,gift") == ("gift", "needs ironing")
    assert check_tags(None) == ()
