"""'Worth buying?' counts and 'complete the look' on hand-made closets (plain items, no photos)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from wardrobe_app.domain import CannotMakeOutfitError, Item
from wardrobe_app.recommend.features import ROW_SIZE, SLOTS, item_facts, outfit_rows
from wardrobe_app.recommend.ranker_file import RankerWeights
from wardrobe_app.recommend.rules import OCCASIONS, expert_rules
from wardrobe_app.recommend.samples import make_item
from wardrobe_app.services.shopping import CANDIDATE_ID, complete_the_look, worth_buying

HSV = {
    "black": (0.0, 0.0, 0.08),
    "white": (0.0, 0.02, 0.96),
    "navy": (225.0, 0.7, 0.3),
    "red": (2.0, 0.85, 0.8),
    "blue": (215.0, 0.75, 0.75),
    "yellow": (52.0, 0.8, 0.93),
}


def item(item_id: int, category: str, colour: str) -> Item:
    return make_item(item_id, category, colour, HSV[colour])


@pytest.fixture
def weights() -> RankerWeights:
    rng = np.random.default_rng(3)
    shapes = [(ROW_SIZE, 32), (32,), (32, 16), (16,), (16, 1), (1,)]
    return RankerWeights(tuple(rng.normal(0, 0.4, s).astype(np.float32) for s in shapes))


CLOSET = [
    item(1, "shirt", "white"),
    item(2, "t-shirt", "red"),
    item(11, "trousers", "navy"),
    item(12, "jeans", "blue"),
    item(13, "shorts", "yellow"),
    item(31, "sneakers", "white"),
    item(32, "formal shoes", "black"),
]


def brute_force_scores(weights: RankerWeights, closet: list[Item], candidate: Item, occasion: str) -> dict:
    """Score every top x middle x shoes outfit that holds the candidate top, one at a time."""
    rules = expert_rules()
    slots = {s: [i for i in [*closet, candidate] if i.group and i.group.value == s] for s in SLOTS}
    facts = {s: item_facts(slots[s], s, rules) for s in SLOTS}
    scores = {}
    top = [i.id for i in slots["top"]].index(candidate.id)
    for m, b in itertools.product(range(len(slots["middle"])), range(len(slots["bottom"]))):
        index = {"top": np.array([top]), "middle": np.array([m]), "full": np.array([-1]), "bottom": np.array([b])}
        row = outfit_rows(facts, index, occasion, rules)
        scores[(slots["middle"][m].id, slots["bottom"][b].id)] = float(weights.scores(row)[0])
    return scores


def test_worth_buying_counts_every_good_outfit_with_the_candidate(weights: RankerWeights) -> None:
    candidate = item(CANDIDATE_ID, "blazer", "navy")
    for threshold in (0.0, 0.3, 0.5, 0.7, 1.01):
        verdicts = worth_buying(weights, CLOSET, candidate, threshold=threshold)
        assert [v.occasion for v in verdicts] == list(OCCASIONS)
        for verdict in verdicts:
            scores = brute_force_scores(weights, CLOSET, candidate, verdict.occasion)
            good = {pair for pair, score in scores.items() if score >= threshold}
            assert verdict.good_outfits == len(good)
            assert set(verdict.partners) == {i for pair in good for i in pair}
            assert verdict.best_score == pytest.approx(max(scores.values()), abs=1e-4)
            for outfit in verdict.examples:
                assert outfit.top == CANDIDATE_ID and outfit.score >= threshold
    everything = worth_buying(weights, CLOSET, candidate, threshold=0.0, occasions=["work"])
    assert everything[0].good_outfits == 3 * 2  # three bottoms x two pairs of shoes


def test_worth_buying_says_why_nothing_is_added(weights: RankerWeights) -> None:
    no_shoes = [i for i in CLOSET if i.id < 30]
    (verdict,) = worth_buying(weights, no_shoes, item(CANDIDATE_ID, "shirt", "blue"), occasions=["casual"])
    assert verdict.good_outfits == 0 and "shoes" in verdict.note
    (hat,) = worth_buying(weights, CLOSET, item(CANDIDATE_ID, "hat", "red"), occasions=["casual"])
    assert hat.good_outfits == 0 and "accessories" in hat.note
    shoes = worth_buying(
        weights, no_shoes, item(CANDIDATE_ID, "sneakers", "white"), threshold=0.0, occasions=["casual"]
    )
    assert shoes[0].good_outfits == 2 * 3  # the new shoes make every top x bottom wearable


def test_complete_the_look_fills_the_missing_slot_from_the_catalogue(weights: RankerWeights) -> None:
    no_shoes = [i for i in CLOSET if i.id < 30]
    shop = [
        item(101, "boots", "black"),
        item(102, "sneakers", "white"),
        item(103, "jeans", "black"),
        item(104, "heels", "red"),
    ]
    looks = complete_the_look(weights, no_shoes, shop, item_id=1, occasion="work", k=5)
    assert {look.product.id for look in looks} == {101, 102, 104}  # only shoes can complete it
    assert [look.score for look in looks] == sorted((look.score for look in looks), reverse=True)
    for look in looks:
        assert look.outfit.top == 1 and look.outfit.bottom == look.product.id and look.outfit.middle in (11, 12, 13)
    full = complete_the_look(weights, CLOSET, shop, item_id=1, occasion="work", k=10)
    assert {look.product.id for look in full} == {101, 102, 103, 104}  # with shoes, jeans can complete it too
    with pytest.raises(CannotMakeOutfitError):
        complete_the_look(weights, [item(1, "shirt", "white")], shop[:2], item_id=1, occasion="work")
