"""Fine-tune the ranker on a user's ratings in numpy (Adam), starting from the expert weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from wardrobe_app.recommend.ranker_file import RankerWeights, sigmoid


@dataclass(frozen=True)
class FinetuneStats:
    """How a fine-tuning run went."""

    steps: int
    loss_before: float
    loss_after: float
    accuracy: float  # on the user's own ratings (score > 0.5 == liked)


def _loss(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


def finetune(
    start: RankerWeights,
    rows: np.ndarray,
    labels: np.ndarray,
    weight: np.ndarray,
    *,
    steps: int = 300,
    learning_rate: float = 3e-3,
    anchor: float = 1e-3,
    own: np.ndarray | None = None,
) -> tuple[RankerWeights, FinetuneStats]:
    """Full-batch Adam on weighted binary cross-entropy, plus an L2 pull towards ``start``.

    ``own`` marks the rows that are the user's ratings (for the accuracy figure). BLAS on one thread:
    small matrices, and threads only fight over a busy machine.
    """
    with threadpool_limits(1, user_api="blas"):
        return _finetune(start, rows, labels, weight, steps, learning_rate, anchor, own)


def _finetune(
    start: RankerWeights,
    rows: np.ndarray,
    labels: np.ndarray,
    weight: np.ndarray,
    steps: int,
    learning_rate: float,
    anchor: float,
    own: np.ndarray | None,
) -> tuple[RankerWeights, FinetuneStats]:
    params = [a.astype(np.float32).copy() for a in start.arrays]
    origin = [a.copy() for a in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rows.astype(np.float32)
    y = labels.astype(np.float32)
    w = (weight / weight.sum()).astype(np.float32)
    before = _loss(RankerWeights(tuple(params)).scores(x), y, w)
    b1, b2, eps = 0.9, 0.999, 1e-7
    for step in range(1, steps + 1):
        w1, c1, w2, c2, w3, c3 = params
        z1 = x @ w1 + c1
        h1 = np.maximum(z1, 0.0)
        z2 = h1 @ w2 + c2
        h2 = np.maximum(z2, 0.0)
        p = sigmoid((h2 @ w3 + c3).reshape(-1))
        g = ((p - y) * w)[:, None]  # d loss / d logit
        g_w3, g_c3 = h2.T @ g, g.sum(0)
        d2 = (g @ w3.T) * (z2 > 0)
        g_w2, g_c2 = h1.T @ d2, d2.sum(0)
        d1 = (d2 @ w2.T) * (z1 > 0)
        g_w1, g_c1 = x.T @ d1, d1.sum(0)
        grads = [g_w1, g_c1, g_w2, g_c2, g_w3, g_c3]
        for i, grad in enumerate(grads):
            grad = grad + anchor * (params[i] - origin[i])
            m[i] = b1 * m[i] + (1 - b1) * grad
            v[i] = b2 * v[i] + (1 - b2) * grad * grad
            m_hat = m[i] / (1 - b1**step)
            v_hat = v[i] / (1 - b2**step)
            params[i] -= (learning_rate * m_hat / (np.sqrt(v_hat) + eps)).astype(np.float32)
    tuned = RankerWeights(tuple(params), dict(start.info))
    scores = tuned.scores(x)
    mask = np.ones(len(y), bool) if own is None else own
    accuracy = float(((scores[mask] > 0.5) == (y[mask] > 0.5)).mean()) if mask.any() else 0.0
    return tuned, FinetuneStats(steps, before, _loss(scores, y, w), accuracy)
