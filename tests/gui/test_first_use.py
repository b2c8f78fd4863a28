"""What a new user met on a first run: a clipped search box, dead panel buttons, a finished review queue
called a filter miss, "item 15" in Find similar, an outfit board wider than the screen, "1 outfits", thin swatches."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from tests.gui.conftest import wait_for_import
from tests.gui.test_closet_life import drawn
from tests.unit.services.drawn_closet import draw
from wardrobe_app.domain import Change
from wardrobe_app.ui.life_menu import install_life

WIDE_CLOSET = [
    ("formal shoes", "burgundy"),
    ("t-shirt", "blue"),
    ("sweatpants", "teal"),
    ("longsleeve", "white"),
    ("flip-flops", "black"),
    ("cap", "navy"),
]


def _with_items(qtbot, window, closet=WIDE_CLOSET) -> dict[str, list[int]]:
    wardrobe = window.session.wardrobe
    ids = draw(wardrobe, closet)
    every = tuple(i for v in ids.values() for i in v)
    window.session.closet_changed.emit(Change(updated=every))
    qtbot.waitUntil(lambda: window.model.rowCount() == len(every), timeout=20000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    return ids


def test_the_search_box_keeps_a_usable_width_beside_wide_filters(qtbot, window) -> None:
    _with_items(qtbot, window)
    window.resize(1280, 820)
    window.tabs.setCurrentWidget(window.splitter)
    qtbot.wait(100)
    search = window.closet.search
    assert search.width() >= search.fontMetrics().horizontalAdvance(search.placeholderText())
    assert window.width() <= 1280


def test_shop_and_find_similar_are_enabled_only_with_an_item(qtbot, window) -> None:
    install_life(window)  # idempotent: already there once the closet opened
    shop, similar = window.panel.shop_buttons
    assert not shop.isEnabled() and not similar.isEnabled()
    ids = _with_items(qtbot, window)
    window.closet.select_item(ids["t-shirt"][0])
    assert shop.isEnabled() and similar.isEnabled()
    window.closet.grid.clearSelection()
    assert window.panel.item is None and not shop.isEnabled() and not similar.isEnabled()


def test_a_finished_review_queue_is_not_called_a_filter_miss(qtbot, window) -> None:
    _with_items(qtbot, window)
    assert window.model.review_count() == 0
    window.closet.review_box.click()
    assert window.closet.stack.currentWidget() is window.closet.no_match
    assert window.closet.no_match.text().startswith("Nothing left to review")
    window.closet.review_box.click()
    window.closet.search.setText("zzz")
    assert window.closet.no_match.text() == "No items match “zzz”."


def _two_shirts(qtbot, window, photo_factory) -> None:
    """A red and a blue shirt in the closet, the import summary closed."""
    photos = [photo_factory(f"c{i}.jpg", colour_bgr=c, seed=i) for i, c in enumerate(((30, 30, 210), (200, 60, 20)))]
    window.add_paths([str(p) for p in photos], "shirt")
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.last_summary.close()


def test_find_similar_names_the_item_as_the_grid_does(qtbot, window, photo_factory) -> None:
    _two_shirts(qtbot, window, photo_factory)
    first = window.model.items()[0]
    with qtbot.waitSignal(window.similar_view.searched, timeout=30000):
        window.closet.similar_requested.emit(first.id)
    text = window.similar_view.status.text()
    assert f"Items most like the {first.label}" in text and f"item {first.id}" not in text
    assert "best match first" in text  # each card shows the match the row is ordered by


def test_outfits_built_around_an_item_fit_a_1280_screen(qtbot, window) -> None:
    ids = _with_items(qtbot, window)
    window.tabs.setCurrentWidget(window.board)
    window.board.build_around(ids["sweatpants"][0], "teal sweatpants")
    assert window.board.focus_label.text().startswith("<b>Outfits built around")
    qtbot.wait(100)
    assert window.minimumSizeHint().width() <= 1280


def test_one_outfit_worn_is_singular(qtbot, window) -> None:
    ids = _with_items(qtbot, window)
    view = window.stats_view
    with qtbot.waitSignal(view.refreshed, timeout=30000):
        window.tabs.setCurrentWidget(view)
    wardrobe = window.session.wardrobe
    wardrobe._diary().record([ids["t-shirt"][0], ids["sweatpants"][0]], date.today(), "casual")
    with qtbot.waitSignal(view.refreshed, timeout=30000):
        window.session.closet_changed.emit(Change(diary=(1,)))
    assert "1 outfit worn" in view.summary.text() and "1 outfits" not in view.summary.text()
    with qtbot.waitSignal(view.refreshed, timeout=30000):
        drawn(window)  # three more
    assert "4 outfits worn" in view.summary.text()


def test_colour_swatches_are_wide_enough_to_see(qtbot, window) -> None:
    ids = _with_items(qtbot, window)
    window.closet.select_item(ids["sweatpants"][0])
    item = window.panel.item
    assert item is not None and item.colours
    image = window.panel.colours.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colour = item.colours[0].hex.lstrip("#")
    want = tuple(int(colour[n : n + 2], 16) for n in (0, 2, 4))

    def close(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return max(abs(c.red() - want[0]), abs(c.green() - want[1]), abs(c.blue() - want[2])) < 12

    size: QSize = image.size()
    widest = max(sum(close(x, y) for x in range(size.width())) for y in range(size.height()))
    assert widest >= 20  # a swatch, not a 4-pixel sliver


def test_n_and_confirm_work_while_the_tab_bar_has_the_focus(qtbot, data_dir, settings, photo_factory, fake_classifier):
    """At start, and after a tab is clicked, the focus is on the tab bar, outside the closet page."""
    from tests.gui.test_review import _closet

    window, items = _closet(qtbot, data_dir, settings, photo_factory, fake_classifier)
    blue1 = items["blue1.jpg"]
    window.tabs.setCurrentWidget(window.splitter)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    bar = window.tabs.tabBar()
    bar.setFocus()
    qtbot.waitUntil(lambda: bar.hasFocus())
    qtbot.keyClick(bar, Qt.Key.Key_N)
    assert window.closet.selected_item() is not None and window.closet.selected_item().id == blue1.id
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: window.model.items()[window.model.row_of(blue1.id)].confirmed)
    window.tabs.setCurrentWidget(window.board)  # N means nothing on the outfit board, even from the tab bar
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_N)
    assert window.tabs.currentWidget() is window.board
    window.close()


def test_while_the_first_photos_are_added_the_empty_page_offers_no_add_button(qtbot, data_dir, settings, photo_factory):
    import threading

    from tests.gui.conftest import FakeClassifier, open_window

    classifier = FakeClassifier()
    classifier.gate, classifier.pass_before = threading.Event(), 0  # every photo waits in the classifier
    window = open_window(qtbot, data_dir, settings, classifier=classifier)
    closet = window.closet
    assert closet.empty_button.isVisible() and closet.empty_hint.isVisible()
    window.add_paths([str(photo_factory("red.jpg", colour_bgr=(30, 30, 210), seed=1))])
    assert closet.stack.currentIndex() == 0 and "Adding your photos" in closet.empty_title.text()
    assert not closet.empty_button.isVisible() and not closet.empty_hint.isVisible()
    classifier.gate.set()
    wait_for_import(qtbot, window)
    window.last_summary.close()
    assert not closet.empty_button.isHidden() and not closet.empty_hint.isHidden()  # back for an emptied closet
    assert "Your closet is empty" in closet.empty_title.text()
    assert not window.import_progress.isVisible()
    window.close()


def test_the_panel_never_shows_the_last_items_pictures_beside_a_new_one(qtbot, window, photo_factory) -> None:
    _two_shirts(qtbot, window, photo_factory)
    first, second = window.model.items()
    panel = window.panel
    window.closet.select_item(first.id)
    qtbot.waitUntil(lambda: not panel.cutout.pixmap().isNull() and not panel.photo.pixmap().isNull())
    panel._images.loaded.disconnect(panel._on_image)  # the second item's pictures are slow to load
    window.closet.select_item(second.id)
    assert panel.item is not None and panel.item.id == second.id
    assert panel.photo.pixmap().isNull() and panel.cutout.pixmap().isNull()
    assert panel.cutout.text() == "cut-out"
    panel._images.loaded.connect(panel._on_image)
    window.closet.select_item(first.id)
    qtbot.waitUntil(lambda: not panel.cutout.pixmap().isNull())
    panel.show_item(panel.item)  # the same item shown again (after a confirm, say): its pictures stay
    assert not panel.cutout.pixmap().isNull()


def test_the_status_bar_names_items_as_the_grid_does(qtbot, data_dir, settings, photo_factory, fake_classifier):
    from tests.gui.test_review import _closet

    window, items = _closet(qtbot, data_dir, settings, photo_factory, fake_classifier)
    blue1, blue2 = items["blue1.jpg"], items["blue2.jpg"]
    window.review.confirm(blue1.id)
    qtbot.waitUntil(lambda: "confirmed" in window.statusBar().currentMessage())
    confirmed = window.model.items()[window.model.row_of(blue1.id)]
    assert window.statusBar().currentMessage() == f"“{confirmed.label}” confirmed as pants (kept)"
    window.set_category(blue2.id, "jeans")
    qtbot.waitUntil(lambda: "set to jeans" in window.statusBar().currentMessage())
    corrected = window.model.items()[window.model.row_of(blue2.id)]
    assert window.statusBar().currentMessage() == f"“{corrected.label}” set to jeans (kept)"
    assert f"item {blue2.id}" not in window.statusBar().currentMessage().lower()
    window.close()
