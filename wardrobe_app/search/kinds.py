"""A shop catalogue's own kinds: a linear probe fitted on its products, and the search that puts the likely kind first.

A catalogue's CSV says what each product is (its articleType: "Casual Shoes", "Tshirts", ...). The
probe learns those words from the products' own CNN features (linear discriminant analysis with a
shrunk covariance, numpy only, fitted in well under a second even for 44,000 products), with its
confidence calibrated on a held-out half of the catalogue. A query photo then gets a belief over the
catalogue's kinds that does not depend on the closet classifier's reading of a product photo; the
search fetches the nearest products of the likely kinds and ranks them by search/rerank.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.search.index import Neighbour, VectorIndex
from wardrobe_app.search.rerank import KindWeights, kind_belief, rerank

#: Kinds with fewer labelled products than this are left out of the probe (the neighbours still vote).
MIN_PER_KIND = 2
#: Products per kind the probe is fitted on at most (a fixed-seed sample): bounds the fit at 44,000 products.
MOST_PER_KIND = 400
#: Shrinkage of the within-kind covariance towards a multiple of the identity (chosen on validation queries
#: by benchmarks/shop_quality.py).
DEFAULT_SHRINKAGE = 0.8
#: Kinds the search fetches the nearest products of, when the belief gives them at least MIN_FETCHED_BELIEF.
FETCHED_KINDS = 3
MIN_FETCHED_BELIEF = 0.1
_TEMPERATURES = np.geomspace(0.02, 50.0, 41)


def shop_kind_label(kind: str | None) -> str | None:
    """A product's shop kind as the search compares them ("Casual  shoes" and "casual Shoes" are one kind)."""
    if not kind:
        return None
    return " ".join(kind.split()).casefold() or None


def unit_rows(features: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zeros stay zeros), as float64."""
    x = np.atleast_2d(np.asarray(features, dtype=np.float64))
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)


def _discriminant(
    x: np.ndarray, y: np.ndarray, n_kinds: int, log_prior: np.ndarray, shrinkage: float
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (d, K) and biases (K,) of shrunk-covariance LDA: scores are ``x @ w + b``."""
    d = x.shape[1]
    means = np.zeros((n_kinds, d))
    for kind in range(n_kinds):
        members = x[y == kind]
        if len(members):
            means[kind] = members.mean(axis=0)
    centred = (x - means[y]).astype(np.float32)  # float32 for the big product: half the time, ample precision
    cov = (centred.T @ centred).astype(np.float64) / max(1, len(x) - n_kinds)
    scale = float(np.trace(cov)) / d
    cov = (1.0 - shrinkage) * cov + shrinkage * max(scale, 1e-12) * np.eye(d)
    w = np.linalg.solve(cov, means.T)
    b = -0.5 * np.einsum("kd,dk->k", means, w) + log_prior
    return w, b


def _softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class KindProbe:
    """P(kind | features) for one catalogue's kinds; ``fit`` returns None when there is nothing to learn."""

    kinds: tuple[str, ...]
    weights: np.ndarray  # (features, kinds)
    bias: np.ndarray  # (kinds,)
    temperature: float  # scores are divided by it before the softmax (calibrated on held-out products)

    @classmethod
    def fit(
        cls,
        features: np.ndarray,
        labels: Sequence[str | None],
        shrinkage: float = DEFAULT_SHRINKAGE,
        seed: int = 0,
    ) -> KindProbe | None:
        """Fit on the labelled rows of ``features`` (made unit length; rows of zeros, say products imported
        without a classifier, are left out); None with fewer than two kinds to tell apart."""
        features = np.asarray(features)
        by_kind: dict[str, list[int]] = {}
        for row, label in enumerate(labels):
            if label is not None:
                by_kind.setdefault(label, []).append(row)
        rng = np.random.default_rng(seed)
        chosen: dict[str, np.ndarray] = {}
        for kind in sorted(by_kind):
            rows = rng.permutation(np.array(by_kind[kind]))[:MOST_PER_KIND]
            rows = rows[np.linalg.norm(features[rows], axis=1) > 1e-6]
            if len(rows) >= MIN_PER_KIND:
                chosen[kind] = rows
        if len(chosen) < 2:
            return None
        kinds = tuple(chosen)
        x = unit_rows(np.concatenate([features[chosen[kind]] for kind in kinds]))
        y = np.concatenate([np.full(len(chosen[kind]), n) for n, kind in enumerate(kinds)])
        # a stratified split in two halves, to calibrate the confidence on products the fit did not see
        half = np.concatenate([np.arange(len(chosen[kind])) % 2 for kind in kinds])
        sizes = np.array([len(by_kind[kind]) for kind in kinds], np.float64)  # the catalogue's own mix of kinds
        log_prior = np.log(sizes / sizes.sum())
        w, b = _discriminant(x[half == 0], y[half == 0], len(kinds), log_prior, shrinkage)
        held_out = x[half == 1] @ w + b
        truth = y[half == 1]

        def loss(t: float) -> float:
            p = _softmax(held_out / t)
            return float(-np.mean(np.log(np.maximum(p[np.arange(len(truth)), truth], 1e-12))))

        temperature = float(min(_TEMPERATURES, key=loss))
        w, b = _discriminant(x, y, len(kinds), log_prior, shrinkage)
        return cls(kinds, w.astype(np.float32), b.astype(np.float32), temperature)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, kinds) probabilities for rows of features."""
        scores = unit_rows(features) @ self.weights + self.bias
        return _softmax(scores / self.temperature)

    def belief(self, feature: np.ndarray) -> dict[str, float]:
        """The query's kinds with their probabilities."""
        p = self.probabilities(np.asarray(feature).reshape(1, -1))[0]
        return {kind: float(v) for kind, v in zip(self.kinds, p, strict=True) if v > 1e-6}


def kind_groups(labels: Iterable[tuple[str | None, str | None]]) -> dict[str, str]:
    """Each kind's group: the most common group of its products, from (group, kind) pairs."""
    counts: dict[str, Counter[str]] = {}
    for group, kind in labels:
        if kind is not None and group is not None:
            counts.setdefault(kind, Counter())[group] += 1
    return {kind: c.most_common(1)[0][0] for kind, c in counts.items()}


@dataclass(frozen=True)
class CatalogueKinds:
    """What a catalogue says its products are: (group, shop kind) per product id, each kind's group, the probe."""

    labels: Mapping[int, tuple[str | None, str | None]]
    groups: Mapping[str, str]
    probe: KindProbe | None
    cnn_dim: int  # the probe reads the first ``cnn_dim`` values of an embedding (its CNN part)

    @classmethod
    def learn(
        cls,
        index: VectorIndex,
        labels: Mapping[int, tuple[str | None, str | None]],
        cnn_dim: int,
        shrinkage: float = DEFAULT_SHRINKAGE,
    ) -> CatalogueKinds:
        """Learn a catalogue's kinds from its indexed products (products without a CNN part are left out)."""
        kinds = [labels.get(int(i), (None, None))[1] for i in index.ids]
        probe = KindProbe.fit(index.vectors[:, :cnn_dim], kinds, shrinkage) if kinds else None
        return cls(dict(labels), kind_groups(labels.values()), probe, cnn_dim)

    def search(
        self, index: VectorIndex, query: np.ndarray, k: int, weights: KindWeights, exclude: Iterable[int] = ()
    ) -> list[Neighbour]:
        """The ``k`` best products for ``query``: those of the kinds it likely is first, nearest first within.

        The belief comes from the probe (fed the query's CNN part) or, without one or for a query
        without a CNN part, from the vote of the nearest products' kinds.
        """
        exclude = list(exclude)
        pool = index.search(query, max(60, 8 * k), exclude=exclude)
        if not pool:
            return []
        cnn = np.asarray(query, np.float32)[: self.cnn_dim]
        if self.probe is not None and float(np.linalg.norm(cnn)) > 1e-6:
            belief = self.probe.belief(cnn)
        else:
            distances = np.array([n.distance for n in pool])
            belief = kind_belief([self.labels.get(n.id, (None, None))[1] for n in pool], distances, None, weights)
        seen = {n.id for n in pool}
        in_pool = Counter(self.labels.get(n.id, (None, None))[1] for n in pool)
        likely = sorted(belief.items(), key=lambda kv: -kv[1])[:FETCHED_KINDS]
        for kind, p in likely:
            if p < MIN_FETCHED_BELIEF:
                break
            if in_pool[kind] >= k:  # the nearest products already hold enough of it
                continue
            for n in index.search(query, k, kind=kind, exclude=exclude):
                if n.id not in seen:
                    seen.add(n.id)
                    pool.append(n)
        distances = np.array([n.distance for n in pool])
        found = [self.labels.get(n.id, (None, None)) for n in pool]
        kinds = [kind for _, kind in found]
        # a product's group is its kind's: products of one kind pay the same penalty, so nearest first within
        groups = [self.groups.get(kind, group) if kind is not None else group for group, kind in found]
        order = rerank(distances, kinds, groups, belief, weights, self.groups)[:k]
        return [pool[int(i)] for i in order]
