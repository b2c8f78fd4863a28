"""Suggestions: diverse, built around an item, with locked slots, without what was disliked."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from tests.unit.recommend.conftest import item
from wardrobe_app.domain import CannotMakeOutfitError, ItemNotFoundError, UnknownOccasionError
from wardrobe_app.recommend.ranker_file import RankerWeights, load_ranker, shipped_ranker_dir
from wardrobe_app.recommend.suggest import Closet, suggest_outfits


@pytest.fixture(scope="module")
def expert() -> RankerWeights:
    return load_ranker(shipped_ranker_dir())


def test_suggestions_are_the_best_and_diverse(closet_items, expert) -> None:  # type: ignore[no-untyped-def]
    outfits = suggest_outfits(expert, Closet.of(closet_items), "work", k=4)
    assert len(outfits) == 4
    scores = [o.score for o in outfits]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    tops = Counter(o.top for o in outfits if o.top is not None)
    assert max(tops.values()) == 1  # not four outfits sharing a top
    assert all(o.reasons and o.occasion == "work" for o in outfits)
    assert outfits[0].bottom == 32  # formal shoes at work


def test_with_item_builds_around_it(closet_items, expert) -> None:  # type: ignore[no-untyped-def]
    closet = Closet.of(closet_items)
    around = suggest_outfits(expert, closet, "casual", k=3, with_item=13)
    assert around and all(o.middle == 13 for o in around)
    dress = suggest_outfits(expert, closet, "party", k=3, with_item=21)
    assert dress and all(o.full == 21 and o.top is None and o.middle is None for o in dress)
    with pytest.raises(ItemNotFoundError):
        suggest_outfits(expert, closet, "casual", with_item=999)


def test_locked_slots_are_kept_and_the_rest_regenerated(closet_items, expert) -> None:  # type: ignore[no-untyped-def]
    outfits = suggest_outfits(expert, Closet.of(closet_items), "date", k=3, locked={"top": 2, "bottom": 33})
    assert len(outfits) == 3
    assert all(o.top == 2 and o.bottom == 33 for o in outfits)
    assert len({o.middle for o in outfits}) == 3


def test_disliked_outfits_are_left_out(closet_items, expert) -> None:  # type: ignore[no-untyped-def]
    closet = Closet.of(closet_items)
    first = suggest_outfits(expert, closet, "work", k=1)[0]
    again = suggest_outfits(expert, closet, "work", k=5, disliked={(first.top, first.middle, first.full, first.bottom)})
    assert all(
        (o.top, o.middle, o.full, o.bottom) != (first.top, first.middle, first.full, first.bottom) for o in again
    )


def test_a_closet_without_shoes_says_what_is_missing(closet_items, expert) -> None:  # type: ignore[no-untyped-def]
    no_shoes = [i for i in closet_items if i.group is None or i.group.value != "bottom"]
    with pytest.raises(CannotMakeOutfitError, match="no shoes"):
        suggest_outfits(expert, Closet.of(no_shoes), "casual")
    only_tops = [item(1, "shirt", "white"), item(2, "sneakers", "white")]
    with pytest.raises(CannotMakeOutfitError, match="bottom"):
        suggest_outfits(expert, Closet.of(only_tops), "casual")


def test_unknown_occasion(closet_items, expert) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownOccasionError):
        suggest_outfits(expert, Closet.of(closet_items), "gala")


def test_small_closet_relaxes_diversity_to_fill_k(expert) -> None:  # type: ignore[no-untyped-def]
    items = [
        item(1, "shirt", "white"),
        item(2, "jeans", "navy"),
        item(3, "trousers", "grey"),
        item(4, "sneakers", "white"),
        item(5, "boots", "black"),
    ]
    outfits = suggest_outfits(expert, Closet.of(items), "casual", k=4)
    assert len(outfits) == 4 and {o.top for o in outfits} == {1}
    assert np.isfinite([o.score for o in outfits]).all()
