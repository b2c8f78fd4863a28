"""Vectorised enumeration and scoring of a closet's outfits against the row-by-row forward pass."""

from __future__ import annotations

import numpy as np

from wardrobe_app.domain import Item
from wardrobe_app.recommend.features import LAYOUT, ROW_SIZE, SLOTS, item_facts, outfit_rows
from wardrobe_app.recommend.ranker_file import RankerWeights, load_ranker, save_ranker
from wardrobe_app.recommend.rules import expert_rules
from wardrobe_app.recommend.samples import by_slot
from wardrobe_app.recommend.scoring import score_closet


def facts_of(items: list[Item]):  # type: ignore[no-untyped-def]
    rules = expert_rules()
    slots = by_slot(items)
    return slots, {s: item_facts(slots[s], s, rules) for s in SLOTS}


def test_enumerates_tops_middles_shoes_plus_dresses_with_shoes(closet_items, random_weights) -> None:  # type: ignore[no-untyped-def]
    _, facts = facts_of(closet_items)
    cands = score_closet(random_weights, facts, "casual", expert_rules(), keep=10_000)
    assert len(cands) == 4 * 3 * 3 + 1 * 3
    dresses = cands.full >= 0
    assert dresses.sum() == 3
    assert (cands.top[dresses] == -1).all() and (cands.middle[dresses] == -1).all()
    assert (cands.top[~dresses] >= 0).all() and (cands.middle[~dresses] >= 0).all() and (cands.bottom >= 0).all()
    keys = set(zip(cands.top.tolist(), cands.middle.tolist(), cands.full.tolist(), cands.bottom.tolist(), strict=True))
    assert len(keys) == len(cands)


def test_archived_items_are_left_out(closet_items) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    items = [replace(i, archived=True) if i.id == 1 else i for i in closet_items]
    slots, _ = facts_of(items)
    assert [i.id for i in slots["top"]] == [2, 3, 4]


def test_decomposed_scores_equal_the_forward_pass_on_full_rows(closet_items, random_weights) -> None:  # type: ignore[no-untyped-def]
    rules = expert_rules()
    _, facts = facts_of(closet_items)
    for occasion in ("work", "party"):
        cands = score_closet(random_weights, facts, occasion, rules, keep=10_000)
        index = {"top": cands.top, "middle": cands.middle, "full": cands.full, "bottom": cands.bottom}
        rows = outfit_rows(facts, index, occasion, rules)
        assert rows.shape == (len(cands), ROW_SIZE)
        np.testing.assert_allclose(cands.logit, random_weights.logits(rows), rtol=1e-4, atol=1e-4)


def test_top_k_is_exact_and_excluded_outfits_never_come_back(closet_items, random_weights) -> None:  # type: ignore[no-untyped-def]
    rules = expert_rules()
    _, facts = facts_of(closet_items)
    everything = score_closet(random_weights, facts, "date", rules, keep=10_000)
    best = score_closet(random_weights, facts, "date", rules, keep=3).best(3)
    np.testing.assert_allclose(best.logit, np.sort(everything.logit)[::-1][:3], rtol=1e-6)
    first = (int(best.top[0]), int(best.middle[0]), int(best.full[0]), int(best.bottom[0]))
    again = score_closet(random_weights, facts, "date", rules, keep=3, excluded={first}).best(3)
    assert first not in set(
        zip(again.top.tolist(), again.middle.tolist(), again.full.tolist(), again.bottom.tolist(), strict=True)
    )


def test_outfit_rows_mark_the_occasion_and_leave_dress_slots_empty(closet_items) -> None:  # type: ignore[no-untyped-def]
    rules = expert_rules()
    _, facts = facts_of(closet_items)
    index = {"top": np.array([-1]), "middle": np.array([-1]), "full": np.array([0]), "bottom": np.array([1])}
    row = outfit_rows(facts, index, "formal", rules)[0]
    start, stop = LAYOUT["occasion"]
    assert row[start:stop].tolist() == [0, 0, 1, 0, 0, 0]
    for block in ("top", "middle", "top-middle", "top-bottom", "middle-bottom"):
        assert not row[slice(*LAYOUT[block])].any()
    assert row[slice(*LAYOUT["full"])].any() and row[slice(*LAYOUT["full-bottom"])].any()


def test_weights_round_trip_without_pickle(tmp_path, random_weights) -> None:  # type: ignore[no-untyped-def]
    save_ranker(random_weights, tmp_path / "v1", kind="test")
    loaded = load_ranker(tmp_path / "v1")
    assert isinstance(loaded, RankerWeights) and loaded.info["kind"] == "test"
    for a, b in zip(loaded.arrays, random_weights.arrays, strict=True):
        np.testing.assert_array_equal(a, b)
