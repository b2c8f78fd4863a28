"""Fine-tuning in numpy learns a toy preference from the expert start; the retrain policy."""

from __future__ import annotations

import numpy as np

from wardrobe_app.recommend.features import SLOTS, item_facts, outfit_rows
from wardrobe_app.recommend.finetune import finetune
from wardrobe_app.recommend.ranker_file import load_ranker, shipped_ranker_dir
from wardrobe_app.recommend.rules import expert_rules
from wardrobe_app.recommend.samples import by_slot, random_outfits, synthetic_closet
from wardrobe_app.services.outfits import retrain_due


def test_finetune_learns_a_toy_preference_from_the_expert_start() -> None:
    rules = expert_rules()
    rng = np.random.default_rng(0)
    closet = by_slot(synthetic_closet(rng, {"top": 30, "middle": 20, "full": 0, "bottom": 15}, rules))
    facts = {s: item_facts(closet[s], s, rules) for s in SLOTS}
    index = random_outfits(rng, {s: len(closet[s]) for s in SLOTS}, 400)
    rows = outfit_rows(facts, index, "casual", rules)
    dark_top = np.array([closet["top"][t].colours[0].hsv[2] <= 0.35 for t in index["top"]])  # the hidden taste
    expert = load_ranker(shipped_ranker_dir())
    before = expert.scores(rows[300:])
    train = np.arange(len(rows)) < 300
    tuned, stats = finetune(
        expert, rows[train], dark_top[train].astype(np.float32), np.ones(train.sum(), np.float32), steps=300
    )
    after = tuned.scores(rows[~train])
    held_out = dark_top[~train]
    assert after[held_out].mean() > after[~held_out].mean() + 0.3  # learned, on outfits it never saw
    assert abs(before[held_out].mean() - before[~held_out].mean()) < 0.2  # the expert did not know
    assert stats.loss_after < stats.loss_before and stats.accuracy > 0.9


def test_retrain_policy() -> None:
    assert not retrain_due(4)
    assert retrain_due(5)
    assert retrain_due(2, every=2)
