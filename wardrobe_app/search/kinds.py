"""A shop catalogue's own kinds: a linear probe fitted on its products, and the search that puts the likely kind first.

A catalogue's CSV says what each product is (its articleType: "Casual Shoes", "Tshirts", ...). The
probe learns those words from the products' own CNN features (linear discriminant analysis with a
shrunk covariance, numpy only, fitted in about a second even for 44,000 products); how much it
shrinks, and how sure it is, are chosen on a held-out half of the catalogue itself. A query photo
then gets a belief over the catalogue's kinds that does not depend on the closet classifier's
reading of a product photo; the search fetches the nearest products of the likely kinds and ranks
them by search/rerank.py, colour counting for more among them than in the index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from wardrobe_app.search.index import Neighbour, VectorIndex
from wardrobe_app.search.rerank import KindWeights, kind_belief, rerank_scores

#: Kinds with fewer labelled products than this are left out of the probe (the neighbours still vote).
MIN_PER_KIND = 2
#: Products per kind the probe is fitted on at most (a fixed-seed sample): bounds the fit at 44,000 products.
MOST_PER_KIND = 400
#: Shrinkages of the within-kind covariance towards a multiple of the identity that a probe tries: it keeps
#: the one (with the temperature) that predicts a held-out half of the catalogue best.
SHRINKAGES = (0.3, 0.5, 0.7, 0.8, 0.9)
#: Kinds the search fetches the nearest products of, when the belief gives them at least MIN_FETCHED_BELIEF.
FETCHED_KINDS = 3
MIN_FETCHED_BELIEF = 0.1
#: How much kind counts when the belief comes from the probe, and the share of colour in the distances among
#: the candidates (the kind no longer rests on the look alone): chosen on validation queries by
#: benchmarks/shop_quality.py (kind first: the best same-kind + same-group P@5, ties broken by colour).
SHOP_KIND_WEIGHTS = KindWeights(category=1.0, group=0.2)
SHOP_COLOUR_WEIGHT: float | None = 0.5
_TEMPERATURES = np.geomspace(0.02, 50.0, 21)


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


def _moments(x: np.ndarray, y: np.ndarray, n_kinds: int) -> tuple[np.ndarray, np.ndarray]:
    """Each kind's mean (K, d) and the pooled within-kind covariance (d, d)."""
    means = np.zeros((n_kinds, x.shape[1]))
    for kind in range(n_kinds):
        members = x[y == kind]
        if len(members):
            means[kind] = members.mean(axis=0)
    centred = (x - means[y]).astype(np.float32)  # float32 for the big product: half the time, ample precision
    cov = (centred.T @ centred).astype(np.float64) / max(1, len(x) - n_kinds)
    return means, cov


def _discriminant(
    means: np.ndarray, cov: np.ndarray, log_prior: np.ndarray, shrinkage: float
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (d, K) and biases (K,) of LDA with the covariance shrunk towards a multiple of the identity."""
    d = cov.shape[0]
    scale = float(np.trace(cov)) / d
    shrunk = (1.0 - shrinkage) * cov + shrinkage * max(scale, 1e-12) * np.eye(d)
    w = np.linalg.solve(shrunk, means.T)
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
    shrinkage: float = SHRINKAGES[-1]  # as chosen on held-out products

    @classmethod
    def fit(
        cls,
        features: np.ndarray,
        labels: Sequence[str | None],
        shrinkages: Sequence[float] = SHRINKAGES,
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
        means, cov = _moments(x[half == 0], y[half == 0], len(kinds))
        truth = y[half == 1]
        best: tuple[float, float, float] | None = None  # (held-out log loss, shrinkage, temperature)
        for shrinkage in shrinkages:
            w, b = _discriminant(means, cov, log_prior, shrinkage)
            held_out = (x[half == 1] @ w + b).astype(np.float32)
            right = held_out[np.arange(len(truth)), truth]
            for t in _TEMPERATURES:
                z = held_out / np.float32(t)
                top = z.max(axis=1)
                # the mean negative log-likelihood of the true kinds, by log-sum-exp
                loss = float(np.mean(top + np.log(np.exp(z - top[:, None]).sum(axis=1)) - right / np.float32(t)))
                if best is None or loss < best[0]:
                    best = (loss, shrinkage, float(t))
        assert best is not None
        _, shrinkage, temperature = best
        w, b = _discriminant(*_moments(x, y, len(kinds)), log_prior, shrinkage)
        return cls(kinds, w.astype(np.float32), b.astype(np.float32), temperature, shrinkage)

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
    colour_weight: float | None = None  # the share of colour the index's embeddings were made with

    @classmethod
    def learn(
        cls,
        index: VectorIndex,
        labels: Mapping[int, tuple[str | None, str | None]],
        cnn_dim: int,
        colour_weight: float | None = None,
    ) -> CatalogueKinds:
        """Learn a catalogue's kinds from its indexed products (products without a CNN part are left out)."""
        kinds = [labels.get(int(i), (None, None))[1] for i in index.ids]
        probe = KindProbe.fit(index.vectors[:, :cnn_dim], kinds) if kinds else None
        return cls(dict(labels), kind_groups(labels.values()), probe, cnn_dim, colour_weight)

    def search(
        self,
        index: VectorIndex,
        query: np.ndarray,
        k: int,
        weights: KindWeights,
        exclude: Iterable[int] = (),
        colour: float | None = None,
    ) -> list[Neighbour]:
        """The ``k`` best products for ``query``: those of the kinds it likely is first, nearest first within.

        The belief comes from the probe (fed the query's CNN part) or, without one or for a query
        without a CNN part, from the vote of the nearest products' kinds. With ``colour`` (and a
        probe's belief) the candidates' distances are taken again with that share of colour: the
        kind no longer rests on the look alone, so colour may count for more among products of it.
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
        if colour is not None and self.probe is not None and float(np.linalg.norm(cnn)) > 1e-6:
            pool = self._remixed(index, query, pool, colour)
        distances = np.array([n.distance for n in pool])
        found = [self.labels.get(n.id, (None, None)) for n in pool]
        kinds = [kind for _, kind in found]
        # a product's group is its kind's: products of one kind pay the same penalty, so nearest first within
        groups = [self.groups.get(kind, group) if kind is not None else group for group, kind in found]
        scores = rerank_scores(distances, kinds, groups, belief, weights, self.groups)
        order = np.argsort(scores, kind="stable")[:k]
        return [replace(pool[int(i)], score=float(scores[int(i)])) for i in order]

    def _remixed(self, index: VectorIndex, query: np.ndarray, pool: list[Neighbour], colour: float) -> list[Neighbour]:
        """The pool with distances ``1 - ((1 - colour) cos_look + colour cos_colour)`` (search/embedding.py)."""
        made_with = self.colour_weight
        if made_with is None or not 0.0 < made_with < 1.0 or made_with == colour:
            return pool
        vectors = np.stack([index.vector(n.id) for n in pool]).astype(np.float64)
        q = np.asarray(query, np.float64)
        look = vectors[:, : self.cnn_dim] @ q[: self.cnn_dim] / (1.0 - made_with)
        hue = vectors[:, self.cnn_dim :] @ q[self.cnn_dim :] / made_with
        distances = np.clip(1.0 - ((1.0 - colour) * look + colour * hue), 0.0, 1.0)
        return [Neighbour(n.id, float(d)) for n, d in zip(pool, distances, strict=True)]
