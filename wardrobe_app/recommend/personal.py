"""A person's taste: Bayesian logistic regression per occasion on additive outfit features, colours shared.

logit P(like | outfit, occasion c) = a_c + b_c * expert quality + w_c . phi(outfit) + v . colour(outfit)

``w_c`` (categories, formality, colours) belongs to one occasion, so teaching Work leaves Party alone;
``v`` (colour features only: what a person never wears) is shared by all occasions, with a tighter prior.
The posterior is a Laplace approximation (Newton / IRLS to the MAP, covariance = inverse Hessian); a
Thompson draw from it explores. phi is a sum of per-piece and per-pair features, so w . phi decomposes
like the expert score.

The shown chance of a like (``Taste.probability``) is the posterior mean's logit with what was learnt
moderated by how unlike the person's rated outfits an outfit is (see ``moderated_logit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS, Group
from wardrobe_app.recommend.pieces import HUE_BINS, Facts, hue_distance
from wardrobe_app.recommend.rules import OCCASIONS
from wardrobe_app.recommend.terms import PAIRS, Terms

GROUP_OF_ROLE = {"top": "upper", "full": "upper", "layer": "layer", "middle": "lower", "shoes": "shoes"}
GROUPS = ("upper", "layer", "lower", "shoes")
COLOUR_FEATURES = (
    "value",
    "dark",
    "light",
    "saturation",
    "muted",
    "mid_saturation",
    "neutral",
    "loud",
    "pattern",
    *(f"hue{i}" for i in range(HUE_BINS)),
)
PAIR_FEATURES = ("value_contrast", "both_dark", "both_neutral", "both_vivid", "same_hue", "clash", "complementary")
CATEGORIES = tuple(sorted(c for c, g in CATEGORY_GROUPS.items() if g is not Group.ACCESSORY))
N_COLOUR = len(GROUPS) * len(COLOUR_FEATURES)
#: Feature columns: colour blocks per group, pair features (both shared), then categories and formality.
N_SHARED = N_COLOUR + len(PAIR_FEATURES)
N_FEATURES = N_SHARED + len(CATEGORIES) + len(GROUPS)
#: Prior: a new person likes an outfit as the expert rates it, P = sigmoid(A0 + B0 * quality).
A0, B0 = -7.5, 8.0
PRIOR_SD = {"a": 1.0, "b": 3.0, "own": 1.5, "shared": 0.8, "item": 1.5}
#: Thompson sampling draws from the posterior with its spread scaled by this (1 = plain Thompson).
EXPLORE = 0.2
#: Whether the colour block is shared across the occasions a person has rated. Measured: applied to
#: every occasion, 20 alternating Work ratings changed 10 of Party's top 10 (sd 0.35; 9 at 0.1, 2 at
#: 0.05); so an occasion with no ratings of its own stays with the expert, and one with ratings gets
#: the colours learnt elsewhere (benchmarks/personas.py: the two-occasion people learn both faster).
SHARE_COLOURS = True
#: Whether ``Taste.probability`` moderates by default (benchmarks/personas.py --uncalibrated turns it off
#: to measure the plain posterior mean with the same code).
CALIBRATE = True
#: An outfit whose logit is no more uncertain than this quantile of the rated outfits' keeps the learnt
#: chance. Measured (benchmarks/personas.py, 3 closets; and 5 synthetic tastes x 3 closets): the median
#: moderates the cards too (ECE of the shown chance 0.07/0.06/0.15 against 0.07/0.03/0.09 unmoderated),
#: the upper quartile keeps them (0.06/0.05/0.10) with nearly the same held-out gain.
FAMILIAR_QUANTILE = 0.75


def piece_features(facts: Facts, role: str) -> np.ndarray:
    """(n, N_FEATURES) features of each item worn in ``role``."""
    out = np.zeros((len(facts), N_FEATURES))
    g = GROUPS.index(GROUP_OF_ROLE[role])
    start = g * len(COLOUR_FEATURES)
    chroma = facts.sat * (1.0 - facts.neutral)
    bins = (facts.hue // (360 / HUE_BINS)).astype(np.int64) % HUE_BINS
    cols = [
        facts.val,
        (facts.val <= 0.35).astype(float),
        ((facts.val >= 0.75) & (facts.sat <= 0.3)).astype(float),
        facts.sat,
        (facts.sat < 0.2).astype(float),
        ((facts.sat >= 0.2) & (facts.sat < 0.45)).astype(float),
        facts.neutral,
        facts.loud,
        facts.pattern,
    ]
    for i, col in enumerate(cols):
        out[:, start + i] = col
    out[np.arange(len(facts)), start + len(cols) + bins] = chroma
    for row, category in enumerate(facts.categories):
        if category in CATEGORIES:
            out[row, N_SHARED + CATEGORIES.index(category)] = 1.0
    out[:, N_SHARED + len(CATEGORIES) + g] = (facts.formality - 3.0) / 2.0
    return out


def pair_features(a: Facts, b: Facts) -> np.ndarray:
    """(n_a, n_b, len(PAIR_FEATURES)) colour relations of every pair."""
    d = hue_distance(a.hue[:, None], b.hue[None, :])
    chromatic = (1 - a.neutral[:, None]) * (1 - b.neutral[None, :])
    sat = np.minimum(a.sat[:, None], b.sat[None, :]) >= 0.35
    return np.stack(
        [
            np.abs(a.val[:, None] - b.val[None, :]),
            (a.val[:, None] <= 0.35) & (b.val[None, :] <= 0.35),
            a.neutral[:, None] * b.neutral[None, :],
            sat & (np.minimum(a.sat[:, None], b.sat[None, :]) >= 0.45),
            chromatic * (d <= 30),
            chromatic * ((d >= 60) & (d <= 140) & sat),
            chromatic * (d >= 150),
        ],
        axis=-1,
    ).astype(np.float64)


def outfit_features(facts: dict[str, Facts], picks: dict[str, int]) -> np.ndarray:
    """phi of one outfit given as role -> position."""
    phi = np.zeros(N_FEATURES)
    for role, pos in picks.items():
        if role in GROUP_OF_ROLE:
            phi += piece_features(facts[role].take(np.array([pos])), role)[0]
    for a, b in PAIRS:
        if a in picks and b in picks:
            fa, fb = facts[a].take(np.array([picks[a]])), facts[b].take(np.array([picks[b]]))
            phi[N_COLOUR:N_SHARED] += pair_features(fa, fb)[0, 0]
    return phi


def taste_terms(facts: dict[str, Facts], w: np.ndarray) -> Terms:
    """w . phi of every outfit of a closet as additive terms."""
    roles = ("top", "layer", "middle", "full", "shoes")
    unary = {r: piece_features(facts[r], r) @ w for r in roles}
    pair = {(a, b): pair_features(facts[a], facts[b]) @ w[N_COLOUR:N_SHARED] for a, b in PAIRS}
    return Terms(0.0, unary, pair)


@dataclass(frozen=True)
class Rating:
    """One rated outfit as the model sees it."""

    occasion: str
    quality: float
    phi: np.ndarray
    liked: float
    items: tuple[int, ...] = ()  # the garments' ids (their own like/dislike is learnt too)


@dataclass(frozen=True)
class Taste:
    """The posterior over a person's taste (occasions without ratings stay at the prior).

    Parameters: the shared colour block, then (a, b, w) per rated occasion, then one bias per garment
    that appears in a rating (shared by the rated occasions: a garment the person never wears).
    """

    occasions: tuple[str, ...]  # occasions with their own block, in parameter order
    mean: np.ndarray
    cov: np.ndarray
    n_ratings: int = 0
    shared: bool = SHARE_COLOURS
    items: tuple[int, ...] = ()
    #: Per rated occasion (in ``occasions`` order): the upper quartile of the posterior variance of the
    #: logit of the outfits rated there, the uncertainty of an outfit "like the rated ones".
    familiar: tuple[float, ...] = ()
    #: (alpha, beta): the shown logit becomes ``alpha + beta * logit``, fitted on the exploration cards'
    #: ratings (recommend/recalibrate.py); (0, 1) is no change.
    recalibration: tuple[float, float] = (0.0, 1.0)

    def _index(self, occasion: str) -> np.ndarray:
        """Parameter positions of (a, b, w) for ``occasion`` (empty if it has no ratings)."""
        if occasion not in self.occasions:
            return np.zeros(0, dtype=np.int64)
        start = N_SHARED + self.occasions.index(occasion) * (2 + N_FEATURES)
        return np.arange(start, start + 2 + N_FEATURES)

    def _moments(self, occasion: str) -> tuple[np.ndarray, np.ndarray]:
        """Mean and covariance of (a, b, w_effective, item biases) for an occasion."""
        own = self._index(occasion)
        n_items = len(self.items)
        dim = 2 + N_FEATURES + n_items
        if not len(own):  # never rated: the expert prior, nothing learnt elsewhere leaks in
            prior_sd = np.concatenate(
                [[PRIOR_SD["a"], PRIOR_SD["b"]], np.full(N_FEATURES, PRIOR_SD["own"]), np.zeros(n_items)]
            )
            mean = np.zeros(dim)
            mean[:2] = (A0, B0)
            return mean, np.diag(prior_sd**2)
        # effective parameters = M @ all parameters
        m = np.zeros((dim, len(self.mean)))
        m[np.arange(2 + N_FEATURES), own] = 1.0
        if self.shared:
            m[2 + np.arange(N_SHARED), np.arange(N_SHARED)] = 1.0
        first_item = len(self.mean) - n_items
        m[2 + N_FEATURES + np.arange(n_items), first_item + np.arange(n_items)] = 1.0
        return m @ self.mean, m @ self.cov @ m.T

    def draw(self, occasion: str, rng: np.random.Generator | None, temperature: float = EXPLORE) -> np.ndarray:
        """(a, b, w, item biases): the posterior mean, or a Thompson sample when ``rng`` is given."""
        mean, cov = self._moments(occasion)
        if rng is None:
            return mean
        # Cholesky, not an eigenbasis: features never rated share one posterior variance, and the basis
        # eigh picks for such a repeated eigenvalue changes with rounding (the same state, a different draw)
        sym = (cov + cov.T) / 2
        try:
            root = np.linalg.cholesky(sym + 1e-12 * np.eye(len(sym)))
        except np.linalg.LinAlgError:
            vals, vecs = np.linalg.eigh(sym)
            root = vecs * np.sqrt(np.clip(vals, 0, None))
        return mean + temperature * (root @ rng.standard_normal(len(mean)))

    def item_bias(self, theta: np.ndarray) -> dict[int, float]:
        """The garment biases of a drawn parameter vector."""
        return dict(zip(self.items, theta[2 + N_FEATURES :].tolist(), strict=True))

    def _rows(self, quality: np.ndarray, phi: np.ndarray, items: Sequence[Sequence[int]] | None) -> np.ndarray:
        x = np.zeros((len(quality), 2 + N_FEATURES + len(self.items)))
        x[:, 0], x[:, 1], x[:, 2 : 2 + N_FEATURES] = 1.0, np.asarray(quality).reshape(-1), phi
        where = {item: n for n, item in enumerate(self.items)}
        for row, worn in enumerate(items or ()):
            for item in worn:
                if item in where:
                    x[row, 2 + N_FEATURES + where[item]] = 1.0
        return x

    def logit(
        self, occasion: str, quality: np.ndarray, phi: np.ndarray, items: Sequence[Sequence[int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and variance of the logit of each outfit."""
        mean, cov = self._moments(occasion)
        x = self._rows(quality, phi, items)
        return x @ mean, np.clip(((x @ cov) * x).sum(1), 0.0, None)

    def probability(
        self,
        occasion: str,
        quality: np.ndarray,
        phi: np.ndarray,
        items: Sequence[Sequence[int]] | None = None,
        calibrated: bool | None = None,
    ) -> np.ndarray:
        """P(like): calibrated (``moderated_logit``, then ``recalibration``), or with ``calibrated=False`` the
        plain posterior mean (None: as ``CALIBRATE`` says)."""
        mu, var = self.logit(occasion, quality, phi, items)
        if CALIBRATE if calibrated is None else calibrated:
            where = self.occasions.index(occasion) if occasion in self.occasions else -1
            familiar = self.familiar[where] if 0 <= where < len(self.familiar) else 0.0
            mu = moderated_logit(mu, var, expert_logit(np.asarray(quality).reshape(-1)), familiar)
            alpha, beta = self.recalibration
            mu = alpha + beta * mu
        return 1.0 / (1.0 + np.exp(-np.clip(mu, -30, 30)))


def expert_logit(quality: np.ndarray) -> np.ndarray:
    """The prior's logit: what a new person is expected to like, from the expert quality alone."""
    return A0 + B0 * quality


def moderated_logit(mu: np.ndarray, var: np.ndarray, expert: np.ndarray, familiar: float) -> np.ndarray:
    """The expert's logit plus what was learnt, moderated by the uncertainty beyond the rated outfits'.

    Rated outfits are the board's best, not a sample of the closet: the plain posterior mean is calibrated
    on outfits like them (5-fold out-of-fold ECE 0.03-0.10 on the personas' own ratings, so a Platt or
    temperature fitted there has little to fix and, measured, does not carry over), but outfits unlike them
    (other shapes, garments never rated) get confident guesses from weakly known weights. So the learnt part
    ``mu - expert`` is shrunk by the probit factor ``1 / sqrt(1 + pi v / 8)`` of the excess variance
    ``v = max(0, var - familiar)``: unchanged for an outfit as certain as the rated ones, back towards the
    expert's prior for one the ratings say little about. Measured (benchmarks/personas.py --seeds 3, ECE on
    held-out random outfits): 0.055/0.096/0.122 plain -> 0.028/0.072/0.081; the plain probit factor on the
    whole variance pulls everything towards 50% (0.14-0.19). No ratings: the expert's logit exactly.
    """
    excess = np.clip(var - familiar, 0.0, None)
    return expert + (mu - expert) / np.sqrt(1.0 + np.pi * excess / 8.0)


def prior_taste() -> Taste:
    return fit_taste([])


def fit_taste(ratings: list[Rating], shared: bool = SHARE_COLOURS, iterations: int = 25) -> Taste:
    """The Laplace posterior of the taste given ``ratings`` (the latest per outfit and occasion)."""
    occasions = tuple(o for o in OCCASIONS if any(r.occasion == o for r in ratings))
    items = tuple(sorted({i for r in ratings for i in r.items}))
    base = N_SHARED + len(occasions) * (2 + N_FEATURES)
    dim = base + len(items)
    prior_mean = np.zeros(dim)
    prior_var = np.full(dim, PRIOR_SD["shared"] ** 2 if shared else 1e-12)
    prior_var[base:] = PRIOR_SD["item"] ** 2
    for n, _ in enumerate(occasions):
        start = N_SHARED + n * (2 + N_FEATURES)
        prior_mean[start : start + 2] = (A0, B0)
        prior_var[start : start + 2] = (PRIOR_SD["a"] ** 2, PRIOR_SD["b"] ** 2)
        prior_var[start + 2 : start + 2 + N_FEATURES] = PRIOR_SD["own"] ** 2
    x = np.zeros((len(ratings), dim))
    y = np.array([r.liked for r in ratings], dtype=np.float64)
    where = {item: base + n for n, item in enumerate(items)}
    for row, r in enumerate(ratings):
        if shared:
            x[row, :N_SHARED] = r.phi[:N_SHARED]
        start = N_SHARED + occasions.index(r.occasion) * (2 + N_FEATURES)
        x[row, start : start + 2] = (1.0, r.quality)
        x[row, start + 2 : start + 2 + N_FEATURES] = r.phi
        for item in r.items:
            x[row, where[item]] = 1.0
    precision = 1.0 / prior_var

    def objective(t: np.ndarray) -> float:  # negative log posterior
        z = x @ t
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(precision * (t - prior_mean) ** 2))

    theta = prior_mean.copy()
    current = objective(theta)
    for _ in range(iterations):  # Newton with backtracking: plain Newton overshoots on saturated logits
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ theta, -30, 30)))
        grad = x.T @ (p - y) + precision * (theta - prior_mean)
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(precision)
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while scale > 1e-4:
            trial = theta - scale * step
            value = objective(trial)
            if value <= current:
                break
            scale /= 2
        else:
            break
        theta, current = trial, value
        if np.abs(scale * step).max() < 1e-6:
            break
    p = 1.0 / (1.0 + np.exp(-np.clip(x @ theta, -30, 30)))
    hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(precision)
    cov = np.linalg.inv(hess)
    var = ((x @ cov) * x).sum(1)  # the rated outfits' logit variance (x maps all parameters)
    block = np.array([occasions.index(r.occasion) for r in ratings], dtype=np.int64)
    familiar = tuple(float(np.quantile(var[block == n], FAMILIAR_QUANTILE)) for n in range(len(occasions)))
    return Taste(occasions, theta, cov, len(ratings), shared, items, familiar)
