"""The model view: classifier figures from a shipped model card, the ranker's state, Help ▸ About."""

from __future__ import annotations

import json

import cv2
import numpy as np

from wardrobe_app.ui.model_view import about_text


def test_model_view_shows_the_model_card_figures(qtbot, window, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "models" / "garment_classifier" / "1.2.0"
    folder.mkdir(parents=True)
    per_class = {
        "dress": {"sensitivity": 0.9, "specificity": 0.99, "accuracy": 0.98},
        "outwear": {"sensitivity": 1.0, "specificity": 0.97, "accuracy": 0.97},
    }
    manifest = {
        "model_file": "model.keras",
        "sha256": "0" * 64,
        "metrics": {
            "validation": {"accuracy": 0.8, "per_class": {}},
            "test": {"photos": 100, "accuracy": 0.9123, "group_accuracy": 0.95, "per_class": per_class},
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "labels.json").write_text(json.dumps(["dress", "outwear"]))
    cv2.imwrite(str(folder / "confusion_test.png"), np.full((120, 160, 3), 200, np.uint8))
    monkeypatch.setenv("WARDROBE_MODELS_DIR", str(tmp_path / "models"))
    view = window.model_view
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.refresh()
    assert "test accuracy <b>91.2%</b>" in view.summary.text()
    assert view.table.rowCount() == 2
    assert [view.table.item(0, c).text() for c in range(3)] == ["Dress", "90.0%", "99.0%"]
    assert view.table.item(1, 0).text() == "Outerwear"  # the model's label "outwear", as people say it
    assert view.confusion.pixmap() is not None and view.confusion.pixmap().width() == 160
    assert "ratings so far" in view.ranker_label.text()


def test_model_view_without_a_classifier_explains_itself(qtbot, window, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WARDROBE_MODELS_DIR", str(tmp_path / "nothing"))
    view = window.model_view
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.refresh()
    assert "No trained garment classifier" in view.summary.text()
    assert not view.figures.isVisible()
    assert "Classifier" in about_text(window.session, window.classifier_label.text())


def test_keyboard_shortcuts(qtbot, window) -> None:
    window.search_action.trigger()
    assert window.tabs.currentIndex() == 0
    assert window.add_action.shortcut().toString() == "Ctrl+O"
    assert window.refresh_action.shortcut().toString() == "F5"
    assert window.remove_action.shortcut().toString() == "Del"
    assert not window.remove_action.isEnabled()  # nothing selected


def test_the_confusion_matrix_is_a_table_with_the_names_people_read(qtbot, window, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "models" / "garment_classifier" / "1.2.0"
    folder.mkdir(parents=True)
    manifest = {"model_file": "model.keras", "sha256": "0" * 64, "metrics": {"test": {"accuracy": 0.75}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "labels.json").write_text(json.dumps(["longsleeve", "outwear"]))
    cv2.imwrite(str(folder / "confusion_test.png"), np.full((120, 160, 3), 200, np.uint8))
    matrix = {"categories": ["longsleeve", "outwear"], "rows_true_columns_predicted": [[3, 1], [0, 4]]}
    (folder / "confusion_test.json").write_text(json.dumps(matrix))
    monkeypatch.setenv("WARDROBE_MODELS_DIR", str(tmp_path / "models"))
    view = window.model_view
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.refresh()
    table = view.matrix
    assert not view.matrix_box.isHidden() and view.confusion_picture.isHidden()  # the table, not the stored picture
    assert [table.verticalHeaderItem(r).text() for r in range(2)] == ["Long-sleeve top", "Outerwear"]
    assert [table.horizontalHeaderItem(c).text() for c in range(2)] == ["Long-\nsleeve\ntop", "Outerwear"]
    assert [[table.item(r, c).text() for c in range(2)] for r in range(2)] == [["3", "1"], ["", "4"]]
    assert table.item(0, 1).toolTip() == "1 of 4 long-sleeve top photos read as outerwear (25%)"
    assert table.item(1, 1).toolTip() == "4 of 4 outerwear photos read right (100%)"
    # a fuller share is a deeper shade
    assert table.item(1, 1).background().color().lightness() < table.item(0, 0).background().color().lightness()


def test_a_malformed_confusion_file_falls_back_to_the_picture(qtbot, window, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "models" / "garment_classifier" / "1.2.0"
    folder.mkdir(parents=True)
    manifest = {"model_file": "model.keras", "sha256": "0" * 64, "metrics": {"test": {"accuracy": 0.75}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "labels.json").write_text(json.dumps(["dress", "outwear"]))
    cv2.imwrite(str(folder / "confusion_test.png"), np.full((120, 160, 3), 200, np.uint8))
    bad = {"categories": ["dress", "outwear"], "rows_true_columns_predicted": [[3, 1]]}  # not square
    (folder / "confusion_test.json").write_text(json.dumps(bad))
    monkeypatch.setenv("WARDROBE_MODELS_DIR", str(tmp_path / "models"))
    view = window.model_view
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.refresh()
    assert view.matrix_box.isHidden() and not view.confusion_picture.isHidden()
    assert view.confusion.pixmap().width() == 160
