"""Kind heads: shoes and trousers by kind, the fall-back to the plain label, the slippers guard, storage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.domain import CLASSIFIER_CATEGORIES, Group, ModelIntegrityError
from wardrobe_app.ml.classifier import GarmentClassifier
from wardrobe_app.ml.heads import LinearHead
from wardrobe_app.ml.kinds import (
    KINDS,
    KindHead,
    choose_kind_threshold,
    fit_kind_head,
    load_kind_heads,
    save_kind_heads,
)

SHOE_KINDS = KINDS["shoes"]


def shoe_features(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """512-d features whose first dimensions say the kind (a stand-in for pooled CNN features)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(SHOE_KINDS), n)
    x = rng.normal(0, 1, (n, 512))
    x[np.arange(n), y] += 4.0
    return x, y


def test_fitted_head_names_kinds_and_falls_back_when_unsure() -> None:
    x, y = shoe_features(700, seed=1)
    head = fit_kind_head("shoes", x, SHOE_KINDS, y, threshold=0.6)
    x_test, y_test = shoe_features(300, seed=2)
    calls = head.predict(x_test)
    named = [(k, t) for (k, _), t in zip(calls, y_test, strict=True) if k is not None]
    assert len(named) > 200
    assert np.mean([k == SHOE_KINDS[t] for k, t in named]) > 0.9
    # Features that point at no kind: the head is unsure and says None (the caller keeps "shoes").
    vague = np.random.default_rng(3).normal(0, 1, (50, 512))
    vague[:, : len(SHOE_KINDS)] += 2.0
    assert sum(k is None for k, _ in head.predict(vague)) > 25


def test_slippers_are_never_called_formal_shoes() -> None:
    kinds = SHOE_KINDS
    flat = LinearHead(np.zeros((2, len(kinds))), np.zeros(len(kinds)))
    guards = (("slippers", "formal shoes"),)
    head = KindHead("shoes", kinds, np.zeros(2), np.ones(2), flat, threshold=0.3, guards=guards)
    p = np.full(len(kinds), 0.02)
    p[kinds.index("formal shoes")] = 0.7
    p[kinds.index("slippers")] = 0.18
    assert head.decide(p / p.sum()) == (None, pytest.approx(0.7 / p.sum()))
    p[kinds.index("slippers")] = 0.01
    assert head.decide(p / p.sum())[0] == "formal shoes"
    x, y = shoe_features(200, seed=4)
    fitted = fit_kind_head("shoes", x, SHOE_KINDS, y, threshold=0.5)
    assert ("slippers", "formal shoes") in fitted.guards


def test_kinds_must_share_the_parent_group() -> None:
    with pytest.raises(ModelIntegrityError, match="same group"):
        flat = LinearHead(np.zeros((2, 2)), np.zeros(2))
        KindHead("pants", ("jeans", "sneakers"), np.zeros(2), np.ones(2), flat, 0.5)


def test_round_trip_and_classifier_refines_only_confident_calls(tmp_path: Path, colour_network: object) -> None:
    x, y = shoe_features(400, seed=5)
    head = fit_kind_head("shoes", x, SHOE_KINDS, y, threshold=0.7, temperature=1.3, info={"photos": 400})
    path = save_kind_heads(tmp_path, [head])
    loaded = load_kind_heads(path)["shoes"]
    assert np.allclose(loaded.probabilities(x[:20]), head.probabilities(x[:20]), atol=1e-4)
    assert loaded.info == {"photos": 400}

    class ShoeNetwork:
        """Always 'shoes'; the features are whatever the test puts in."""

        features = np.zeros((1, 512), np.float32)

        def __call__(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, np.ndarray]:
            p = np.full((len(inputs), len(CLASSIFIER_CATEGORIES)), 0.01, np.float32)
            p[:, CLASSIFIER_CATEGORIES.index("shoes")] = 0.91
            return p, np.repeat(self.features, len(inputs), axis=0)

    network = ShoeNetwork()
    classifier = GarmentClassifier(
        network, CLASSIFIER_CATEGORIES, "garment_classifier/0.0.2", 0.5, kind_heads={"shoes": loaded}
    )
    photo = np.zeros((40, 30, 3), np.uint8)
    sneaker = x[(y == SHOE_KINDS.index("sneakers"))][:1]
    network.features = sneaker.astype(np.float32)
    sure = classifier.classify([photo])[0]
    assert (sure.category, sure.label, sure.group) == ("sneakers", "shoes", Group.BOTTOM)
    assert sure.kind_confidence is not None and sure.kind_confidence >= 0.7
    network.features = np.zeros((1, 512), np.float32) + x.mean(axis=0).astype(np.float32)
    unsure = classifier.classify([photo])[0]
    assert (unsure.category, unsure.label, unsure.group) == ("shoes", "shoes", Group.BOTTOM)
    # Other labels are untouched and carry no kind confidence.
    plain = GarmentClassifier(colour_network, CLASSIFIER_CATEGORIES, "garment_classifier/0.0.1", 0.5)
    result = plain.classify([photo])[0]
    assert result.category == result.label and result.kind_confidence is None


def test_unreadable_kinds_file_is_an_integrity_error(tmp_path: Path) -> None:
    path = tmp_path / "kinds.json"
    path.write_text(json.dumps({"heads": [{"parent": "shoes"}]}))
    with pytest.raises(ModelIntegrityError, match="kind heads"):
        load_kind_heads(path)


def test_threshold_is_the_lowest_that_meets_the_target() -> None:
    confidence = np.array([0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95])
    correct = np.array([False, False, True, True, True, True, True])
    assert choose_kind_threshold(confidence, correct, target=0.99) == 0.5
