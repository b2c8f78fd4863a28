"""What a new user walking through the window ran into: each test drives the real window the way a person would."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QPushButton


def press_return_on_the_question(qtbot, seen: list[str]) -> None:
    """When the next message box shows, note its default button and press Enter on it, as a hurried user would."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        default = box.defaultButton()
        seen.append(box.standardButton(default).name if default is not None else "none")
        QTest.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(50, answer)


def test_enter_on_empty_trash_keeps_the_trash(qtbot, window, photo_factory) -> None:
    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    wardrobe.remove(item.id)
    window.editing.open_trash()
    dialog = window.editing.dialog
    qtbot.waitUntil(lambda: len(dialog.items) == 1, timeout=20000)
    seen: list[str] = []
    press_return_on_the_question(qtbot, seen)
    dialog.empty_button.click()
    assert seen == ["No"]  # deleting for good is never what Enter does
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert [i.id for i in wardrobe.trash()] == [item.id]
    dialog.accept()


def test_enter_on_restore_closet_keeps_the_closet(qtbot, window, photo_factory, tmp_path, monkeypatch) -> None:
    wardrobe = window.session.wardrobe
    archive = wardrobe.export(tmp_path / "empty.zip")  # an archive of the empty closet
    kept = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(archive), ""))
    seen: list[str] = []
    press_return_on_the_question(qtbot, seen)
    window.restore_action.trigger()
    assert seen == ["No"]
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert [i.id for i in wardrobe.items()] == [kept.id]  # Enter did not replace the closet by the archive's


def test_undo_of_wore_it_takes_the_day_off_the_diary(qtbot, window) -> None:
    from tests.unit.services.drawn_closet import draw

    draw(window.session.wardrobe, [("shirt", "white"), ("t-shirt", "red"), ("jeans", "blue"), ("sneakers", "white")])
    window.reload()
    board = window.board
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        window.tabs.setCurrentWidget(board)
    card = board.cards[0]
    card.setFocus()
    QTest.keyClick(card, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: card.feedback_id is not None, timeout=20000)
    assert len(window.session.wardrobe.diary()) == 1
    QTest.keyClick(card, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: card.saved_kind is None and not window.worker.busy, timeout=20000)
    assert window.session.wardrobe.diary() == []  # undone means not worn: the calendar and stats agree
    assert "diary" in window.statusBar().currentMessage() and "feedback" not in window.statusBar().currentMessage()


def test_shop_for_this_from_the_closet_shows_the_matches(qtbot, window, photo_factory) -> None:
    folder = photo_factory("shop/a.jpg", colour_bgr=(30, 30, 200), seed=1).parent
    photo_factory("shop/b.jpg", colour_bgr=(200, 60, 20), seed=2, shape="pants")
    window.session.wardrobe.import_catalogue("myshop", str(folder))
    mine = window.session.wardrobe.add_photo(photo_factory("mine.jpg", colour_bgr=(30, 30, 200), seed=7), "shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.closet.select_item(mine.id)
    shop, _similar = window.panel.shop_buttons
    qtbot.mouseClick(shop, Qt.MouseButton.LeftButton)  # from the Closet tab: the Shop tab shows and lists first
    assert window.tabs.currentWidget() is window.shop_view
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert window.shop_view.title.text().startswith("Products like")  # not overwritten by the catalogue's list
    window.shop_view.catalogues.setCurrentRow(-1)
    window.shop_view.catalogues.setCurrentRow(0)  # picking a catalogue lists it again
    qtbot.waitUntil(lambda: window.shop_view.title.text() == "myshop: 2 products", timeout=20000)


def test_a_change_waiting_for_another_program_says_so(qtbot, window, photo_factory) -> None:
    from wardrobe_app.db.closet_lock import ClosetLock

    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.resize(1024, 640)
    window.closet.select_item(item.id)
    window.closet.grid.setFocus()
    with ClosetLock(wardrobe.data_dir).writing("importing photos (wardrobe add)"):  # another program writes
        QTest.keyClick(window.closet.grid, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: "another window or command" in window.statusBar().currentMessage(), timeout=10000)
        assert window.worker.busy
        bar = window.statusBar()  # the whole notice shows beside the classifier and review labels of a small window
        beside = min(w.x() for w in (window.classifier_label, window.review.count_label) if w.isVisible())
        assert bar.fontMetrics().horizontalAdvance(bar.currentMessage()) < beside
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert window.statusBar().currentMessage().startswith("Moved")  # the wait notice gave way to the outcome
    assert [i.id for i in wardrobe.trash()] == [item.id]


def test_one_item_is_not_one_items(qtbot, window, photo_factory) -> None:
    window.session.wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    assert window.closet.count_label.text() == "1 item"
    window.closet.search.setText("nothing like it")
    assert window.closet.count_label.text() == "0 of 1 item"


def test_the_model_tab_counts_a_rating_made_on_the_board(qtbot, window) -> None:
    from tests.unit.services.drawn_closet import draw

    draw(window.session.wardrobe, [("shirt", "white"), ("t-shirt", "red"), ("jeans", "blue"), ("sneakers", "white")])
    window.reload()
    board = window.board
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        window.tabs.setCurrentWidget(board)
    qtbot.waitUntil(lambda: window.model_view.facts is not None and not window.worker.busy, timeout=20000)
    assert window.model_view.facts.ranker["ratings so far"] == 0
    card = board.cards[0]
    card.setFocus()
    QTest.keyClick(card, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: card.feedback_id is not None and not window.worker.busy, timeout=20000)
    window.tabs.setCurrentWidget(window.model_view)
    qtbot.waitUntil(lambda: window.model_view.facts.ranker["ratings so far"] == 1, timeout=5000)
    assert "1 / 0 / 0" in window.model_view.ranker_label.text()


def test_the_item_panel_fits_a_small_window(qtbot, window, photo_factory) -> None:
    import dataclasses

    added = window.session.wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1))
    item = dataclasses.replace(
        added, category="outwear", confidence=0.59, classifier_version="garment_classifier/1.0.0"
    )
    window.resize(1024, 640)
    window.tabs.setCurrentIndex(0)
    panel = window.panel
    panel.show_item(item)
    qtbot.waitUntil(lambda: panel.confidence_label.text().startswith("59% confident"), timeout=5000)
    qtbot.wait(50)
    assert panel.minimumSizeHint().width() <= panel.width()  # nothing is laid out wider than the panel and clipped
    for label in (panel.confidence_label, panel.details_label):
        assert label.geometry().right() <= panel.width()
        assert label.height() >= label.heightForWidth(label.width())  # every line shows, none under the buttons


def test_tab_leaves_the_model_tabs_tables(qtbot, window) -> None:
    view = window.model_view
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.facts is not None and not window.worker.busy, timeout=20000)
    view.table.setRowCount(max(view.table.rowCount(), 2))  # a keyboard trap shows with any rows
    view.table.setFocus()
    view.table.setCurrentCell(0, 0)
    QTest.keyClick(view.table, Qt.Key.Key_Tab)
    assert not view.table.hasFocus()  # Tab goes on to the next control; arrows still move between cells


def test_the_trash_by_keyboard_enter_restores_the_newest(qtbot, window, photo_factory) -> None:
    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    wardrobe.remove(item.id)
    window.editing.open_trash()
    dialog = window.editing.dialog
    qtbot.waitUntil(lambda: len(dialog.items) == 1, timeout=20000)
    assert QApplication.focusWidget() is dialog.list and dialog.list.currentRow() == 0  # on the newest
    QTest.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.worker.busy and dialog.items == [], timeout=20000)
    assert wardrobe.trash() == [] and [i.id for i in wardrobe.items()] == [item.id]
    dialog.accept()


def test_the_import_summary_leads_to_the_review_queue(qtbot, data_dir, settings, photo_factory, fake_classifier):
    from tests.gui.conftest import open_window, wait_for_import

    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)
    photos = [
        photo_factory("red.jpg", colour_bgr=(30, 30, 210), seed=1),
        photo_factory("blue.jpg", colour_bgr=(200, 60, 20), seed=2, shape="pants"),  # an unsure guess
    ]
    window.add_paths([str(p) for p in photos])
    wait_for_import(qtbot, window)
    summary = window.last_summary
    assert "1 need a category check" in summary.text.text()
    check = summary.findChild(QPushButton, "checkNow")
    assert check is not None  # the summary says there is something to check: it offers the way there
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert not summary.isVisible()
    chosen = window.closet.selected_item()
    assert chosen is not None and chosen.to_review and chosen.source_name == "blue.jpg"
    # the keyboard goes on from the grid: C confirms, N goes to the next
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.closet.grid, timeout=5000)
    QTest.keyClick(window.closet.grid, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: window.session.wardrobe.item(chosen.id).confirmed, timeout=20000)
    window.close()


def test_clean_out_of_an_empty_closet_says_it_is_empty(qtbot, window) -> None:
    window.cleanout_action.trigger()
    dialog = window.cleanout_dialog
    qtbot.waitUntil(lambda: "Looking" not in dialog.summary.text() and not window.worker.busy, timeout=20000)
    assert "empty" in dialog.summary.text() and "every item" not in dialog.summary.text()
    dialog.reject()


def test_arrows_and_wheel_on_the_closed_category_box_change_nothing(qtbot, window, photo_factory) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.closet.select_item(item.id)
    box = window.panel.category_box
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Down)  # opens the list to pick from; saves nothing
    assert box.view().isVisible()
    box.hidePopup()
    centre = QPointF(box.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(box.mapToGlobal(box.rect().center())),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(box, wheel)  # scrolling the panel past the box
    qtbot.wait(100)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert box.currentData() == "t-shirt"
    assert wardrobe.item(item.id).category == "t-shirt" and not wardrobe.item(item.id).confirmed


def test_add_photos_opens_where_the_last_photos_came_from(qtbot, window, photo_factory, monkeypatch) -> None:
    photo = photo_factory("shoots/red.jpg", colour_bgr=(0, 0, 200), seed=1)
    opened_in: list[str] = []

    def pick(_parent: object, _title: str, folder: str, _filter: str) -> tuple[list[str], str]:
        opened_in.append(folder)
        return ([str(photo)] if len(opened_in) == 1 else []), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", pick)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # Ctrl+O
    qtbot.waitUntil(lambda: window.import_job is None and window.last_summary is not None, timeout=30000)
    window.last_summary.accept()
    window.add_action.trigger()
    assert len(opened_in) == 2 and opened_in[1] == str(photo.parent)  # not the home folder again


def test_tab_leaves_the_notes_of_the_item_editor(qtbot, window, photo_factory) -> None:
    item = window.session.wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.closet.select_item(item.id)
    window.closet.grid.setFocus()
    QTest.keyClick(window.closet.grid, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Edit item… (Ctrl+E)
    dialog = window.editing.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.notes_edit.setFocus()
    QTest.keyClicks(dialog.notes_edit, "hand wash")
    QTest.keyClick(dialog.notes_edit, Qt.Key.Key_Tab)
    assert not dialog.notes_edit.hasFocus() and dialog.notes_edit.toPlainText() == "hand wash"
    dialog.reject()


def test_the_calendar_names_occasions_as_the_outfits_tab_does(qtbot, window) -> None:
    board, calendar = window.board, window.calendar_view
    qtbot.waitUntil(lambda: board.occasion_box.count() > 0 and not window.worker.busy, timeout=20000)
    on_board = [board.occasion_box.itemText(i) for i in range(board.occasion_box.count())]
    assert [calendar.occasion.itemText(i) for i in range(calendar.occasion.count())] == on_board  # "Casual", …
    assert calendar.occasion.itemData(0) == board.occasion_box.itemData(0) == "casual"  # what is saved


def test_the_empty_closet_offers_to_add_a_folder(qtbot, window, photo_factory, monkeypatch) -> None:
    folder = photo_factory("holiday/red.jpg", colour_bgr=(0, 0, 200), seed=1).parent
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(folder))
    button = window.closet.findChild(QPushButton, "emptyFolderButton")
    assert button is not None and button.isVisible()  # beside "Add photos…", on the first start
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_job is None and window.last_summary is not None, timeout=30000)
    assert window.model.rowCount() == 1
    window.last_summary.accept()


def test_the_review_menu_shows_only_the_items_to_review(qtbot, data_dir, settings, photo_factory, fake_classifier):
    from tests.gui.conftest import open_window, wait_for_import

    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)
    photos = [
        photo_factory("red.jpg", colour_bgr=(30, 30, 210), seed=1),
        photo_factory("blue.jpg", colour_bgr=(200, 60, 20), seed=2, shape="pants"),  # an unsure guess
    ]
    window.add_paths([str(p) for p in photos])
    wait_for_import(qtbot, window)
    window.last_summary.accept()
    window.tabs.setCurrentWidget(window.board)
    menu = window.findChild(QMenu, "reviewMenu")
    only = next(a for a in menu.actions() if a.text() == "Show only the items to review")
    only.trigger()
    assert window.tabs.currentWidget() is window.splitter and window.closet.review_box.isChecked()
    assert [i.source_name for i in window.closet.visible_items()] == ["blue.jpg"]
    window.closet.review_box.click()  # the check box and the menu entry stay one
    assert not only.isChecked() and len(window.closet.visible_items()) == 2
    window.close()


def test_after_restoring_a_backup_ctrl_z_has_nothing_stale_to_undo(
    qtbot, window, photo_factory, tmp_path, monkeypatch, say_yes
) -> None:
    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    archive = wardrobe.export(tmp_path / "backup.zip")  # the item is in the backup
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.remove_item(item.id)
    qtbot.waitUntil(lambda: window.editing.undo_action.isEnabled(), timeout=20000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(archive), ""))
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: not window.worker.busy and window.model.rowCount() == 1, timeout=30000)
    assert not window.editing.undo_action.isEnabled()  # the removal it offered to undo is not there any more
    window.closet.grid.setFocus()
    QTest.keyClick(window.closet.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert window.findChild(QMessageBox, "errorDialog") is None
