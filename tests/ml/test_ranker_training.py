"""Keras training of the outfit ranker, and the numpy scorer equal to Keras' own predict."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.recommend.features import ROW_SIZE, SLOTS, item_facts, outfit_rows
from wardrobe_app.recommend.ranker_file import RankerWeights, load_ranker, shipped_ranker_dir
from wardrobe_app.recommend.rules import expert_rules
from wardrobe_app.recommend.samples import by_slot, expert_samples, random_outfits, synthetic_closet
from wardrobe_app.recommend.scoring import score_closet

pytest.importorskip("keras")
pytestmark = pytest.mark.slow  # importing Keras alone takes seconds


def test_a_ranker_trained_on_a_toy_preference_learns_it() -> None:
    from wardrobe_app.training.ranker_training import train_ranker

    rules = expert_rules()
    rng = np.random.default_rng(1)
    closet = by_slot(synthetic_closet(rng, {"top": 40, "middle": 30, "full": 5, "bottom": 20}, rules))
    facts = {s: item_facts(closet[s], s, rules) for s in SLOTS}
    index = random_outfits(rng, {s: len(closet[s]) for s in SLOTS}, 1500)
    rows = outfit_rows(facts, index, "casual", rules)
    # the toy taste: loves dark shoes
    labels = np.array([closet["bottom"][b].colours[0].hsv[2] <= 0.4 for b in index["bottom"]], np.float32)
    arrays, history = train_ranker(rows[:1200], labels[:1200], epochs=25, batch_size=64, learning_rate=1e-2)
    scores = RankerWeights(arrays).scores(rows[1200:])
    accuracy = ((scores > 0.5) == (labels[1200:] > 0.5)).mean()
    assert accuracy > 0.9 and history["loss"][-1] < history["loss"][0]


def test_numpy_scores_equal_keras_predict() -> None:
    from wardrobe_app.training.ranker_training import keras_scores

    expert = load_ranker(shipped_ranker_dir())
    rows, _ = expert_samples(np.random.default_rng(2), 600)
    np.testing.assert_allclose(expert.scores(rows), keras_scores(expert.arrays, rows), rtol=1e-5, atol=1e-6)


def test_decomposed_closet_scores_equal_keras_predict() -> None:
    from wardrobe_app.training.ranker_training import keras_scores

    rules = expert_rules()
    expert = load_ranker(shipped_ranker_dir())
    closet = by_slot(synthetic_closet(np.random.default_rng(4), {"top": 6, "middle": 5, "full": 2, "bottom": 4}, rules))
    facts = {s: item_facts(closet[s], s, rules) for s in SLOTS}
    cands = score_closet(expert, facts, "party", rules, keep=1000)
    assert len(cands) == 6 * 5 * 4 + 2 * 4
    rows = outfit_rows(
        facts, {"top": cands.top, "middle": cands.middle, "full": cands.full, "bottom": cands.bottom}, "party", rules
    )
    assert rows.shape[1] == ROW_SIZE
    keras = keras_scores(expert.arrays, rows)
    np.testing.assert_allclose(1 / (1 + np.exp(-cands.logit)), keras, rtol=1e-5, atol=1e-6)
