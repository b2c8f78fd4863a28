"""Exact top-k by branch and bound equals scoring every outfit (accessories included), on random small closets."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.recommend.terms import ACCESSORY_PAIRS, PAIRS, Terms
from wardrobe_app.recommend.topk import brute_force, top_outfits


def random_terms(rng: np.random.Generator, sizes: dict[str, int]) -> Terms:
    sizes = {"accessory": 0, **sizes}
    unary = {r: rng.normal(0, 1, sizes[r]) for r in ("top", "layer", "middle", "full", "shoes", "accessory")}
    pair = {(a, b): rng.normal(0, 0.7, (sizes[a], sizes[b])) for a, b in PAIRS + ACCESSORY_PAIRS}
    return Terms(float(rng.normal()), unary, pair)


@pytest.mark.parametrize("seed", range(24))
def test_top_k_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = {
        r: int(rng.integers(0 if r in ("layer", "full", "accessory") else 1, 7))
        for r in ("top", "layer", "middle", "full", "shoes", "accessory")
    }
    terms = random_terms(rng, sizes)
    k = int(rng.integers(1, 15))
    fast, slow = top_outfits(terms, k, chunk=3), brute_force(terms, k)
    assert len(fast) == len(slow)
    np.testing.assert_allclose(fast.score, slow.score, atol=1e-9)
    assert set(fast.keys()) == set(slow.keys()) or len(set(np.round(slow.score, 9))) < len(slow)
    # each outfit carries its best accessory, and its score is the score of wearing it
    for i in range(len(fast)):
        key, accessory = fast.key(i), fast.accessory_of(i)
        picks = {r: n for r, n in zip(("top", "layer", "middle", "full", "shoes"), key, strict=True) if n >= 0}
        worn = picks | ({"accessory": accessory} if accessory >= 0 else {})
        assert terms.outfit(worn) == pytest.approx(fast.score[i])


@pytest.mark.parametrize("seed", range(8))
def test_layer_shoes_and_accessory_terms_decide_the_order(seed: int) -> None:
    """Strong layer x shoes and accessory terms (large against the rest) still give the exact top-k."""
    rng = np.random.default_rng(50 + seed)
    sizes = {"top": 4, "layer": 4, "middle": 3, "full": 2, "shoes": 5, "accessory": 3}
    terms = random_terms(rng, sizes)
    pair = dict(terms.pair)
    pair[("layer", "shoes")] = rng.normal(0, 3, (4, 5))
    pair[("layer", "accessory")] = rng.normal(0, 3, (4, 3))
    terms = Terms(terms.const, terms.unary, pair)
    fast, slow = top_outfits(terms, 10, chunk=2), brute_force(terms, 10)
    np.testing.assert_allclose(fast.score, slow.score, atol=1e-9)
    assert list(fast.accessory) == list(slow.accessory)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(6))
def test_excluded_outfits_are_skipped_and_the_next_best_found(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    terms = random_terms(rng, {"top": 5, "layer": 3, "middle": 4, "full": 2, "shoes": 4})
    everything = brute_force(terms, 10_000)
    excluded = set(everything.keys()[: 2 + seed]) | set(everything.keys()[20:30])
    fast, slow = top_outfits(terms, 8, excluded, chunk=2), brute_force(terms, 8, excluded)
    np.testing.assert_allclose(fast.score, slow.score, atol=1e-9)
    assert not set(fast.keys()) & excluded


def test_bound_prunes_most_pairs_on_a_large_closet() -> None:
    rng = np.random.default_rng(5)
    sizes = {"top": 300, "layer": 100, "middle": 250, "full": 50, "shoes": 200}
    terms = random_terms(rng, sizes)
    found = top_outfits(terms, 20)
    assert len(found) == 20 and np.all(np.diff(found.score) <= 1e-12)
    assert found.expanded < 300 * 250 / 4  # far fewer than all top x bottom pairs were expanded
