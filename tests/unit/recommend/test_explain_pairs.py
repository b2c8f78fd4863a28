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
