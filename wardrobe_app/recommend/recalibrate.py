"""Recalibrate the shown chance on the exploration cards' ratings: a Platt map whose prior is the identity.

The taste learns from the board's cards, the outfits it likes best, so its chance is right for outfits like
them and, measured, far too low for the rest of the closet when the person likes most outfits (~20% shown
where 50-65% are liked). The exploration cards (recommend/explore.py) are random outfits of the closet: their
ratings are a sample of the rest without that selection, and the taste does not learn from them, so they
judge its chance out of sample. The map ``alpha + beta * logit`` is fitted on them (MAP, prior N(0, 0.5^2) on
alpha and N(1, 0.25^2) on beta: few ratings change little, none nothing); ``beta`` is kept above
``MIN_SLOPE``, so the map is increasing and a board's order never changes, only the chances shown.
Measured (benchmarks/personas.py, docs/taste-personas.md): the prior (1, 0.5) gained more for people who like
most outfits but, fitted on ~19 ratings, moved a strict person's chance by noise (dark clothes ECE 0.035 ->
0.082 over closets 0-4) and the chance on the board's own cards; (0.5, 0.25) was picked on closets 1-2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from wardrobe_app.recommend.personal import Rating, Taste

#: Prior standard deviations of (alpha, beta) around the identity (0, 1).
PRIOR_SD = (0.5, 0.25)
#: The smallest slope kept: the map stays increasing (a board keeps its order).
MIN_SLOPE = 0.05


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def platt_map(logit: np.ndarray, liked: np.ndarray, sd: tuple[float, float] = PRIOR_SD) -> tuple[float, float]:
    """(alpha, beta) of the MAP map ``alpha + beta * logit`` for ratings ``liked`` (1 like, 0 dislike)."""
    x = np.stack([np.ones(len(logit)), np.asarray(logit, dtype=np.float64)], axis=1)
    y = np.asarray(liked, dtype=np.float64)
    prior = np.array([0.0, 1.0])
    precision = 1.0 / np.square(sd)

    def objective(t: np.ndarray) -> float:
        z = x @ t
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(precision * (t - prior) ** 2))

    theta, current = prior.copy(), objective(prior)
    for _ in range(50):  # Newton with backtracking (separable ratings would send plain Newton far off)
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ theta, -30, 30)))
        grad = x.T @ (p - y) + precision * (theta - prior)
        step = np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + np.diag(precision), grad)
        scale = 1.0
        while scale > 1e-6 and objective(theta - scale * step) > current:
            scale /= 2
        theta = theta - scale * step
        current = objective(theta)
        if np.abs(scale * step).max() < 1e-8:
            break
    return float(theta[0]), float(theta[1])


def recalibrated(taste: Taste, explored: Sequence[Rating]) -> Taste:
    """``taste`` with its shown chance mapped by a Platt map fitted on the exploration cards' ratings
    (none: unchanged)."""
    if not explored:
        return taste
    shown = np.concatenate(
        [taste.probability(r.occasion, np.array([r.quality]), r.phi[None, :], [r.items]) for r in explored]
    )
    alpha, beta = platt_map(_logit(shown), np.array([r.liked for r in explored]))
    return replace(taste, recalibration=(alpha, max(beta, MIN_SLOPE)))
