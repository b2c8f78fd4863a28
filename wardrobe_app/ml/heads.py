"""Linear softmax heads on pooled features (numpy + L-BFGS): group-aware loss, class balance, temperature scaling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def group_matrix(labels: Sequence[str]) -> np.ndarray:
    """(classes, groups) 0/1 matrix: which outfit group each label belongs to (groups in first-seen order)."""
    groups: list[str] = []
    for name in labels:
        if CATEGORY_GROUPS[name].value not in groups:
            groups.append(CATEGORY_GROUPS[name].value)
    matrix = np.zeros((len(labels), len(groups)), np.float64)
    for i, name in enumerate(labels):
        matrix[i, groups.index(CATEGORY_GROUPS[name].value)] = 1.0
    return matrix


def balanced_weights(labels: np.ndarray, n_classes: int, power: float = 1.0) -> np.ndarray:
    """Per-sample weights (n / (k * count_c)) ** power, normalised to mean 1; power 0.5 is the square-root balance."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    per_class = (len(labels) / (n_classes * np.maximum(counts, 1))) ** power
    weights = per_class[labels]
    return weights / weights.mean()


@dataclass(frozen=True)
class LinearHead:
    """logits = x @ weights + bias; ``temperature`` divides the logits (1.0 until calibrated)."""

    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    temperature: float = 1.0

    def logits(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, np.float64) @ self.weights + self.bias) / self.temperature

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return softmax(self.logits(x))

    def with_temperature(self, temperature: float) -> LinearHead:
        return LinearHead(self.weights, self.bias, float(temperature))

    def folded(self) -> tuple[np.ndarray, np.ndarray]:
        """Weights and bias with the temperature folded in (a plain dense softmax layer gives the same output)."""
        return self.weights / self.temperature, self.bias / self.temperature


def _objective(
    params: np.ndarray,
    x: np.ndarray,
    targets: np.ndarray,
    sample_weight: np.ndarray,
    groups: np.ndarray | None,
    group_weight: float,
    l2: float,
    label_smoothing: float,
    prior: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    n, d = x.shape
    k = targets.shape[1]
    w = params[: d * k].reshape(d, k)
    b = params[d * k :]
    p = softmax(x @ w + b)
    soft = targets * (1 - label_smoothing) + label_smoothing / k
    sw = sample_weight[:, None] / n
    loss = -float(np.sum(sw * soft * np.log(p + 1e-12)))
    grad_z = sw * (p - soft)
    if groups is not None and group_weight > 0:
        # Group cross-entropy: -log(sum of the true group's class probabilities); a wrong group costs extra.
        true_group = targets @ groups  # (n, g) one-hot
        in_group = true_group @ groups.T  # (n, k): 1 for classes of the true group
        p_group = np.sum(p * in_group, axis=1, keepdims=True)
        loss -= group_weight * float(np.sum(sw * np.log(p_group + 1e-12)))
        grad_z += group_weight * sw * (p - in_group * p / (p_group + 1e-12))
    shift = w if prior is None else w - prior
    loss += 0.5 * l2 * float(np.sum(shift * shift))
    grad_w = x.T @ grad_z + l2 * shift
    grad_b = grad_z.sum(axis=0)
    return loss, np.concatenate([grad_w.ravel(), grad_b])


def fit_linear_head(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    groups: np.ndarray | None = None,
    group_weight: float = 0.0,
    l2: float = 1e-3,
    sample_weight: np.ndarray | None = None,
    label_smoothing: float = 0.0,
    init: LinearHead | None = None,
    max_iter: int = 500,
    prior: LinearHead | None = None,
) -> LinearHead:
    """Softmax regression by L-BFGS: weighted cross-entropy (+ ``group_weight`` x group cross-entropy) + L2.

    With a ``prior`` head, the L2 penalty pulls the weights towards the prior's (and fitting starts there)
    instead of towards zero: a new head that stays close to a shipped one unless the data say otherwise."""
    from scipy.optimize import minimize

    x = np.asarray(x, np.float64)
    targets = np.eye(n_classes)[y]
    weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    d = x.shape[1]
    init = init if init is not None else prior
    start = (
        np.concatenate([init.weights.ravel(), init.bias]) if init is not None else np.zeros(d * n_classes + n_classes)
    )
    result = minimize(
        _objective,
        start,
        jac=True,
        method="L-BFGS-B",
        args=(x, targets, weights, groups, group_weight, l2, label_smoothing, None if prior is None else prior.weights),
        options={"maxiter": max_iter},
    )
    params = result.x
    return LinearHead(params[: d * n_classes].reshape(d, n_classes).copy(), params[d * n_classes :].copy())


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the negative log-likelihood of softmax(logits / T) (searched on 0.05-20)."""
    from scipy.optimize import minimize_scalar

    logits = np.asarray(logits, np.float64)

    def nll(log_t: float) -> float:
        p = softmax(logits / np.exp(log_t))
        return -float(np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))

    result = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by how many predictions fall in each."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = index == b
        if inside.any():
            total += inside.mean() * abs(float(correct[inside].mean()) - float(confidence[inside].mean()))
    return total


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 4) -> list[tuple[float, float, int]]:
    """(mean confidence, accuracy, count) per equal-count confidence bin, lowest confidence first."""
    order = np.argsort(confidence, kind="stable")
    rows = []
    for part in np.array_split(order, bins):
        if len(part):
            rows.append((float(confidence[part].mean()), float(correct[part].mean()), len(part)))
    return rows
