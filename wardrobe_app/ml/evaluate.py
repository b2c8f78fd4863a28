"""Evaluate a classifier on any folder-per-class dataset: accuracy, group accuracy, per-class rates, confusion."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS, Group, PhotoError
from wardrobe_app.ml.classifier import GarmentClassifier
from wardrobe_app.ml.dataset import list_folder, read_rgb
from wardrobe_app.ml.metrics import ClassStats, accuracy, confusion_matrix, merge_classes, per_class_stats

GROUPS: tuple[str, ...] = tuple(g.value for g in Group)
BATCH = 16


@dataclass(frozen=True)
class EvalReport:
    """Figures of one evaluation; ``to_json`` for machines, ``format_text`` for people."""

    version: str
    categories: tuple[str, ...]
    matrix: np.ndarray  # true x predicted counts
    per_class: tuple[ClassStats, ...]
    accuracy: float
    group_accuracy: float
    group_matrix: np.ndarray
    groups: tuple[str, ...]
    unknown_folders: dict[str, int] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()

    @property
    def n_photos(self) -> int:
        return int(self.matrix.sum())

    def to_json(self) -> dict[str, object]:
        """Plain-JSON dict of every figure."""
        return {
            "classifier_version": self.version,
            "photos": self.n_photos,
            "accuracy": self.accuracy,
            "group_accuracy": self.group_accuracy,
            "categories": list(self.categories),
            "confusion_matrix": self.matrix.tolist(),
            "per_class": [s.to_json() for s in self.per_class],
            "groups": list(self.groups),
            "group_confusion_matrix": self.group_matrix.tolist(),
            "unknown_folders": dict(self.unknown_folders),
            "unreadable": list(self.unreadable),
        }

    def format_text(self) -> str:
        """A readable summary: accuracies, per-class table, confusion matrix, skipped folders."""
        lines = [
            f"classifier {self.version} on {self.n_photos} photos",
            f"accuracy {self.accuracy:.3f}   group accuracy {self.group_accuracy:.3f}",
            "",
            f"{'class':<12}{'photos':>7}{'sensitivity':>13}{'specificity':>13}{'accuracy':>10}",
        ]
        for s in self.per_class:
            lines.append(
                f"{s.name:<12}{s.tp + s.fn:>7}{_fmt(s.sensitivity):>13}{_fmt(s.specificity):>13}{_fmt(s.accuracy):>10}"
            )
        width = max(6, *(len(c) for c in self.categories)) + 1
        lines += [
            "",
            "confusion matrix (rows: true, columns: predicted)",
            " " * width + "".join(f"{c[:6]:>7}" for c in self.categories),
        ]
        for name, row in zip(self.categories, self.matrix, strict=True):
            lines.append(f"{name:<{width}}" + "".join(f"{v:>7}" for v in row))
        if self.unknown_folders:
            skipped = ", ".join(f"{k} ({v} photos)" for k, v in sorted(self.unknown_folders.items()))
            lines += ["", f"skipped folders that are not classifier categories: {skipped}"]
        if self.unreadable:
            lines += ["", f"unreadable photos skipped: {len(self.unreadable)}"]
        return "\n".join(lines)


def _fmt(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.3f}"


def build_report(
    version: str,
    categories: Sequence[str],
    y_true: np.ndarray,
    y_pred: np.ndarray,
    unknown_folders: dict[str, int] | None = None,
    unreadable: Sequence[str] = (),
) -> EvalReport:
    """An EvalReport from true and predicted label indices."""
    categories = tuple(categories)
    matrix = confusion_matrix(y_true, y_pred, len(categories))
    mapping = [GROUPS.index(CATEGORY_GROUPS[c].value) for c in categories]
    group_matrix = merge_classes(matrix, mapping, len(GROUPS))
    return EvalReport(
        version=version,
        categories=categories,
        matrix=matrix,
        per_class=tuple(per_class_stats(matrix, categories)),
        accuracy=accuracy(matrix),
        group_accuracy=accuracy(group_matrix),
        group_matrix=group_matrix,
        groups=GROUPS,
        unknown_folders=dict(unknown_folders or {}),
        unreadable=tuple(unreadable),
    )


def evaluate_folder(
    dataset_dir: Path,
    classifier: GarmentClassifier,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Classify every photo of ``dataset_dir/<class>/`` and compare with its folder name."""
    dataset = list_folder(Path(dataset_dir), classifier.labels)
    index = {name: i for i, name in enumerate(classifier.labels)}
    y_true: list[int] = []
    y_pred: list[int] = []
    unreadable: list[str] = []
    total = len(dataset.paths)
    for start in range(0, total, BATCH):
        images, truths = [], []
        chunk = zip(dataset.paths[start : start + BATCH], dataset.labels[start : start + BATCH], strict=True)
        for path, label in chunk:
            try:
                images.append(read_rgb(path))
                truths.append(int(label))
            except PhotoError:
                unreadable.append(str(path))
        if images:
            results = classifier.classify(images, batch_size=BATCH)
            y_true.extend(truths)
            y_pred.extend(index[r.label or r.category] for r in results)
        if progress is not None:
            progress(min(start + BATCH, total), total)
    return build_report(
        classifier.version,
        classifier.labels,
        np.array(y_true, np.int64),
        np.array(y_pred, np.int64),
        dataset.unknown,
        unreadable,
    )
