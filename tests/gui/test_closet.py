"""The closet view and item panel: empty state, adding photos, filters, correcting a category, removing."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.gui.conftest import open_window, wait_for_import
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, DARK = (30, 30, 210), (200, 60, 20), (40, 40, 40)


def test_empty_closet_shows_how_to_start(window) -> None:
    assert window.closet.stack.currentWidget().objectName() == "emptyCloset"
    assert window.closet.findChild(object, "emptyAddButton").isVisible()
    assert window.add_action.isEnabled()
    assert "unavailable" in window.classifier_label.text()


def test_add_photos_through_real_import_path(qtbot, data_dir, settings, photo_factory, fake_classifier) -> None:
    photos = [
        photo_factory("red.jpg", colour_bgr=RED, seed=1),
        photo_factory("blue.jpg", colour_bgr=BLUE, seed=2, shape="pants"),
        photo_factory("dark.jpg", colour_bgr=DARK, seed=3, shape="shoe"),
    ]
    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)
    assert window.classifier_label.text().startswith("Classifier ready (fake-1)")
    window.add_paths([str(p) for p in photos])
    assert not window.add_action.isEnabled()  # busy while importing
    wait_for_import(qtbot, window)
    assert window.add_action.isEnabled()
    assert "3 photos added" in window.last_summary.text.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    assert window.closet.stack.currentWidget() is window.closet.grid
    by_source = {item.source_name: item for item in window.model.items()}
    assert by_source["red.jpg"].category == "t-shirt"
    assert by_source["blue.jpg"].needs_review
    window.closet.select_item(by_source["blue.jpg"].id)
    assert window.panel.review_label.isVisible()
    assert "40% confident" in window.panel.confidence_label.text()
    window.close()


def _fill_closet(qtbot, window, photo_factory) -> None:
    tops = [photo_factory(f"tops/red{i}.jpg", colour_bgr=RED, seed=10 + i) for i in range(2)]
    window.add_paths([str(tops[0].parent)], "t-shirt")
    wait_for_import(qtbot, window)
    window.last_summary = None
    pants = photo_factory("blue-pants.jpg", colour_bgr=BLUE, seed=20, shape="pants")
    window.add_paths([str(pants)], "jeans")
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)


def test_filter_the_grid(qtbot, window, photo_factory) -> None:
    _fill_closet(qtbot, window, photo_factory)
    assert window.closet.group_box.itemText(0) == "All (3)"
    assert window.closet.group_box.findText("Tops (2)") >= 0
    window.closet.set_filters(group="middle")
    assert [i.category for i in window.closet.visible_items()] == ["jeans"]
    window.closet.set_filters(category="t-shirt")
    assert len(window.closet.visible_items()) == 2
    window.closet.set_filters()
    qtbot.keyClicks(window.closet.search, "jeans")
    assert [i.category for i in window.closet.visible_items()] == ["jeans"]
    assert window.closet.count_label.text() == "1 of 3 items"
    window.closet.set_filters(text="no such thing")
    assert window.closet.stack.currentWidget() is window.closet.no_match
    colour = window.model.items()[0].colours[0].name
    window.closet.set_filters(colour=colour)
    assert all(any(c.name == colour for c in i.colours) for i in window.closet.visible_items())


def test_correct_a_category_is_saved_and_kept(qtbot, window, photo_factory, data_dir) -> None:
    _fill_closet(qtbot, window, photo_factory)
    jeans = next(i for i in window.model.items() if i.category == "jeans")
    window.closet.select_item(jeans.id)
    assert window.panel.item.id == jeans.id
    box = window.panel.category_box
    box.setCurrentIndex(box.findData("skirt"))
    box.activated.emit(box.currentIndex())
    qtbot.waitUntil(lambda: window.panel.item.category == "skirt")
    assert window.panel.confidence_label.text().startswith("set by you (kept)")
    with Wardrobe.open(data_dir, classifier="none") as fresh:
        assert fresh.item(jeans.id).category == "skirt"
        assert fresh.item(jeans.id).corrected


def test_remove_moves_to_the_trash(qtbot, window, photo_factory, say_yes) -> None:
    _fill_closet(qtbot, window, photo_factory)
    first = window.model.items()[0]
    window.closet.select_item(first.id)
    window.closet.grid.setFocus()
    window.remove_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert say_yes == []  # nothing asked: Undo (Ctrl+Z) takes it back (tests/gui/test_item_editing.py)
    assert window.session.wardrobe.counts()["all"] == 2
    assert [i.id for i in window.session.wardrobe.trash()] == [first.id]


def test_drop_photos_on_the_window(qtbot, window, photo_factory) -> None:
    photo = photo_factory("dropped.jpg", colour_bgr=RED, seed=5)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.items()[0].source_name == "dropped.jpg"


def test_typed_error_is_shown_in_words(qtbot, window) -> None:
    window.session.run(lambda w: w.item(4242), title="Cannot open the item")
    qtbot.waitUntil(lambda: window.findChild(object, "errorDialog") is not None)
    box = window.findChild(object, "errorDialog")
    assert box.text() == "there is no item 4242 in the closet"
    assert box.windowTitle() == "Cannot open the item"


def test_window_layout_persists(qtbot, data_dir, settings) -> None:
    window = open_window(qtbot, data_dir, settings)
    window.splitter.setSizes([500, 400])
    window.tabs.setCurrentIndex(window.tabs.count() - 1)
    window.close()
    assert settings.value("window/closetSplitter") == window.splitter.saveState()
    assert settings.value("window/geometry") is not None
    again = open_window(qtbot, data_dir, settings)
    assert again.tabs.currentIndex() == again.tabs.count() - 1
    again.close()
