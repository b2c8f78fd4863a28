"""Heads and calibration: a tiny softmax model fitted here, temperature on validation, confidence vs accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.ml.heads import (
    LinearHead,
    balanced_weights,
    expected_calibration_error,
    fit_linear_head,
    fit_temperature,
    group_matrix,
    reliability,
    softmax,
)


def blobs(n: int, seed: int, spread: float = 1.6) -> tuple[np.ndarray, np.ndarray]:
    """Four overlapping Gaussian classes in 8 dimensions."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(99).normal(0, 1.5, (4, 8))
    y = rng.integers(0, 4, n)
    return centres[y] + rng.normal(0, spread, (n, 8)), y


def test_confidence_is_monotone_with_accuracy_on_a_held_out_set() -> None:
    x_train, y_train = blobs(300, seed=1)
    x_val, y_val = blobs(600, seed=2)
    x_test, y_test = blobs(4000, seed=3)
    # Almost no regularisation on few photos: an over-confident model, as a fine-tuned network tends to be.
    head = fit_linear_head(x_train, y_train, 4, l2=1e-6)
    overconfident = head.with_temperature(0.25)
    temperature = fit_temperature(overconfident.logits(x_val), y_val)
    assert temperature > 1.5  # the fitted temperature undoes the sharpening
    calibrated = overconfident.with_temperature(0.25 * temperature)

    p_test = calibrated.predict_proba(x_test)
    confidence, correct = p_test.max(1), p_test.argmax(1) == y_test
    rows = reliability(confidence, correct, bins=5)
    accuracies = [accuracy for _, accuracy, _ in rows]
    assert accuracies == sorted(accuracies)  # more confident -> more often right
    assert accuracies[-1] - accuracies[0] > 0.3
    before = overconfident.predict_proba(x_test)
    ece_before = expected_calibration_error(before.max(1), before.argmax(1) == y_test)
    ece_after = expected_calibration_error(confidence, correct)
    assert ece_after < ece_before / 2 and ece_after < 0.05
    # Temperature never changes the predicted class.
    assert np.array_equal(before.argmax(1), p_test.argmax(1))


def test_temperature_folds_into_a_plain_dense_layer() -> None:
    head = LinearHead(np.arange(12, dtype=float).reshape(3, 4) / 10, np.array([0.1, -0.2, 0.0, 0.3]), 2.5)
    weights, bias = head.folded()
    x = np.random.default_rng(0).normal(size=(5, 3))
    assert np.allclose(softmax(x @ weights + bias), head.predict_proba(x))


def test_group_loss_gradient_and_effect() -> None:
    from scipy.optimize import check_grad

    from wardrobe_app.ml.heads import _objective

    labels = ("t-shirt", "longsleeve", "dress")
    groups = group_matrix(labels)
    assert groups.tolist() == [[1, 0], [1, 0], [0, 1]]
    rng = np.random.default_rng(5)
    # Class 0 is two clusters on either side of class 2: no linear head separates them all (as real photos).
    centres = np.array([[-2.0, 0.0], [0.0, 2.0], [0.0, 0.0], [2.0, 0.0]])
    source = rng.integers(0, 4, 2000)
    y = np.array([0, 1, 2, 0])[source]
    x = centres[source] + rng.normal(0, 0.7, (2000, 2))
    targets = np.eye(3)[y]
    params = rng.normal(0, 0.3, 2 * 3 + 3)
    args = (x, targets, np.ones(len(y)), groups, 2.0, 1e-3, 0.1)
    assert check_grad(lambda p: _objective(p, *args)[0], lambda p: _objective(p, *args)[1], params) < 1e-4

    plain = fit_linear_head(x, y, 3, l2=1e-4)
    grouped = fit_linear_head(x, y, 3, groups=groups, group_weight=5.0, l2=1e-4)
    group_of = np.array([0, 0, 1])

    def group_errors(head: LinearHead) -> int:
        return int(np.sum(group_of[head.predict_proba(x).argmax(1)] != group_of[y]))

    def group_nll(head: LinearHead) -> float:
        p = head.predict_proba(x) @ groups
        return float(-np.mean(np.log(p[np.arange(len(y)), group_of[y]])))

    assert group_nll(grouped) < group_nll(plain)
    assert group_errors(grouped) <= group_errors(plain)


def test_balanced_weights_give_each_class_the_same_total() -> None:
    y = np.array([0] * 90 + [1] * 10)
    w = balanced_weights(y, 2)
    assert w[y == 0].sum() == pytest.approx(w[y == 1].sum())
    assert w.mean() == pytest.approx(1.0)
    root = balanced_weights(y, 2, power=0.5)
    assert 1 < root[y == 1][0] / root[y == 0][0] < w[y == 1][0] / w[y == 0][0]
