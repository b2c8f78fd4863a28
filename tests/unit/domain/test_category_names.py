"""Categories as people read them: dataset spellings ("outwear", "longsleeve") never reach a label or a sentence."""

from __future__ import annotations

import pytest

from wardrobe_app.domain import (
    CATEGORY_GROUPS,
    CLASSIFIER_CATEGORIES,
    Colour,
    Item,
    UnknownCategoryError,
    category_name,
    category_title,
    normalise_category,
)
from wardrobe_app.recommend.explain import piece_verdict
from wardrobe_app.recommend.rules import expert_rules

DATASET_SPELLINGS = ("outwear", "longsleeve")


def _item(category: str | None, colour: str = "grey") -> Item:
    colours = (Colour(colour, "#808080", (0.0, 0.0, 0.5), 1.0),)
    return Item(1, "/p.jpg", None, None, None, "h", category, None, colours=colours)


@pytest.mark.parametrize(
    ("stored", "name", "title"),
    [
        ("outwear", "outerwear", "Outerwear"),
        ("longsleeve", "long-sleeve top", "Long-sleeve top"),
        ("t-shirt", "t-shirt", "T-shirt"),
        ("formal shoes", "formal shoes", "Formal shoes"),
        (None, "unclassified item", "Unclassified"),
    ],
)
def test_display_names(stored: str | None, name: str, title: str) -> None:
    assert category_name(stored) == name
    assert category_title(stored) == title


def test_no_dataset_spelling_is_shown() -> None:
    for category in CATEGORY_GROUPS:
        assert category_name(category) not in DATASET_SPELLINGS
        assert category_title(category).lower() not in DATASET_SPELLINGS


def test_every_shown_name_can_be_typed_back() -> None:
    for category in CATEGORY_GROUPS:
        assert normalise_category(category_name(category)) == category
        assert normalise_category(category_title(category)) == category


def test_item_label_uses_the_shown_name_but_the_stored_value_stays() -> None:
    item = _item("outwear")
    assert item.label == "grey outerwear"
    assert item.category == "outwear"
    assert _item("longsleeve", "pink").label == "pink long-sleeve top"
    assert "outwear" in CLASSIFIER_CATEGORIES  # the model's label is unchanged


def test_outfit_reasons_use_the_shown_name() -> None:
    verdict = piece_verdict(_item("outwear"), "casual", expert_rules())
    assert verdict is not None
    assert "outwear" not in verdict[1] and "outerwear" in verdict[1]


def test_unknown_category_lists_shown_names() -> None:
    with pytest.raises(UnknownCategoryError) as caught:
        normalise_category("spacesuit")
    assert "outerwear" in str(caught.value) and "outwear" not in str(caught.value)
