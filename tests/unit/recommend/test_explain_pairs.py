"""The "why" of an outfit names a pair of colours once, whichever pieces wear them."""

from __future__ import annotations

from tests.unit.recommend.conftest import item
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.explain import explain
from wardrobe_app.recommend.rules import expert_rules


def test_a_pair_of_colours_is_one_reason_not_two() -> None:
    worn = {
        "layer": item(1, "blazer", "black"),
        "top": item(2, "t-shirt", "white"),
        "middle": item(3, "trousers", "black"),
        "shoes": item(4, "sneakers", "grey"),
    }
    words = explain(worn, Context("casual"), expert_rules(), limit=10)
    about_black_white = [w for w in words if {"black", "white"} <= set(w.split(":")[0].replace(" and ", " ").split())]
    assert len(about_black_white) == 1, words
    assert len(words) == len(set(words))


def test_what_is_missing_reads_as_english() -> None:
    import pytest

    from wardrobe_app.domain.errors import CannotMakeOutfitError
    from wardrobe_app.recommend.engine import check_shapes
    from wardrobe_app.recommend.pieces import by_role

    with pytest.raises(CannotMakeOutfitError) as empty:
        check_shapes(by_role([]))
    assert "no a " not in str(empty.value)
    assert "no shoes and no top (t-shirt, shirt, ...) and no bottom (pants, jeans, skirt, ...) or dress" in str(
        empty.value
    )
    with pytest.raises(CannotMakeOutfitError) as no_bottom:
        check_shapes(by_role([item(1, "t-shirt", "white"), item(2, "sneakers", "white")]))
    assert "the closet has no bottom (pants, jeans, skirt, ...) or dress" in str(no_bottom.value)
