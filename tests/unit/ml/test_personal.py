"""The personal layer: the model's word without examples, close examples re-score, far ones barely count."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.ml.personal import PersonalLayer, PersonalSettings, normalise_features, probabilities_from_guess

LABELS = ("t-shirt", "longsleeve", "dress")


def _unit(*values: float) -> np.ndarray:
    vector = np.zeros(8, np.float32)
    vector[: len(values)] = values
    return vector


def test_without_examples_the_model_decides() -> None:
    layer = PersonalLayer(np.zeros((0, 8), np.float32), [])
    base = np.array([[0.6, 0.3, 0.1], [0.2, 0.1, 0.7]], np.float32)
    out = layer.blend(np.stack([_unit(1), _unit(0, 1)]), base, LABELS)
    assert [(r.category, r.personal_weight) for r in out] == [("t-shirt", 0.0), ("dress", 0.0)]
    assert out[0].confidence == pytest.approx(0.6)


def test_a_close_example_re_scores_and_a_far_one_barely_counts() -> None:
    layer = PersonalLayer(np.stack([_unit(1, 0.05)]), ["longsleeve"])
    base = np.array([[0.55, 0.35, 0.1]] * 2, np.float32)
    near, far = layer.blend(np.stack([_unit(1, 0.06), _unit(0.1, 0, 1)]), base, LABELS)
    assert near.category == "longsleeve" and near.personal_weight > 0.3
    assert far.category == "t-shirt" and far.personal_weight < 1e-3


def test_a_category_the_model_lacks_can_be_learned() -> None:
    layer = PersonalLayer(np.stack([_unit(1), _unit(1, 0.01)]), ["polo", "polo"])
    out = layer.blend(np.stack([_unit(1, 0.02)]), np.array([[0.5, 0.4, 0.1]], np.float32), LABELS)[0]
    assert out.category == "polo"
    assert layer.categories == ("polo",) and len(layer) == 2


def test_more_strength_means_less_personal_weight() -> None:
    features, base = np.stack([_unit(1, 0.1)]), np.array([[0.5, 0.4, 0.1]], np.float32)
    weights = [
        PersonalLayer(np.stack([_unit(1)]), ["dress"], PersonalSettings(strength=s))
        .blend(features, base, LABELS)[0]
        .personal_weight
        for s in (0.1, 1.0, 10.0)
    ]
    assert weights == sorted(weights, reverse=True) and weights[0] > weights[-1]


def test_probabilities_from_guess_and_normalising() -> None:
    probs = probabilities_from_guess((*LABELS, "hat"), [("dress", 0.7), ("t-shirt", 0.2), ("scarf", 0.05)])
    assert probs.sum() == pytest.approx(1.0) and probs[2] == pytest.approx(0.7)
    assert probs[1] == pytest.approx(probs[3]) == pytest.approx(0.05)  # the rest spread evenly
    rows = normalise_features(np.array([[4.0, 0.0], [0.0, 0.0]]))
    assert rows[0] == pytest.approx([1.0, 0.0]) and not rows[1].any()
    with pytest.raises(ValueError):
        PersonalLayer(np.zeros((2, 8)), ["dress"])
