"""Item editing in the GUI: the Edit dialog (saved, and refused values named), archive with the Show archived
filter, remove to the trash with Undo (Ctrl+Z and the status bar button), the Trash dialog (Restore, Empty
trash asked first), the search's synonyms and empty state, and the Fix cut-out brush dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import open_window
from wardrobe_app.domain.strokes import Stroke
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, DARK = (30, 30, 210), (200, 60, 20), (40, 40, 40)


@pytest.fixture
def closet(qtbot: Any, data_dir: Path, settings: Any, photo_factory: Any) -> Any:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        for name, colour, shape, category in (
            ("red.jpg", RED, "shirt", "t-shirt"),
            ("blue.jpg", BLUE, "pants", "jeans"),
            ("dark.jpg", DARK, "shoe", "sneakers"),
        ):
            wardrobe.add_photo(photo_factory(name, colour_bgr=colour, seed=len(name), shape=shape), category=category)
    window = open_window(qtbot, data_dir, settings)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    yield window
    window.close()


def _by_category(window: Any, category: str) -> Any:
    return next(i for i in window.model.items() if i.category == category)


def _stored(data_dir: Path, item_id: int) -> Any:
    with Wardrobe.open(data_dir, classifier="none") as fresh:
        return fresh.find(item_id)


def test_edit_dialog_saves_and_names_a_refused_value(qtbot: Any, closet: Any, data_dir: Path) -> None:
    window = closet
    jeans = _by_category(window, "jeans")
    window.closet.select_item(jeans.id)
    window.panel.edit_button.click()
    dialog = window.editing.dialog
    assert dialog.isVisible() and dialog.objectName() == "itemEditor"
    dialog.name_edit.setText("Old 501")
    dialog.brand_edit.setText("Levi's")
    dialog.price_edit.setText("not a price")
    dialog.accept()  # refused: stays open, says why, nothing saved
    assert dialog.isVisible() and dialog.error_label.isVisible() and "price" in dialog.error_label.text()
    assert _stored(data_dir, jeans.id).brand is None
    dialog.price_edit.setText("59.9")
    dialog.date_edit.setText("2025-09-01")
    dialog.season_box.setCurrentIndex(dialog.season_box.findData("autumn"))
    dialog.formality_box.setCurrentIndex(dialog.formality_box.findData(2))
    dialog.tags_edit.setText("Weekend, gift")
    dialog.notes_edit.setPlainText("a bit long")
    dialog.accept()
    qtbot.waitUntil(lambda: window.panel.item is not None and window.panel.item.brand == "Levi's")
    stored = _stored(data_dir, jeans.id)
    assert (stored.name, stored.brand, stored.price, stored.season, stored.formality) == (
        "Old 501", "Levi's", 59.9, "autumn", 2,
    )  # fmt: skip
    assert stored.tags == ("gift", "weekend") and str(stored.purchased_on) == "2025-09-01"
    assert "Levi's" in window.panel.details_label.text() and "gift, weekend" in window.panel.details_label.text()
    assert window.panel.title.text() == "<h3>Old 501</h3>"


def test_archive_leaves_the_grid_and_show_archived_brings_it(qtbot: Any, closet: Any, data_dir: Path) -> None:
    window = closet
    tee = _by_category(window, "t-shirt")
    window.closet.select_item(tee.id)
    window.panel.archive_button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert _stored(data_dir, tee.id).archived
    window.closet.archived_box.setChecked(True)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    row = window.model.row_of(tee.id)
    assert window.model.index(row).data().endswith("(archived)")
    window.closet.select_item(tee.id)
    assert window.panel.archive_button.text() == "Unarchive"
    window.panel.archive_button.click()
    qtbot.waitUntil(lambda: not _stored(data_dir, tee.id).archived)
    window.closet.archived_box.setChecked(False)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_remove_goes_to_the_trash_and_ctrl_z_brings_it_back(qtbot: Any, closet: Any, data_dir: Path) -> None:
    window = closet
    shoes = _by_category(window, "sneakers")
    window.closet.select_item(shoes.id)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.closet.grid.setFocus()
    window.remove_action.trigger()  # no question: Undo takes it back
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert window.editing.undo_button.isVisible()
    assert "to the trash" in window.statusBar().currentMessage()
    assert [i.id for i in window.session.wardrobe.trash()] == [shoes.id]
    qtbot.keyClick(window.closet.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    assert not window.editing.undo_button.isVisible()
    assert window.session.wardrobe.trash() == []
    # and the status bar's Undo button does the same
    window.remove_item(shoes.id)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.editing.undo_button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    assert not window.editing.undo_action.isEnabled()


def test_trash_dialog_restores_and_empties_after_asking(
    qtbot: Any, closet: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = closet
    tee, jeans = _by_category(window, "t-shirt"), _by_category(window, "jeans")
    for item in (tee, jeans):
        window.remove_item(item.id)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.editing.trash_action.trigger()
    dialog = window.editing.dialog
    qtbot.waitUntil(lambda: dialog.list.count() == 2)
    assert not dialog.restore_button.isEnabled()
    dialog.list.item(
        [dialog.list.item(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(2)].index(tee.id)
    ).setSelected(True)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 1 and window.model.rowCount() == 2)
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog.empty_button.click()  # No: nothing deleted
    assert "Delete the 1 item in the trash for good?" in asked[0]
    assert Path(jeans.photo_path).exists() and dialog.list.count() == 1
    dialog.empty_button.click()
    qtbot.waitUntil(lambda: dialog.stack.currentWidget() is dialog.empty_label)
    assert not Path(jeans.photo_path).exists() and not dialog.empty_button.isEnabled()
    assert window.model.rowCount() == 2


def test_search_understands_synonyms_and_says_when_nothing_matches(qtbot: Any, closet: Any) -> None:
    window = closet
    qtbot.keyClicks(window.closet.search, "denim")
    assert [i.category for i in window.closet.visible_items()] == ["jeans"]
    window.closet.set_filters(text="trainers")
    assert [i.category for i in window.closet.visible_items()] == ["sneakers"]
    window.closet.set_filters(text="tee")
    assert [i.category for i in window.closet.visible_items()] == ["t-shirt"]
    window.closet.set_filters(text="ballgown")
    assert window.closet.stack.currentWidget() is window.closet.no_match
    assert window.closet.no_match.text() == "No items match “ballgown”."


def test_fix_cutout_dialog_paints_applies_undoes_and_saves(qtbot: Any, closet: Any, data_dir: Path) -> None:
    window = closet
    tee = _by_category(window, "t-shirt")
    window.closet.select_item(tee.id)
    window.panel.fix_button.click()
    qtbot.waitUntil(lambda: window.editing.dialog is not None and window.editing.dialog.objectName() == "cutoutDialog")
    dialog = window.editing.dialog
    canvas = dialog.canvas
    opened = dialog.current.mask.copy()
    assert not dialog.apply_button.isEnabled()
    # a "remove" stroke dragged across the middle of the garment with the mouse
    dialog.remove_button.click()
    target = canvas._target()
    start = QPoint(target.center().x() - 30, target.center().y())
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for dx in range(0, 61, 10):
        qtbot.mouseMove(canvas, QPoint(start.x() + dx, start.y()))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(start.x() + 60, start.y()))
    assert len(canvas.strokes) == 1 and not canvas.strokes[0].keep and len(canvas.strokes[0].points) > 2
    dialog.undo_button.click()  # undo the stroke
    assert canvas.strokes == [] and not dialog.undo_button.isEnabled()
    x, y = canvas.to_photo(target.center())
    canvas.add_stroke(Stroke(((x - 20, y), (x + 20, y)), 6, keep=False))
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: len(dialog.history) == 2)
    assert dialog.current.mask[y, x] == 0 and opened[y, x] == 255
    dialog.undo_button.click()  # undo the Apply: back to the mask it opened with
    assert np.array_equal(dialog.current.mask, opened)
    dialog.original_button.click()  # the import's automatic cut-out (never fixed yet: the same)
    qtbot.waitUntil(lambda: len(dialog.history) == 2)
    assert np.array_equal(dialog.current.mask, opened)
    canvas.add_stroke(Stroke(((x - 20, y), (x + 20, y)), 6, keep=False))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = _stored(data_dir, tee.id)
    assert stored.mask_path != tee.mask_path and stored.cutout_path != tee.cutout_path
    qtbot.waitUntil(lambda: window.panel.item is not None and window.panel.item.mask_path == stored.mask_path)
