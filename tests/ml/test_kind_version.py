"""Writing a version with a kind branch: base outputs unchanged, kind heads fitted and measured, loadable by the app."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import draw_garment
from tests.ml.test_kind_branch import branch_weights, tiny_base

pytestmark = pytest.mark.slow


def test_build_writes_a_version_the_app_loads_with_its_kind_heads(tmp_path: Path) -> None:
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.training.export import save_network, write_manifest
    from wardrobe_app.training.kind_version import main

    base = tmp_path / "models" / "garment_classifier" / "1.0.0"
    save_network(tiny_base(), base)  # float16 storage, as shipped
    from wardrobe_app.domain import CLASSIFIER_CATEGORIES

    write_manifest(base, CLASSIFIER_CATEGORIES, {"input_kind": "raw", "needs_review_threshold": 0.55})
    np.savez(tmp_path / "branch.npz", **{f"{k}/{i}": w for k, ws in branch_weights().items() for i, w in enumerate(ws)})
    rows = []
    for n in range(24):  # red shirts are "sneakers", blue blobs "boots" (a stand-in for two kinds of shoe)
        kind, colour, shape = ("sneakers", (40, 40, 200), "shirt") if n % 2 else ("boots", (200, 60, 30), "blob")
        split = "test" if n % 6 == 0 else "train"
        folder = tmp_path / "data" / "clothing-small" / split / "shoes"
        folder.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(folder / f"p{n}.jpg"), draw_garment(colour, (300, 240), seed=n, shape=shape))
        rows.append({"split": split, "class": "shoes", "file": f"p{n}.jpg", "kind": kind})
    labels = tmp_path / "kinds.csv"
    with labels.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["split", "class", "file", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "models" / "garment_classifier" / "1.1.0"
    args = ["build", "--data", str(tmp_path / "data"), "--kinds", str(labels), "--base", str(base), "--out", str(out)]
    args += ["--branch", str(tmp_path / "branch.npz"), "--pooling", "avg+max", "--work", str(tmp_path / "work")]
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["version"] == "1.1.0" and manifest["kinds"]["fit_splits"] == ["train", "validation"]
    assert manifest["kind_branch"]["pooling"] == "avg+max" and "fast_runtime" not in manifest
    kinds = json.loads((out / "kinds.json").read_text())["heads"]
    assert [h["parent"] for h in kinds] == ["shoes"] and kinds[0]["kinds"] == ["sneakers", "boots"]
    assert kinds[0]["info"]["held_out"] == ["test"] and "nested_5fold_cv_all_labels" in kinds[0]["info"]
    classifier = load_classifier(tmp_path / "models", "1.1.0")
    photos = [cv2.cvtColor(draw_garment((40, 40, 200), (300, 240), seed=99), cv2.COLOR_BGR2RGB)]
    result = classifier.classify(photos)[0]
    assert result.label == "shoes" and result.category in ("shoes", "sneakers", "boots")
    assert result.kind_confidence is not None
    old = load_classifier(tmp_path / "models", "1.0.0").classify(photos)[0]
    assert np.allclose(old.features, result.features, atol=1e-5) and old.confidence == pytest.approx(result.confidence)
