"""The personal layer: the user's own corrections and confirmations re-score the shipped classifier's guesses.

Every item whose category the user set or confirmed is a labelled example from this closet.
For another item, its labelled neighbours in the classifier's own feature space (pooled CNN
features, signed square root, unit length) vote with weights ``exp((cos - 1) / temperature)``
(the ``k`` nearest only). The vote is a distribution over the user's categories; it is blended
with the shipped model's probabilities by a weight ``W / (W + strength)``, ``W`` the summed
neighbour weights, so that close, agreeing neighbours count and far ones barely do: one near-identical example
weighs a third, enough to settle an unsure guess but not to overturn a confident one. With no
labelled example the blend is the shipped model's output unchanged. Categories the model does
not know (a user's "jeans", "polo") can be learned this way. Plain NumPy: no TensorFlow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PersonalSettings:
    """How much the user's examples count; chosen by benchmarks/corrections.py on a tuning stream."""

    k: int = 10
    temperature: float = 0.05
    strength: float = 2.0
    power: float = 0.5  # signed power applied to the CNN features before the cosine


@dataclass(frozen=True)
class Rescored:
    """An item's category after the blend, its blended confidence and how much the user's examples weighed."""

    category: str
    confidence: float
    personal_weight: float  # the blend's weight on the user's examples, 0 when none is near


def normalise_features(features: np.ndarray, power: float = 0.5) -> np.ndarray:
    """Rows of CNN features, signed-power mapped and scaled to unit length (rows of zeros stay zeros)."""
    x = np.atleast_2d(np.asarray(features, dtype=np.float32))
    x = (np.sign(x) * np.abs(x) ** power).astype(np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0).astype(np.float32)


def probabilities_from_guess(labels: Sequence[str], top: Sequence[tuple[str, float]]) -> np.ndarray:
    """A probability vector over ``labels`` from the model's best guesses (the rest spread evenly).

    Used when only the top-k of a classification (or just its category and confidence) is
    known; guesses outside ``labels`` are dropped.
    """
    index = {name: n for n, name in enumerate(labels)}
    probs = np.zeros(len(labels), np.float64)
    for name, p in top:
        if name in index:
            probs[index[name]] = max(0.0, float(p))
    rest = 1.0 - probs.sum()
    empty = probs == 0
    if rest > 0 and empty.any():
        probs[empty] = rest / empty.sum()
    total = probs.sum()
    return (probs / total if total > 0 else np.full(len(labels), 1.0 / max(1, len(labels)))).astype(np.float32)


class PersonalLayer:
    """The user's labelled examples, ready to re-score other items of the same classifier version."""

    def __init__(
        self, features: np.ndarray, categories: Sequence[str], settings: PersonalSettings | None = None
    ) -> None:
        self.settings = settings or PersonalSettings()
        if len(categories) != (0 if np.size(features) == 0 else len(np.atleast_2d(features))):
            raise ValueError(f"{len(categories)} categories for {len(np.atleast_2d(features))} feature rows")
        self.categories: tuple[str, ...] = tuple(sorted(set(categories)))
        self._codes = np.array([self.categories.index(c) for c in categories], np.int64)
        self._examples = (
            normalise_features(features, self.settings.power) if len(categories) else np.zeros((0, 0), np.float32)
        )

    def __len__(self) -> int:
        return len(self._codes)

    def votes(self, features: np.ndarray) -> np.ndarray:
        """Neighbour weights summed per category: (n items, len(categories))."""
        queries = normalise_features(features, self.settings.power)
        out = np.zeros((len(queries), len(self.categories)), np.float64)
        if not len(self) or not len(queries):
            return out
        similarity = queries @ self._examples.T  # cosine, (n, examples)
        k = min(self.settings.k, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        rows = np.arange(len(queries))[:, None]
        weights = np.exp((similarity[rows, nearest] - 1.0) / self.settings.temperature)
        np.add.at(out, (np.broadcast_to(rows, nearest.shape), self._codes[nearest]), weights)
        return out

    def blend(self, features: np.ndarray, base_probabilities: np.ndarray, base_labels: Sequence[str]) -> list[Rescored]:
        """Each item's category and confidence from the model's probabilities and the user's examples."""
        base = np.atleast_2d(np.asarray(base_probabilities, np.float64))
        labels = list(base_labels)
        union = labels + [c for c in self.categories if c not in labels]
        position = [union.index(c) for c in self.categories]
        mixed = np.zeros((len(base), len(union)), np.float64)
        mixed[:, : len(labels)] = base
        alpha = np.zeros(len(base))
        if len(self) and len(base):
            votes = self.votes(features)
            total = votes.sum(axis=1)
            alpha = total / (total + self.settings.strength)
            personal = np.divide(votes, total[:, None], out=np.zeros_like(votes), where=total[:, None] > 0)
            mixed *= (1.0 - alpha)[:, None]
            mixed[:, position] += alpha[:, None] * personal
        best = np.argmax(mixed, axis=1)
        return [Rescored(union[int(b)], float(mixed[n, b]), float(alpha[n])) for n, b in enumerate(best)]
