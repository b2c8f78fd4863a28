"""Packing: the set cover beats (or equals) the greedy baseline, a distinct outfit each day, trips parsed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from wardrobe_app.domain import CannotMakeOutfitError, Outfit, UnknownOccasionError, WardrobeError
from wardrobe_app.services.packing import _choices as choices_of
from wardrobe_app.services.packing import greedy, pack, trip_occasions


def outfit(top: int, middle: int, shoes: int, score: float) -> Outfit:
    return Outfit(top=top, middle=middle, bottom=shoes, score=score)


def test_beats_the_greedy_baseline_where_greedy_goes_wrong() -> None:
    # the best outfit shares nothing with the others: greedy takes it first and pays for it
    ranked = [outfit(1, 2, 3, 0.9), outfit(4, 5, 6, 0.8), outfit(4, 5, 7, 0.7), outfit(4, 8, 6, 0.6)]
    plan = pack(["casual"] * 3, {"casual": ranked})
    assert plan.greedy_items == 7
    assert set(plan.items) == {4, 5, 6, 7, 8}
    assert [d.day for d in plan.days] == [1, 2, 3]
    assert len({d.outfit.item_ids for d in plan.days}) == 3


def test_never_more_than_greedy_and_every_day_distinct() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        trip = list(rng.choice(["work", "casual"], size=int(rng.integers(1, 8))))
        ranked = {
            o: [
                outfit(
                    int(rng.integers(1, 9)), int(rng.integers(20, 26)), int(rng.integers(40, 44)), float(rng.random())
                )
                for _ in range(25)
            ]
            for o in ("work", "casual")
        }
        try:
            plan = pack(trip, ranked)
        except CannotMakeOutfitError:
            continue
        baseline = greedy(trip, choices_of(ranked))
        assert baseline is not None and plan.greedy_items is not None
        assert len(plan.items) <= plan.greedy_items == len(set().union(*(c.items for c in baseline)))
        worn = [d.outfit.item_ids for d in plan.days]
        assert len(set(worn)) == len(trip)
        assert set().union(*map(set, worn)) == set(plan.items)
        assert [d.occasion for d in plan.days] == trip
        ids = {o: {x.item_ids for x in ranked[o]} for o in ranked}
        assert all(d.outfit.item_ids in ids[d.occasion] for d in plan.days)


def test_small_trips_are_optimal() -> None:
    rng = np.random.default_rng(3)
    for _ in range(15):
        ranked = [
            outfit(int(rng.integers(1, 5)), int(rng.integers(10, 13)), int(rng.integers(20, 23)), float(rng.random()))
            for _ in range(8)
        ]
        distinct = list({o.item_ids: o for o in ranked}.values())
        if len(distinct) < 3:
            continue
        best = min(len(set().union(*(o.item_ids for o in trio))) for trio in itertools.combinations(distinct, 3))
        assert len(pack(["casual"] * 3, {"casual": ranked}).items) == best


def test_trip_occasions() -> None:
    assert trip_occasions(5, "work,casual") == ["work", "casual", "work", "casual", "work"]
    assert trip_occasions(None, "work:2, casual:1") == ["work", "work", "casual"]
    with pytest.raises(UnknownOccasionError):
        trip_occasions(3, "work,picnic")
    for days, text in ((None, "work"), (0, "work"), (4, "work:1,casual:2"), (2, "work:1,casual"), (2, "work:x")):
        with pytest.raises(WardrobeError):
            trip_occasions(days, text)


def test_too_few_outfits_says_so() -> None:
    with pytest.raises(CannotMakeOutfitError, match="1 good outfit"):
        pack(["work", "work"], {"work": [outfit(1, 2, 3, 0.9)]})
