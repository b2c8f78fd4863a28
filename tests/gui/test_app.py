"""Starting the app as main.py does, and the closet menu: export and restore through the real services."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.gui.conftest import wait_for_import
from wardrobe_app.ui import app as app_module
from wardrobe_app.ui.main_window import MainWindow


def test_main_opens_the_window_then_the_closet(qtbot, tmp_path, monkeypatch) -> None:
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("WARDROBE_DATA_DIR", str(tmp_path / "closet"))
    seen: dict[str, object] = {}

    def run_briefly(_app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen["visible_before_open"] = window.isVisible() and window.session.wardrobe is None
        qtbot.waitUntil(lambda: window.classifier_state != "loading", timeout=20000)
        seen["data_dir"] = window.session.wardrobe.data_dir
        seen["classifier"] = window.classifier_label.text()
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", run_briefly)
    monkeypatch.setattr(app_module.signal, "signal", lambda *_a: None)  # keep pytest's Ctrl+C handler
    assert app_module.main(["--no-classifier"]) == 0
    assert seen["visible_before_open"] is True
    assert seen["data_dir"] == tmp_path / "closet"
    assert "categories are set by hand" in str(seen["classifier"])


def test_export_then_restore_the_closet(qtbot, window, photo_factory, tmp_path, monkeypatch, say_yes) -> None:
    window.add_paths([str(photo_factory("a.jpg", seed=1)), str(photo_factory("b.jpg", seed=2))], "shirt")
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    archive = tmp_path / "closet.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(archive), ""))
    window.export_action.trigger()
    qtbot.waitUntil(lambda: archive.is_file() and not window.worker.busy, timeout=20000)
    assert zipfile.is_zipfile(archive)
    first = window.model.items()[0]
    window.closet.select_item(first.id)
    window.remove_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=20000)
    assert "Restore" in say_yes[-1] or "Replace" in say_yes[-1]
