"""`wardrobe classify` and `wardrobe eval-classifier` with the shipped classifier on drawn photos."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from tests.conftest import draw_garment
from wardrobe_app.cli import main
from wardrobe_app.domain import CLASSIFIER_CATEGORIES


@pytest.mark.slow
def test_classify_json_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "shirt.jpg"
    cv2.imwrite(str(good), draw_garment((40, 40, 200), seed=3))
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a photo")
    code = main(["classify", str(good), str(bad), "--json"])
    out, err = capsys.readouterr()
    assert code == 1  # one file failed, the other was still classified
    assert "bad.jpg" in err and "not an image" in err
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["path"] == str(good)
    assert row["category"] in CLASSIFIER_CATEGORIES
    assert row["group"] in {"top", "middle", "bottom", "full", "accessory"}
    assert 0.0 < row["confidence"] <= 1.0
    assert len(row["top3"]) == 3 and row["top3"][0][0] == row["category"]


@pytest.mark.slow
def test_eval_classifier_reports_unknown_classes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder, colour in (("shoes", (20, 20, 20)), ("t-shirt", (30, 30, 220)), ("ponchos", (0, 200, 0))):
        (tmp_path / folder).mkdir()
        for seed in range(2):
            cv2.imwrite(str(tmp_path / folder / f"{seed}.jpg"), draw_garment(colour, seed=seed))
    code = main(["eval-classifier", str(tmp_path), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    report = json.loads(out)
    assert report["photos"] == 4
    assert report["unknown_folders"] == {"ponchos": 2}
    assert 0.0 <= report["accuracy"] <= 1.0
    assert len(report["confusion_matrix"]) == len(CLASSIFIER_CATEGORIES)
    assert {c["name"] for c in report["per_class"]} == set(CLASSIFIER_CATEGORIES)
