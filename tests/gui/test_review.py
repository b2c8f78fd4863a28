"""The review queue in the closet: badge, Needs review filter, Confirm (Ctrl+Return), Next (N), Reclassify."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import open_window, wait_for_import
from tests.unit.services.review_fakes import LabelledFake
from wardrobe_app.services.wardrobe import Wardrobe
from wardrobe_app.ui.item_models import BADGE_COLOUR, REVIEW_ROLE, THUMB_SIZE

RED, BLUE, DARK = (30, 30, 210), (200, 60, 20), (40, 40, 40)


def _closet(qtbot, data_dir, settings, photo_factory, fake_classifier):
    photos = [
        photo_factory("red.jpg", colour_bgr=RED, seed=1),
        photo_factory("blue1.jpg", colour_bgr=BLUE, seed=2, shape="pants"),
        photo_factory("dark.jpg", colour_bgr=DARK, seed=3, shape="shoe"),
        photo_factory("blue2.jpg", colour_bgr=BLUE, seed=4, shape="pants"),
    ]
    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)
    window.add_paths([str(p) for p in photos])
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    window.last_summary.close()
    by_name = {item.source_name: item for item in window.model.items()}
    return window, by_name


def _badge_shown(window, item_id: int) -> bool:
    index = window.model.index(window.model.row_of(item_id))
    image = index.data(Qt.ItemDataRole.DecorationRole).pixmap(THUMB_SIZE, THUMB_SIZE).toImage()
    size = max(18, min(image.width(), image.height()) // 5)
    centre = image.pixelColor(image.width() - 3 - size + 4, 3 + size // 2)  # inside the disc, left of the "?"
    return abs(centre.red() - BADGE_COLOUR.red()) < 30 and abs(centre.green() - BADGE_COLOUR.green()) < 30


def test_badge_filter_and_count(qtbot, data_dir, settings, photo_factory, fake_classifier) -> None:
    window, items = _closet(qtbot, data_dir, settings, photo_factory, fake_classifier)
    blue1, blue2, red = items["blue1.jpg"], items["blue2.jpg"], items["red.jpg"]
    assert blue1.to_review and blue2.to_review and not red.to_review
    assert window.model.index(window.model.row_of(blue1.id)).data(REVIEW_ROLE) is True
    qtbot.waitUntil(lambda: _badge_shown(window, blue1.id))  # once the thumbnail has loaded
    assert not _badge_shown(window, red.id)
    assert window.review.count_label.text().startswith("2 to review")
    assert window.closet.review_box.text() == "Needs review (2)"
    window.closet.review_box.click()
    assert [i.id for i in window.closet.visible_items()] == [blue1.id, blue2.id]
    assert window.closet.count_label.text() == "2 of 4 items"
    window.closet.review_box.click()
    assert len(window.closet.visible_items()) == 4
    window.close()


def test_confirm_with_the_keyboard_then_next(qtbot, data_dir, settings, photo_factory, fake_classifier) -> None:
    window, items = _closet(qtbot, data_dir, settings, photo_factory, fake_classifier)
    blue1, blue2, red = items["blue1.jpg"], items["blue2.jpg"], items["red.jpg"]
    window.closet.select_item(red.id)
    assert not window.review.confirm_action.isEnabled() or not red.to_review
    window.review.next_action.trigger()
    assert window.closet.selected_item().id == blue1.id
    assert window.panel.confirm_button.isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.closet.grid.setFocus()
    qtbot.keyClick(window.closet.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.model.items()[window.model.row_of(blue1.id)].confirmed)
    qtbot.waitUntil(
        lambda: window.closet.selected_item() is not None and window.closet.selected_item().id == blue2.id
    )  # moved on to the next one
    assert window.review.count_label.text().startswith("1 to review")
    assert window.panel.confidence_label.text() != "" and window.panel.item.id == blue2.id
    qtbot.keyClick(window.closet.grid, Qt.Key.Key_N)  # N: next (wraps round to the only one left)
    assert window.closet.selected_item().id == blue2.id
    window.tabs.setCurrentWidget(window.board)  # N means nothing on the outfit board: no jump to the closet
    window.board.setFocus()
    qtbot.keyClick(window.board, Qt.Key.Key_N)
    assert window.tabs.currentWidget() is window.board
    window.tabs.setCurrentWidget(window.splitter)
    window.panel.confirm_button.click()
    qtbot.waitUntil(lambda: window.model.review_count() == 0)
    assert window.review.count_label.text() == "Nothing to review"
    assert window.review.next_to_review() is None
    with Wardrobe.open(data_dir, classifier="none") as fresh:
        assert fresh.item(blue1.id).confirmed and fresh.item(blue1.id).category == "pants"
        assert fresh.review_queue() == []
    window.close()


def test_reclassify_from_the_menu_keeps_corrections(qtbot, data_dir, settings, photo_factory, fake_classifier) -> None:
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-0")) as old:
        kept = old.add_photo(photo_factory("kept.jpg", colour_bgr=RED, seed=5)).id
        other = old.add_photo(photo_factory("other.jpg", colour_bgr=DARK, seed=6)).id
        old.set_category(kept, "blouse")
    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)  # version fake-1
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.review.reclassify_action.trigger()
    qtbot.waitUntil(lambda: window.review.job is None and window.review.last_report is not None, timeout=30000)
    report = window.review.last_report
    assert set(report.processed) == {kept, other} and report.kept == (kept,)
    qtbot.waitUntil(lambda: all(i.classifier_version == "fake-1" for i in window.model.items()))
    by_id = {i.id: i for i in window.model.items()}
    assert by_id[kept].category == "blouse" and by_id[kept].corrected
    assert by_id[other].category == "shoes"
    assert "brought to fake-1" in window.statusBar().currentMessage()
    window.close()
