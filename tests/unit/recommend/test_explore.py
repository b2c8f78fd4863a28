"""The exploration card: a labelled random outfit after the board's best, never a repeat, only when asked."""

from __future__ import annotations

from collections import Counter
from itertools import product

import numpy as np

from tests.unit.recommend.test_engine_v2 import CLOSET, RULES, plain, ratings_for
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.engine import Wearable, build_board, id_key
from wardrobe_app.recommend.explore import EXPLORE_AFTER, EXPLORE_REASON, exploration_pick
from wardrobe_app.recommend.personal import fit_taste
from wardrobe_app.recommend.terms import expert_terms
from wardrobe_app.recommend.topk import FIELDS

CASUAL = Context("casual")
TASTE = fit_taste(ratings_for("casual", plain, 12, 3))


def board(seed: int = 0, **options):  # type: ignore[no-untyped-def]
    return build_board(CLOSET, CASUAL, TASTE, 5, rng=np.random.default_rng(seed), explore_card=True, **options)


def test_the_card_comes_after_the_best_with_its_reason() -> None:
    for seed in range(6):
        outfits = board(seed).outfits
        assert len(outfits) == 6
        *best, card = outfits
        assert card.explore and card.reasons[0] == EXPLORE_REASON and 0.0 <= card.score <= 1.0
        assert not any(o.explore or EXPLORE_REASON in o.reasons for o in best)
        assert id_key(card) not in {id_key(o) for o in best}  # never one of the board's own
        plain_board = build_board(CLOSET, CASUAL, TASTE, 5, rng=np.random.default_rng(seed))
        assert best == list(plain_board.outfits)  # the top positions are the board without the card


def test_the_card_is_never_an_excluded_outfit() -> None:
    seen = {id_key(board(seed).outfits[-1]) for seed in range(8)}
    for seed in range(8):
        card = board(seed, excluded=seen).outfits[-1]
        assert card.explore and id_key(card) not in seen


def test_the_card_is_never_a_rated_outfit_but_the_board_may_show_them() -> None:
    """Rating an outfit the person already rated on the card would replace that rating (the taste loses it)."""
    seen = {id_key(board(seed).outfits[-1]) for seed in range(8)}
    for seed in range(8):
        *best, card = board(seed, rated=seen).outfits
        assert card.explore and id_key(card) not in seen
        assert best == list(board(seed).outfits[:-1])  # rated outfits are not excluded from the board itself


def test_no_card_unless_asked_exploring_and_after_some_ratings() -> None:
    few = fit_taste(ratings_for("casual", plain, EXPLORE_AFTER - 1, 3))
    rng = np.random.default_rng(0)
    assert not any(o.explore for o in build_board(CLOSET, CASUAL, TASTE, 5, rng=rng).outfits)  # not asked
    assert not any(o.explore for o in build_board(CLOSET, CASUAL, TASTE, 5, explore_card=True).outfits)  # no rng
    assert not any(o.explore for o in build_board(CLOSET, CASUAL, few, 5, rng=rng, explore_card=True).outfits)
    around = build_board(CLOSET, CASUAL, TASTE, 5, rng=rng, explore_card=True, with_item=12).outfits
    assert not any(o.explore for o in around)  # a board built around an item keeps to it


def test_a_random_outfit_of_every_shape_and_none_when_all_are_taken() -> None:
    wear = Wearable.of(CLOSET, CASUAL, RULES)
    expert = expert_terms(wear.facts, CASUAL, RULES)
    sizes = {r: len(v) for r, v in wear.items.items()}
    rng = np.random.default_rng(0)
    drawn = [exploration_pick(sizes, expert, rng) for _ in range(400)]
    keys = [d[0] for d in drawn if d is not None]
    assert len(keys) == 400
    shapes = Counter(("dress" if k[3] >= 0 else "separates", k[1] >= 0) for k in keys)
    assert set(shapes) == {("dress", True), ("dress", False), ("separates", True), ("separates", False)}
    for key, quality in (d for d in drawn if d is not None):
        picks = {r: p for r, p in zip(FIELDS, key, strict=True) if p >= 0}
        assert quality == expert.outfit(picks)
        assert (key[0] >= 0) == (key[2] >= 0) != (key[3] >= 0) and key[4] >= 0  # a whole outfit
    qualities = np.array([q for _k, q in (d for d in drawn if d is not None)])
    assert qualities.min() < 0.55 < qualities.max()  # below the board's quality floor too
    n = {r: range(-1, sizes[r]) if r == "layer" else range(sizes[r]) for r in FIELDS}
    separates = {(t, la, m, -1, s) for t, la, m, s in product(n["top"], n["layer"], n["middle"], n["shoes"])}
    dresses = {(-1, la, -1, f, s) for la, f, s in product(n["layer"], n["full"], n["shoes"])}
    assert set(keys) <= separates | dresses
    assert exploration_pick(sizes, expert, rng, separates | dresses) is None  # every outfit taken
    assert exploration_pick({**sizes, "shoes": 0}, expert, rng) is None
