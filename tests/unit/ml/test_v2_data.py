"""Cross-validation over cached features: every held-out photo predicted once, always-train splits, figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from wardrobe_app.ml.heads import LinearHead, fit_linear_head
from wardrobe_app.training.v2_data import LABELS_V2, Split, cross_validate, figures, stratified_folds


def split(name: str, labels: list[int], seed: int, views: tuple[int, ...] = (0,)) -> Split:
    rng = np.random.default_rng(seed)
    y = np.array(labels)
    part = Split("drawn", name, tuple(Path(f"{name}_{i}.jpg") for i in range(len(y))), y)
    for view in views:
        x = rng.normal(0, 1, (len(y), 16))
        x[np.arange(len(y)), y] += 3.0
        part.views[view] = x
    return part


def test_stratified_folds_spread_each_class() -> None:
    y = np.array([0] * 10 + [1] * 5)
    folds = stratified_folds(y, 5)
    assert sorted(np.bincount(folds[y == 0]).tolist()) == [2] * 5
    assert sorted(np.bincount(folds[y == 1]).tolist()) == [1] * 5


def test_cross_validation_predicts_held_out_rows_and_keeps_always_train_in_training() -> None:
    held = split("validation", [0, 1, 2, 3, 4] * 8, seed=1)
    extra = split("extra", [10, 11, 12] * 6, seed=2, views=(0, 2))
    train = split("train", [0, 1, 2, 3, 4, 10, 11, 12] * 10, seed=3)
    seen: list[int] = []

    def fit(x: np.ndarray, y: np.ndarray) -> LinearHead:
        seen.append(len(y))
        return fit_linear_head(x, y, len(LABELS_V2), l2=1e-2)

    p, y, origin = cross_validate([held, extra, train], fit, k=4, always_train=(2,))
    assert len(seen) == 4
    # Each fold trains on all of `train`, the other folds' photos, and the augmented view of its extra photos.
    folds = stratified_folds(np.concatenate([held.labels, extra.labels, train.labels]), 4)
    rest = folds[: len(held.labels) + len(extra.labels)]
    extra_folds = rest[len(held.labels) :]
    expected = [len(train.labels) + int(np.sum(rest != f)) + int(np.sum(extra_folds != f)) for f in range(4)]
    assert seen == expected
    assert np.allclose(p[origin != 2].sum(1), 1.0) and np.all(p[origin == 2] == 0)
    result = figures(p[origin == 0], y[origin == 0], new_tops=False)
    assert result["top1"] > 0.8 and result["photos"] == len(held.labels)
    extra_figures = figures(p[origin == 1], y[origin == 1], new_tops=True)
    assert 0.0 <= extra_figures["outside_top"] <= 1.0
