"""Second heads on the pooled features: the kind of shoe or trouser, with a calibrated fall-back to the plain label."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS, ModelIntegrityError
from wardrobe_app.ml.heads import LinearHead, softmax

#: The kinds each plain classifier label may be refined into.
KINDS: dict[str, tuple[str, ...]] = {
    "shoes": ("sneakers", "boots", "heels", "flats", "sandals", "slippers", "formal shoes"),
    "pants": ("jeans", "trousers", "leggings", "sweatpants"),
}
#: Mistakes that must not happen: (true kind, kind it must never be called).
FORBIDDEN: tuple[tuple[str, str], ...] = (("slippers", "formal shoes"),)
KINDS_FILE = "kinds.json"


def keep_kind(current: str | None, label: str) -> str:
    """``label``, or ``current`` when it is a kind of that label: a re-scoring that lands on the plain label an
    item's kind refines ("shoes" for "sneakers") keeps the kind the kind head named."""
    return current if current is not None and current in KINDS.get(label, ()) else label


@dataclass(frozen=True)
class KindHead:
    """Softmax over the kinds of one plain label, on standardised pooled features.

    ``predict`` names a kind only when its (temperature-scaled) probability reaches ``threshold`` and no
    guarded rival is likely: for each (rival, kind) in ``guards``, calling ``kind`` is refused while the
    rival's probability is at least ``guard_probability`` (slippers are never to be called formal shoes).
    """

    parent: str
    kinds: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    head: LinearHead
    threshold: float
    guards: tuple[tuple[str, str], ...] = ()
    guard_probability: float = 0.1
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parent_group = CATEGORY_GROUPS.get(self.parent)
        for kind in self.kinds:
            if CATEGORY_GROUPS.get(kind) is None or CATEGORY_GROUPS[kind] is not parent_group:
                raise ModelIntegrityError(f"kind {kind!r} is not a category of the same group as {self.parent!r}")

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, kinds) probabilities of features (n, 512)."""
        x = (np.atleast_2d(np.asarray(features, np.float64)) - self.mean) / self.scale
        return softmax(self.head.logits(x))

    def decide(self, probabilities: np.ndarray) -> tuple[str | None, float]:
        """(kind or None when unsure, its probability) from one row of kind probabilities."""
        best = int(np.argmax(probabilities))
        kind, confidence = self.kinds[best], float(probabilities[best])
        if confidence < self.threshold:
            return None, confidence
        for rival, refused in self.guards:
            if refused != kind or rival not in self.kinds:
                continue
            if probabilities[self.kinds.index(rival)] >= self.guard_probability:
                return None, confidence
        return kind, confidence

    def predict(self, features: np.ndarray) -> list[tuple[str | None, float]]:
        """Kind (or None) and confidence for each feature row."""
        return [self.decide(row) for row in self.probabilities(features)]

    def to_json(self) -> dict[str, Any]:
        weights, bias = self.head.folded()
        return {
            "parent": self.parent,
            "kinds": list(self.kinds),
            "threshold": self.threshold,
            "guards": [list(g) for g in self.guards],
            "guard_probability": self.guard_probability,
            "mean": _rounded(self.mean),
            "scale": _rounded(self.scale),
            "weights": _rounded(weights),
            "bias": _rounded(bias),
            "info": self.info,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KindHead:
        kinds = tuple(str(k) for k in data["kinds"])
        weights = np.asarray(data["weights"], np.float64)
        bias = np.asarray(data["bias"], np.float64)
        mean = np.asarray(data["mean"], np.float64)
        scale = np.asarray(data["scale"], np.float64)
        if weights.shape != (len(mean), len(kinds)) or bias.shape != (len(kinds),) or scale.shape != mean.shape:
            raise ModelIntegrityError(f"kind head for {data.get('parent')!r} has inconsistent shapes")
        return cls(
            str(data["parent"]),
            kinds,
            mean,
            scale,
            LinearHead(weights, bias),
            float(data["threshold"]),
            tuple((str(a), str(b)) for a, b in data.get("guards", [])),
            float(data.get("guard_probability", 0.1)),
            dict(data.get("info", {})),
        )


def _rounded(array: np.ndarray) -> list[Any]:
    return np.round(np.asarray(array, np.float64), 6).tolist()  # type: ignore[no-any-return]


def save_kind_heads(folder: Path, heads: Sequence[KindHead]) -> Path:
    """Write ``kinds.json`` (every head's weights, threshold and figures) into a model folder."""
    path = folder / KINDS_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"heads": [h.to_json() for h in heads]}, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def load_kind_heads(path: Path) -> dict[str, KindHead]:
    """Kind heads by parent label; ModelIntegrityError if the file is unreadable or inconsistent."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        heads = [KindHead.from_json(h) for h in data["heads"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelIntegrityError(f"cannot read the kind heads {path}: {error}") from error
    return {h.parent: h for h in heads}


def fit_kind_head(
    parent: str,
    features: np.ndarray,
    kinds: Sequence[str],
    labels: np.ndarray,
    threshold: float,
    l2: float = 1.0,
    temperature: float = 1.0,
    info: dict[str, Any] | None = None,
) -> KindHead:
    """Class-balanced softmax regression on standardised features (labels index ``kinds``)."""
    from wardrobe_app.ml.heads import balanced_weights, fit_linear_head

    x = np.asarray(features, np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    head = fit_linear_head(
        z, labels, len(kinds), l2=l2 / len(labels), sample_weight=balanced_weights(labels, len(kinds))
    )
    guards = tuple((a, b) for a, b in FORBIDDEN if a in kinds and b in kinds)
    return KindHead(
        parent, tuple(kinds), mean, scale, head.with_temperature(temperature), threshold, guards, info=dict(info or {})
    )


def choose_kind_threshold(confidence: np.ndarray, correct: np.ndarray, target: float = 0.9) -> float:
    """Lowest threshold (0.30-0.95 by 0.05) above which held-out kind calls are >= ``target`` right."""
    for threshold in np.arange(0.30, 0.951, 0.05):
        kept = confidence >= threshold
        if kept.any() and correct[kept].mean() >= target:
            return round(float(threshold), 2)
    return 0.95
