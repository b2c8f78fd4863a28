"""Categories map to groups through one table; aliases and unknown names."""

from __future__ import annotations

import pytest

from wardrobe_app.domain import (
    CATEGORY_GROUPS,
    CLASSIFIER_CATEGORIES,
    Group,
    UnknownCategoryError,
    group_of,
    normalise_category,
)


def test_every_classifier_category_has_a_group() -> None:
    assert len(CLASSIFIER_CATEGORIES) == 10
    assert all(c in CATEGORY_GROUPS for c in CLASSIFIER_CATEGORIES)


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("t-shirt", Group.TOP),
        ("Dress", Group.FULL),
        ("jeans", Group.MIDDLE),
        ("sneakers", Group.BOTTOM),
        ("hat", Group.ACCESSORY),
        ("blazer", Group.TOP),
        ("formal shoes", Group.BOTTOM),
    ],
)
def test_group_of(name: str, group: Group) -> None:
    assert group_of(name) is group


def test_aliases_and_spacing() -> None:
    assert normalise_category("  T Shirt ") == "t-shirt"
    assert normalise_category("outerwear") == "outwear"
    assert normalise_category("formal_shoes") == "formal shoes"


def test_unknown_category_says_what_is_known() -> None:
    with pytest.raises(UnknownCategoryError, match=r"known categories: .*skirt"):
        normalise_category("spacesuit")
