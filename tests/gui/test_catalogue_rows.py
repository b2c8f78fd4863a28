"""A catalogue product's row in the shop view: the shop's own word for it shows as its category."""

from __future__ import annotations

from wardrobe_app.domain import Group, Item
from wardrobe_app.ui.catalogue_view import COLUMNS, product_row


def _product(shop_kind: str | None) -> Item:
    return Item(
        id=7,
        photo_path="/p.jpg",
        cutout_path=None,
        thumb_path=None,
        mask_path=None,
        content_hash="h",
        category="t-shirt",  # the classifier's guess: the shop's "Kurtas" is none of our categories
        group=Group.TOP,
        collection="shop",
        price=19.9,
        shop_kind=shop_kind,
    )


def test_the_shops_kind_shows_before_the_classifiers_guess() -> None:
    column = COLUMNS.index("Category")
    assert product_row(_product("Kurtas"), 0.123)[column] == "Kurtas"
    assert product_row(_product(None), 0.123)[column] == "t-shirt"  # a catalogue imported without kinds
    assert product_row(_product("Kurtas"), 0.876)[COLUMNS.index("Match")] == "88%"
