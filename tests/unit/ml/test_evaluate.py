"""evaluate_folder on drawn photos in class folders, with a numpy stand-in network."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from wardrobe_app.domain import CLASSIFIER_CATEGORIES
from wardrobe_app.ml.classifier import GarmentClassifier
from wardrobe_app.ml.evaluate import build_report, evaluate_folder


def test_evaluate_folder_reports_unknown_folders_and_counts(tmp_path: Path, colour_network: object) -> None:
    rng = np.random.default_rng(0)
    for name, count in (("shoes", 3), ("hat", 2), ("umbrella", 2)):
        (tmp_path / name).mkdir()
        for i in range(count):
            cv2.imwrite(str(tmp_path / name / f"{i}.jpg"), rng.integers(0, 255, (60, 40, 3), dtype=np.uint8))
    (tmp_path / "hat" / "broken.jpg").write_bytes(b"not a photo")
    calls: list[tuple[int, int]] = []
    classifier = GarmentClassifier(colour_network, CLASSIFIER_CATEGORIES, "garment_classifier/0.0.1")
    report = evaluate_folder(tmp_path, classifier, progress=lambda done, total: calls.append((done, total)))
    assert report.n_photos == 5
    assert report.unknown_folders == {"umbrella": 2}
    assert len(report.unreadable) == 1
    assert calls[-1] == (6, 6)
    data = report.to_json()
    json.dumps(data)
    assert np.array(data["confusion_matrix"]).sum() == 5
    text = report.format_text()
    assert "umbrella" in text and "sensitivity" in text


def test_group_accuracy_counts_same_group_mistakes_as_right() -> None:
    labels = CLASSIFIER_CATEGORIES
    idx = {name: i for i, name in enumerate(labels)}
    y_true = np.array([idx["t-shirt"], idx["shirt"], idx["pants"], idx["hat"]])
    y_pred = np.array([idx["shirt"], idx["shirt"], idx["skirt"], idx["shoes"]])
    report = build_report("v", labels, y_true, y_pred)
    assert report.accuracy == 0.25
    assert report.group_accuracy == 0.75
