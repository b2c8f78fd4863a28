"""Recalibrate the shown chance on the exploration cards' ratings: a Platt map whose prior is the identity.

The taste learns from the board's cards, the outfits it likes best, so its chance is right for outfits like
them and, measured, far too low for the rest of the closet when the person likes most outfits (~20% shown
where 50-65% are liked). The exploration cards (recommend/explore.py) are random outfits of the closet: their
ratings are a sample of the rest without that selection, and the taste does not learn from them, so they
judge its chance out of sample. The map ``alpha + beta * logit`` is fitted on them (MAP, prior N(0, 0.5^2) on
alpha and N(1, 0.25^2) on beta: few ratings change little, none nothing), with ``beta >= MIN_SLOPE`` inside
the fit (at the bound alpha is refitted), so the map is increasing and a board's order never changes, only the
chances shown; non-finite ratings or fit give the identity. Ratings in a narrow band of shown chances barely
pin the slope: 40 likes at ~10% shown sent it to 0.05, and every outfit, the board's best too, showed ~83%;
with 0.3 they show 66-94% (1%-90% before). Measured (benchmarks/personas.py, docs/taste-personas.md): the
prior (1, 0.5) gained more for people who like most outfits but, fitted on ~19 ratings, moved a strict
person's chance by noise (dark clothes ECE 0.035 -> 0.082 over closets 0-4) and the chance on the board's own
cards; (0.5, 0.25) was picked on closets 1-2. Floor on the dumped ratings of closets 0-4: 0.3 never binds
(fitted slopes 0.36-1.15, ECE as with 0.05); 0.5 binds for easy-going and no-shorts and worsens them (ECE
0.154 -> 0.168, 0.154 -> 0.159).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from wardrobe_app.recommend.personal import Rating, Taste

#: Prior standard deviations of (alpha, beta) around the identity (0, 1).
PRIOR_SD = (0.5, 0.25)
#: The smallest slope (a bound inside the fit): the map stays increasing (a board keeps its order) and the
#: board's chances keep their spread; 0.5 measured worse for easy-going people (module docstring).
MIN_SLOPE = 0.3


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _newton(
    objective: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    hessian: Callable[[np.ndarray], np.ndarray],
    theta: np.ndarray,
) -> np.ndarray:
    """Minimise a convex ``objective`` from ``theta`` by Newton with backtracking (separable ratings would
    send plain Newton far off)."""
    current = objective(theta)
    for _ in range(50):
        step = np.linalg.solve(hessian(theta), gradient(theta))
        scale = 1.0
        while scale > 1e-6 and objective(theta - scale * step) > current:
            scale /= 2
        theta = theta - scale * step
        current = objective(theta)
        if np.abs(scale * step).max() < 1e-8:
            break
    return theta


def platt_map(
    logit: np.ndarray, liked: np.ndarray, sd: tuple[float, float] = PRIOR_SD, min_slope: float = MIN_SLOPE
) -> tuple[float, float]:
    """(alpha, beta) of the MAP map ``alpha + beta * logit`` for ratings ``liked`` (1 like, 0 dislike), with
    ``beta >= min_slope`` inside the fit: when the bound binds, alpha is refitted with beta at the bound (the
    objective is convex, so that is the constrained maximum). Non-finite ratings or fit: the identity."""
    x = np.stack([np.ones(len(logit)), np.asarray(logit, dtype=np.float64)], axis=1)
    y = np.asarray(liked, dtype=np.float64)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return 0.0, 1.0
    prior = np.array([0.0, 1.0])
    precision = 1.0 / np.square(sd)

    def objective(t: np.ndarray) -> float:
        z = x @ t
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(precision * (t - prior) ** 2))

    def chance(t: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(x @ t, -30, 30)))

    def gradient(t: np.ndarray) -> np.ndarray:
        return x.T @ (chance(t) - y) + precision * (t - prior)

    def hessian(t: np.ndarray) -> np.ndarray:
        p = chance(t)
        return (x * (p * (1 - p))[:, None]).T @ x + np.diag(precision)

    theta = _newton(objective, gradient, hessian, prior.copy())
    if theta[1] < min_slope:  # the slope at its bound: the best alpha for it

        def fixed(a: np.ndarray) -> np.ndarray:
            return np.array([a[0], min_slope])

        alpha = _newton(
            lambda a: objective(fixed(a)),
            lambda a: gradient(fixed(a))[:1],
            lambda a: hessian(fixed(a))[:1, :1],
            np.array([theta[0]]),
        )
        theta = fixed(alpha)
    if not np.isfinite(theta).all():
        return 0.0, 1.0
    return float(theta[0]), float(theta[1])


def recalibrated(taste: Taste, explored: Sequence[Rating]) -> Taste:
    """``taste`` with its shown chance mapped by a Platt map fitted on the exploration cards' ratings
    (none: unchanged)."""
    if not explored:
        return taste
    shown = np.concatenate(
        [taste.probability(r.occasion, np.array([r.quality]), r.phi[None, :], [r.items]) for r in explored]
    )
    return replace(taste, recalibration=platt_map(_logit(shown), np.array([r.liked for r in explored])))
