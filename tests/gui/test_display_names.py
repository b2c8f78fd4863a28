"""What the window shows of an item: categories in plain English, a title not a file name, no item numbers."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.gui.conftest import wait_for_import

GREY, PINK = (128, 128, 128), (180, 150, 230)


def _add(qtbot, window, photo_factory, category: str, name: str, colour: tuple[int, int, int], seed: int) -> None:
    window.last_summary = None
    window.add_paths([str(photo_factory(name, colour_bgr=colour, seed=seed))], category)
    wait_for_import(qtbot, window)


def test_dataset_spellings_are_never_shown(qtbot, window, photo_factory) -> None:
    _add(qtbot, window, photo_factory, "outwear", "IMG_2301.jpg", GREY, 1)
    _add(qtbot, window, photo_factory, "longsleeve", "IMG_2302.jpg", PINK, 2)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    coat = next(i for i in window.model.items() if i.category == "outwear")  # stored as the model's label
    row = window.model.index(window.model.row_of(coat.id), 0)
    assert "outerwear" in row.data(Qt.ItemDataRole.DisplayRole)
    assert "Outerwear" in row.data(Qt.ItemDataRole.ToolTipRole)
    filters = [window.closet.category_box.itemText(i) for i in range(window.closet.category_box.count())]
    assert filters == ["All", "Long-sleeve top", "Outerwear"]
    window.closet.set_filters(category="outwear")
    assert [i.id for i in window.closet.visible_items()] == [coat.id]
    window.closet.set_filters(text="outerwear")
    assert [i.id for i in window.closet.visible_items()] == [coat.id]
    window.closet.set_filters()
    window.closet.select_item(coat.id)
    panel = window.panel
    assert panel.category_box.currentText() == "Outerwear" and panel.category_box.currentData() == "outwear"
    shown = [panel.category_box.itemText(i) for i in range(panel.category_box.count())]
    assert "outwear" not in shown and "longsleeve" not in shown and "Long-sleeve top" in shown
    assert "outerwear" in panel.title.text()


def test_item_panel_title_is_the_item_not_its_file(qtbot, window, photo_factory, data_dir) -> None:
    _add(qtbot, window, photo_factory, "shirt", "IMG_2301.jpg", GREY, 3)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    shirt = window.model.items()[0]
    window.closet.select_item(shirt.id)
    panel = window.panel
    assert "IMG_2301" not in panel.title.text()
    assert f"<h3>{shirt.colours[0].name.capitalize()} shirt</h3>" == panel.title.text()  # "Grey shirt"
    assert panel.source_label.text() == "IMG_2301.jpg"  # kept, as a small detail under the title
    assert panel.source_label.font().pointSizeF() < panel.category_box.font().pointSizeF()
    form_labels = [w.text() for w in panel.findChildren(QLabel) if w.buddy() is not None or w.text() == "File"]
    assert "File" not in form_labels
    panel.show_item(replace(shirt, name="my lucky shirt"))
    assert "my lucky shirt" in panel.title.text()  # the user's name as typed
