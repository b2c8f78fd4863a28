"""Metrics against confusion matrices computed by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.ml.metrics import accuracy, confusion_matrix, merge_classes, per_class_stats, plot_confusion


def test_confusion_matrix_counts_true_rows_predicted_columns() -> None:
    matrix = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert accuracy(matrix) == pytest.approx(4 / 6)


def test_confusion_matrix_rejects_bad_labels() -> None:
    with pytest.raises(ValueError):
        confusion_matrix([0, 3], [0, 1], 3)
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0], 3)


def test_per_class_rates_match_hand_computation() -> None:
    # rows true, columns predicted; 10 photos
    matrix = np.array([[3, 1, 0], [0, 2, 1], [1, 0, 2]])
    a, b, c = per_class_stats(matrix, ["a", "b", "c"])
    # class a: TP 3, FN 1, FP 1, TN 5
    assert (a.tp, a.fn, a.fp, a.tn) == (3, 1, 1, 5)
    assert a.sensitivity == pytest.approx(3 / 4)
    assert a.specificity == pytest.approx(5 / 6)
    assert a.accuracy == pytest.approx(8 / 10)
    # class b: TP 2, FN 1, FP 1, TN 6
    assert (b.sensitivity, b.specificity, b.accuracy) == pytest.approx((2 / 3, 6 / 7, 8 / 10))
    # class c: TP 2, FN 1, FP 1, TN 6
    assert (c.tp, c.fn, c.fp, c.tn) == (2, 1, 1, 6)


def test_class_without_photos_has_no_sensitivity() -> None:
    stats = per_class_stats(np.array([[2, 0], [0, 0]]), ["a", "b"])
    assert np.isnan(stats[1].sensitivity)
    assert stats[1].to_json()["sensitivity"] is None
    assert stats[1].specificity == 1.0


def test_merge_classes_sums_into_groups() -> None:
    matrix = np.array([[3, 1, 0], [2, 2, 1], [1, 0, 2]])
    merged = merge_classes(matrix, [0, 0, 1], 2)
    assert merged.tolist() == [[8, 1], [1, 2]]
    assert accuracy(merged) == pytest.approx(10 / 12)


def test_plot_confusion_writes_png(tmp_path: Path) -> None:
    path = plot_confusion(np.array([[3, 1], [0, 2]]), ["a", "b"], tmp_path / "cm.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
