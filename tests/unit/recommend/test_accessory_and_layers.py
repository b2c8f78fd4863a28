"""The accessory counts in the ranking (weather, occasion, colour) and the layer's colour with the shoes."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.recommend.conftest import HSV, item
from wardrobe_app.domain import Item
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.engine import Wearable, build_board
from wardrobe_app.recommend.personal import N_FEATURES, prior_taste, taste_terms
from wardrobe_app.recommend.pieces import facts_of
from wardrobe_app.recommend.rules import expert_rules
from wardrobe_app.recommend.terms import expert_terms
from wardrobe_app.recommend.topk import brute_force, top_outfits

RULES = expert_rules()
BASE = [
    item(1, "shirt", "white"),
    item(2, "t-shirt", "navy"),
    item(11, "jeans", "blue"),
    item(12, "trousers", "black"),
    item(31, "sneakers", "white"),
    item(32, "loafers", "black"),
]


def _board(closet: list[Item], context: Context, k: int = 4):  # type: ignore[no-untyped-def]
    return build_board(closet, context, prior_taste(), k=k)


def test_a_hat_joins_in_hot_sun_and_says_so() -> None:
    closet = [*BASE, item(41, "hat", "beige")]
    hot = _board(closet, Context("casual", "hot"))
    assert hot.outfits and all(o.accessory == 41 for o in hot.outfits)
    assert any("hat against the sun" in o.reasons for o in hot.outfits)
    # the hat raises the outfit's score: the same garments without it score lower
    bare = _board(BASE, Context("casual", "hot"))
    with_hat = {o.item_ids[:-1]: o.score for o in hot.outfits}
    common = [o for o in bare.outfits if o.item_ids in with_hat]
    assert common
    assert all(with_hat[o.item_ids] > o.score for o in common)


def test_a_scarf_when_cold_never_when_hot() -> None:
    closet = [*BASE, item(2, "t-shirt", "navy"), item(42, "scarf", "grey")]
    cold = _board(closet, Context("casual", "cold"))
    assert cold.outfits and all(o.accessory == 42 for o in cold.outfits)
    assert any("scarf for the cold" in o.reasons for o in cold.outfits)
    assert all(o.accessory is None for o in _board(closet, Context("casual", "hot")).outfits)


def test_the_accessory_is_chosen_by_its_colour_with_the_top() -> None:
    # white shirt only: a black bag (classic with white) beats a clashing one
    closet = [item(1, "shirt", "white"), item(12, "trousers", "black"), item(32, "loafers", "black")]
    closet += [item(43, "bag", "black"), item(44, "bag", "olive")]
    board = _board(closet, Context("work"), k=1)
    assert board.outfits[0].accessory == 43
    terms = expert_terms(Wearable.of(closet, Context("work"), RULES).facts, Context("work"), RULES)
    with_black = terms.outfit({"top": 0, "middle": 0, "shoes": 0, "accessory": 0})
    with_olive = terms.outfit({"top": 0, "middle": 0, "shoes": 0, "accessory": 1})
    assert with_black > with_olive


def test_a_cap_stays_away_from_formal() -> None:
    closet = [item(1, "shirt", "white"), item(12, "trousers", "black"), item(32, "formal shoes", "black")]
    closet.append(item(45, "cap", "black"))
    assert all(o.accessory is None for o in _board(closet, Context("formal")).outfits)


def test_layer_and_shoes_colours_count() -> None:
    """Same top, bottom and layer: the shoes that go with the layer win once the layer is worn."""
    closet = [
        item(1, "t-shirt", "white"),
        item(5, "jacket", "brown"),
        item(11, "jeans", "blue"),
        item(31, "boots", "brown"),
        item(32, "sneakers", "teal"),
    ]
    context = Context("casual", "cold")
    facts = Wearable.of(closet, context, RULES).facts
    terms = expert_terms(facts, context, RULES)
    assert terms.pair[("layer", "shoes")].shape == (1, 2)
    brown, teal = terms.pair[("layer", "shoes")][0]
    assert brown > teal  # brown jacket with brown boots is monochrome; brown with teal is not
    found = top_outfits(terms, 4)
    np.testing.assert_allclose(found.score, brute_force(terms, 4).score, atol=1e-12)


def _drawn_closet(rng: np.random.Generator) -> list[Item]:
    """A small random closet of every role, accessories included."""
    kinds = {
        "top": ["shirt", "t-shirt", "blouse", "longsleeve"],
        "layer": ["blazer", "jacket", "coat", "cardigan", "hoodie"],
        "middle": ["jeans", "trousers", "skirt", "shorts"],
        "full": ["dress"],
        "shoes": ["sneakers", "boots", "loafers", "formal shoes", "sandals"],
        "accessory": ["hat", "cap", "bag", "belt", "scarf"],
    }
    colours = sorted(HSV)
    closet, next_id = [], 1
    for role, options in kinds.items():
        for _ in range(int(rng.integers(0 if role in ("layer", "full", "accessory") else 1, 5))):
            closet.append(item(next_id, str(rng.choice(options)), str(rng.choice(colours))))
            next_id += 1
    return closet


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("weather", [None, "cold", "hot"])
def test_top_k_with_accessories_equals_brute_force_on_drawn_closets(seed: int, weather: str | None) -> None:
    rng = np.random.default_rng(seed)
    closet = _drawn_closet(rng)
    context = Context(str(rng.choice(["casual", "work", "party", "formal"])), weather)
    facts = Wearable.of(closet, context, RULES).facts
    theta = prior_taste().draw(context.occasion, np.random.default_rng(seed), temperature=1.0)
    expert = expert_terms(facts, context, RULES).scaled(float(theta[1]))
    total = expert.plus(taste_terms(facts, theta[2 : 2 + N_FEATURES]))
    k = int(rng.integers(1, 12))
    fast, slow = top_outfits(total, k, chunk=2), brute_force(total, k)
    np.testing.assert_allclose(fast.score, slow.score, atol=1e-9)
    for i in range(len(fast)):
        accessory = fast.accessory_of(i)
        picks = {r: n for r, n in zip(("top", "layer", "middle", "full", "shoes"), fast.key(i), strict=True) if n >= 0}
        assert total.outfit(picks | ({"accessory": accessory} if accessory >= 0 else {})) == pytest.approx(
            fast.score[i]
        )


def test_accessory_facts_have_no_taste_terms() -> None:
    """The person's taste is learnt on garments; accessories are the expert's (their taste terms are absent)."""
    facts = {r: facts_of([], RULES) for r in ("top", "layer", "middle", "full", "shoes")}
    assert "accessory" not in taste_terms(facts, np.zeros(N_FEATURES)).unary
