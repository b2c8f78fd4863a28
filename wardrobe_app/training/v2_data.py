"""Data of garment_classifier 2.x: sixteen labels over two datasets, cached pooled features, cross-validated figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS, CLASSIFIER_CATEGORIES, Group
from wardrobe_app.ml.dataset import list_folder
from wardrobe_app.ml.heads import LinearHead, expected_calibration_error
from wardrobe_app.training.features import CHUNK

#: The six kinds of top added in 2.0.0 (from clothing-extra), after the ten of 1.0.0.
NEW_TOPS: tuple[str, ...] = ("polo", "blazer", "hoodie", "undershirt", "top", "blouse")
LABELS_V2: tuple[str, ...] = (*CLASSIFIER_CATEGORIES, *NEW_TOPS)


@dataclass
class Split:
    """One split of one dataset: photos, label indices into LABELS_V2, and cached features per view."""

    dataset: str
    split: str
    paths: tuple[Path, ...]
    labels: np.ndarray
    views: dict[int, np.ndarray] = field(default_factory=dict)  # view -> (n, 512) pooled features


def load_features(folder: Path, view: int, n: int, prefix: str = "f") -> np.ndarray | None:
    """Pooled-feature chunks {prefix}{view}_{start}.npy of a cached split, or None while any chunk is missing.

    Prefix "f": the base version's block5 features; "g": frozen ImageNet block5 features."""
    parts = []
    for start in range(0, n, CHUNK):
        file = folder / f"{prefix}{view}_{start:06d}.npy"
        if not file.exists():
            return None
        parts.append(np.load(file))
    features = np.concatenate(parts) if parts else np.zeros((0, 512), np.float32)
    return features if len(features) == n else None


def load_split(
    data_root: Path,
    cache_root: Path,
    dataset: str,
    split: str,
    views: Sequence[int] = (0,),
    prefixes: Sequence[str] = ("f",),
) -> Split:
    """List a split with LABELS_V2 and attach every requested view whose features are fully cached
    (the feature sets named by ``prefixes`` side by side)."""
    listed = list_folder(data_root / dataset / split, LABELS_V2)
    result = Split(dataset, split, listed.paths, listed.labels)
    for view in views:
        parts = [load_features(cache_root / dataset / "raw" / split, view, len(listed.paths), p) for p in prefixes]
        if all(part is not None for part in parts):
            result.views[view] = np.concatenate([p for p in parts if p is not None], axis=1).astype(np.float32)
    return result


def stratified_folds(labels: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Fold index (0..k-1) of every sample, each class spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(labels), np.int64)
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        folds[members] = np.arange(len(members)) % k
    return folds


Fitter = Callable[[np.ndarray, np.ndarray], LinearHead]


def cross_validate(
    splits: Sequence[Split],
    fit: Fitter,
    k: int = 5,
    seed: int = 0,
    extra_views: bool = True,
    always_train: Sequence[int] = (),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Out-of-fold probabilities over the v0 photos of ``splits`` (k stratified folds); the training part of each
    fold also gets the other cached views of its photos when ``extra_views``. Returns (probabilities, labels,
    index of the split each row came from). Splits listed in ``always_train`` are in every fold's training part
    (their rows' probabilities are left at zero)."""
    x = np.concatenate([s.views[0] for s in splits])
    y = np.concatenate([s.labels for s in splits])
    origin = np.concatenate([np.full(len(s.labels), i) for i, s in enumerate(splits)])
    offsets = np.cumsum([0] + [len(s.labels) for s in splits])
    aug_x, aug_row = [np.zeros((0, x.shape[1]), np.float32)], [np.zeros(0, np.int64)]
    for i, s in enumerate(splits):
        for view, features in s.views.items():
            if view != 0 and extra_views:
                aug_x.append(features)
                aug_row.append(offsets[i] + np.arange(len(s.labels)))
    all_aug_x, all_aug_row = np.concatenate(aug_x), np.concatenate(aug_row)
    folds = stratified_folds(y, k, seed)
    out = np.zeros((len(y), len(LABELS_V2)))
    always = np.isin(origin, list(always_train))
    for fold in range(k):
        train = (folds != fold) | always
        keep = train[all_aug_row]
        head = fit(np.concatenate([x[train], all_aug_x[keep]]), np.concatenate([y[train], y[all_aug_row[keep]]]))
        out[~train] = head.predict_proba(x[~train])
    return out, y, origin


GROUP_OF = np.array([list(Group).index(CATEGORY_GROUPS[c]) for c in LABELS_V2])


def figures(probabilities: np.ndarray, labels: np.ndarray, new_tops: bool) -> dict[str, float]:
    """Top-1, group accuracy, dress recall (ten classes) or top-1 and share put outside group top (six new kinds)."""
    predicted = probabilities.argmax(1)
    correct = predicted == labels
    result = {
        "photos": float(len(labels)),
        "top1": float(correct.mean()),
        "group": float(np.mean(GROUP_OF[predicted] == GROUP_OF[labels])),
        "ece": expected_calibration_error(probabilities.max(1), correct),
    }
    if new_tops:
        result["outside_top"] = float(np.mean(GROUP_OF[predicted] != list(Group).index(Group.TOP)))
    else:
        dress = labels == LABELS_V2.index("dress")
        result["dress_recall"] = float(correct[dress].mean()) if dress.any() else float("nan")
    return result


def per_class_recall(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, tuple[int, float]]:
    """(photos, recall) of every label present."""
    predicted = probabilities.argmax(1)
    return {
        LABELS_V2[c]: (int(np.sum(labels == c)), float(np.mean(predicted[labels == c] == c)))
        for c in range(len(LABELS_V2))
        if np.any(labels == c)
    }


def load_maps(folder: Path, view: int, n: int) -> np.ndarray | None:
    """block4_pool maps (float16) of one cached view of a split, or None while a chunk is missing."""
    parts = []
    for start in range(0, n, CHUNK):
        file = folder / f"v{view}_{start:06d}.npy"
        if not file.exists():
            return None
        parts.append(np.load(file))
    maps = np.concatenate(parts)
    return maps if len(maps) == n else None


def selection_score(small: dict[str, float], extra: dict[str, float]) -> float:
    """What picks the epoch: clothing-small top-1 + group + dress recall / 2 + clothing-extra top-1 / 2."""
    return small["top1"] + small["group"] + 0.5 * small["dress_recall"] + 0.5 * extra["top1"]
