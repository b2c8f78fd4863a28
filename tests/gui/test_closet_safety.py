"""The desktop app and a closet changed behind its back: a restore by another process, a check and repair."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import wait_for_import
from wardrobe_app.services.wardrobe import Wardrobe


def _dialog(name: str) -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == name and widget.isVisible():
            return widget
    return None


def test_gui_writes_after_an_outside_restore_land_in_the_restored_closet(
    qtbot, window, photo_factory, tmp_path: Path
) -> None:
    window.add_paths([str(photo_factory("mine.jpg", seed=1))], "shirt")
    wait_for_import(qtbot, window)
    other = Wardrobe.open(tmp_path / "other", classifier="none")
    hat = other.add_photo(photo_factory("hat.jpg", seed=2), category="hat")
    archive = other.export(tmp_path / "other.zip")
    other.close()
    cli = Wardrobe.open(window.session.wardrobe.data_dir, classifier="none")  # `wardrobe restore` in a terminal
    cli.restore(archive)
    cli.close()
    done: list[object] = []
    window.session.run(lambda w: w.set_category(hat.id, "cap"), done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    check = Wardrobe.open(window.session.wardrobe.data_dir, classifier="none")
    assert [(i.content_hash, i.category) for i in check.items()] == [(hat.content_hash, "cap")]
    check.close()


def test_check_the_closet_finds_and_repairs(qtbot, window, photo_factory) -> None:
    window.add_paths([str(photo_factory("a.jpg", seed=1))], "shirt")
    wait_for_import(qtbot, window)
    item = window.session.wardrobe.items()[0]
    Path(item.thumb_path).unlink()
    window.doctor_action.trigger()
    qtbot.waitUntil(lambda: _dialog("doctorQuestion") is not None, timeout=20000)
    question = _dialog("doctorQuestion")
    assert question is not None and question.textFormat() == Qt.TextFormat.PlainText
    assert "missing" in question.text()
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog("doctorDialog") is not None, timeout=20000)
    report = _dialog("doctorDialog")
    assert report is not None and "rebuilt" in report.text()
    report.close()
    assert Path(item.thumb_path).is_file()
