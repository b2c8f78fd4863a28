"""Classification metrics in plain numpy: confusion matrix, per-class sensitivity/specificity/accuracy, a PNG plot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ClassStats:
    """One class seen one-vs-rest: counts and the three rates."""

    name: str
    tp: int
    fn: int
    fp: int
    tn: int
    sensitivity: float  # TP / (TP + FN); nan without positives
    specificity: float  # TN / (TN + FP); nan without negatives
    accuracy: float  # (TP + TN) / all

    def to_json(self) -> dict[str, object]:
        """Plain dict; NaN becomes None so the JSON stays valid."""
        return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in asdict(self).items()}


Labels = Sequence[int] | np.ndarray


def confusion_matrix(y_true: Labels, y_pred: Labels, n_classes: int) -> np.ndarray:
    """Counts[i, j] = photos of true class i predicted as class j (int64, n x n)."""
    true = np.asarray(y_true, np.int64).ravel()
    pred = np.asarray(y_pred, np.int64).ravel()
    if true.shape != pred.shape:
        raise ValueError(f"y_true has {true.size} labels, y_pred {pred.size}")
    if true.size and (min(true.min(), pred.min()) < 0 or max(true.max(), pred.max()) >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (true, pred), 1)
    return matrix


def _ratio(numerator: int, denominator: int) -> float:
    return float(numerator) / denominator if denominator else float("nan")


def per_class_stats(matrix: np.ndarray, names: Sequence[str]) -> list[ClassStats]:
    """Sensitivity, specificity and accuracy of each class from a confusion matrix."""
    matrix = np.asarray(matrix, np.int64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] != len(names):
        raise ValueError(f"need a square matrix matching {len(names)} names, got {matrix.shape}")
    total = int(matrix.sum())
    stats = []
    for i, name in enumerate(names):
        tp = int(matrix[i, i])
        fn = int(matrix[i].sum()) - tp
        fp = int(matrix[:, i].sum()) - tp
        tn = total - tp - fn - fp
        stats.append(ClassStats(name, tp, fn, fp, tn, _ratio(tp, tp + fn), _ratio(tn, tn + fp), _ratio(tp + tn, total)))
    return stats


def accuracy(matrix: np.ndarray) -> float:
    """Share of photos on the diagonal."""
    matrix = np.asarray(matrix)
    return _ratio(int(np.trace(matrix)), int(matrix.sum()))


def merge_classes(matrix: np.ndarray, mapping: Sequence[int], n_groups: int) -> np.ndarray:
    """Confusion matrix over groups: class i belongs to group mapping[i]."""
    index = np.asarray(mapping, np.int64)
    one_hot = np.zeros((len(index), n_groups), np.int64)
    one_hot[np.arange(len(index)), index] = 1
    return one_hot.T @ np.asarray(matrix, np.int64) @ one_hot


def plot_confusion(matrix: np.ndarray, names: Sequence[str], path: Path, title: str = "Confusion matrix") -> Path:
    """Write the confusion matrix as a PNG (rows: true class, columns: predicted; row-normalised colour)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = np.asarray(matrix, np.int64)
    rows = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(matrix, rows, out=np.zeros(matrix.shape, float), where=rows > 0)
    size = 1.2 + 0.55 * len(names)
    figure, axes = plt.subplots(figsize=(size + 1.5, size))
    image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            if matrix[i, j]:
                colour = "white" if shares[i, j] > 0.6 else "black"
                axes.text(j, i, str(matrix[i, j]), ha="center", va="center", color=colour, fontsize=8)
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="share of the true class")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
