"""What a reviewer of the new-user walkthrough fixes found: undo of "wore it", the Shop tab, the Review menu, ..."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def _counts(wardrobe) -> dict[int, tuple[str, int]]:  # type: ignore[no-untyped-def]
    from wardrobe_app.db.tables import ItemRow

    with wardrobe.sessions() as session:
        return {r.id: (r.status, r.wears_since_wash) for r in session.query(ItemRow)}


def _worn_card(qtbot, window):  # type: ignore[no-untyped-def]
    """A board of a small drawn closet (t-shirts to the laundry after 2 wears) with its first card worn."""
    from tests.unit.services.drawn_closet import draw

    wardrobe = window.session.wardrobe
    draw(wardrobe, [("shirt", "white"), ("t-shirt", "red"), ("jeans", "blue"), ("sneakers", "white")])
    wardrobe.set_laundry_rule("t-shirt", 2)
    wardrobe.set_laundry_rule("shirt", 2)
    window.reload()
    board = window.board
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        window.tabs.setCurrentWidget(board)
    card = board.cards[0]
    card.setFocus()
    before = _counts(wardrobe)
    QTest.keyClick(card, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: card.feedback_id is not None and not window.worker.busy, timeout=20000)
    assert len(wardrobe.diary()) == 1 and _counts(wardrobe) != before
    return card, before


def test_undo_of_wore_it_takes_back_the_wear_counts(qtbot, window) -> None:
    card, before = _worn_card(qtbot, window)
    wardrobe = window.session.wardrobe
    QTest.keyClick(card, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: card.saved_kind is None and not window.worker.busy, timeout=20000)
    assert wardrobe.diary() == [] and _counts(wardrobe) == before  # as if never worn
    shirt = card.outfit.top
    assert wardrobe.wear(card.outfit.item_ids, "casual").to_laundry == ()  # the first real wear is one of two
    assert wardrobe.wear(card.outfit.item_ids, "casual").to_laundry == (shirt,)


def test_undo_of_wore_it_after_the_calendar_deleted_the_day(qtbot, window) -> None:
    card, before = _worn_card(qtbot, window)
    wardrobe = window.session.wardrobe
    errors: list[str] = []
    window.session.error.connect(lambda title, message: errors.append(message))
    wardrobe.delete_entry(wardrobe.diary()[0].id)  # on the Calendar tab
    QTest.keyClick(card, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: card.saved_kind is None and not window.worker.busy, timeout=20000)
    assert errors == [] and card.worn is None and _counts(wardrobe) == before


def test_a_click_on_the_current_catalogue_lists_it_again_after_shop_for_this(qtbot, window, photo_factory) -> None:
    folder = photo_factory("shop/a.jpg", colour_bgr=(30, 30, 200), seed=1).parent
    photo_factory("shop/b.jpg", colour_bgr=(200, 60, 20), seed=2, shape="pants")
    window.session.wardrobe.import_catalogue("myshop", str(folder))
    mine = window.session.wardrobe.add_photo(photo_factory("mine.jpg", colour_bgr=(30, 30, 200), seed=7), "shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.closet.select_item(mine.id)
    qtbot.mouseClick(window.panel.shop_buttons[0], Qt.MouseButton.LeftButton)
    view = window.shop_view
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: not window.worker.busy and view.title.text().startswith("Products like"), timeout=20000)
    listing = view.catalogues
    assert listing.currentRow() == 0  # the only catalogue is already the current one
    QTest.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(listing.item(0)).center()
    )
    qtbot.waitUntil(lambda: view.title.text() == "myshop: 2 products", timeout=20000)


def test_the_review_menu_entry_agrees_with_the_filter_after_next_to_review(
    qtbot, data_dir, settings, photo_factory, fake_classifier
) -> None:
    from tests.gui.conftest import open_window, wait_for_import

    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)
    photos = [
        photo_factory("red.jpg", colour_bgr=(30, 30, 210), seed=1),
        photo_factory("blue.jpg", colour_bgr=(200, 60, 20), seed=2, shape="pants"),  # an unsure guess
    ]
    window.add_paths([str(p) for p in photos])
    wait_for_import(qtbot, window)
    window.last_summary.accept()
    closet = window.closet
    closet.search.setText("red")  # the item to review is hidden by the search
    only = window.review.filter_action
    window.review.next_action.trigger()  # N: the queue shows
    assert closet.review_box.isChecked() and only.isChecked()  # the menu's check mark says so too
    assert [i.source_name for i in closet.visible_items()] == ["blue.jpg"]
    only.trigger()  # the first click on the menu entry shows the whole closet again
    assert not closet.review_box.isChecked() and not only.isChecked()
    closet.search.clear()
    assert len(closet.visible_items()) == 2
    window.close()


def test_an_empty_data_dir_variable_is_unset_for_the_app_too(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtCore import QEvent, QSettings
    from PySide6.QtWidgets import QApplication

    from wardrobe_app.services import data_dir
    from wardrobe_app.ui import app as app_module
    from wardrobe_app.ui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("WARDROBE_DATA_DIR", "")  # as the CLI and the API read it: not set
    monkeypatch.setattr(data_dir, "default_data_dir", lambda: tmp_path / "user data")
    seen: dict[str, object] = {}
    earlier = set(QApplication.topLevelWidgets())
    errors: list[str] = []

    def run_briefly(_app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in earlier)
        window.session.error.connect(lambda _title, message: errors.append(message))
        qtbot.waitUntil(lambda: window.session.wardrobe is not None or bool(errors), timeout=20000)
        seen["data_dir"] = window.session.wardrobe.data_dir if window.session.wardrobe else errors
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", run_briefly)
    monkeypatch.setattr(app_module.signal, "signal", lambda *_a: None)
    assert app_module.main(["--no-classifier"]) == 0
    assert seen["data_dir"] == tmp_path / "user data"  # the user data folder, not "(--data-dir) is empty"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_long_catalogue_import_shows_its_own_progress_not_still_working(qtbot, window, photo_factory) -> None:
    import threading

    from wardrobe_app.ui.busy_notice import STILL_WORKING

    folder = photo_factory("shop/a.jpg", colour_bgr=(30, 30, 200), seed=1).parent
    wardrobe = window.session.wardrobe
    real, gate = wardrobe.import_catalogue, threading.Event()

    def slow_import(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(20)  # a big catalogue: the import takes longer than the notice waits
        return real(*args, **kwargs)

    wardrobe.import_catalogue = slow_import
    window.busy_notice.timer.setInterval(50)
    window.tabs.setCurrentWidget(window.shop_view)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    view = window.shop_view
    view.import_folder("myshop", str(folder))
    qtbot.waitUntil(lambda: window.worker.busy, timeout=5000)
    qtbot.wait(400)  # the notice's timer ran out several times meanwhile
    assert view.progress.isVisible() and window.statusBar().currentMessage() != STILL_WORKING
    gate.set()
    qtbot.waitUntil(lambda: not view.importing and not window.worker.busy, timeout=20000)
    assert "myshop" in view.answer.text()


def test_a_letter_on_the_closed_category_box_opens_the_list_at_it(qtbot, window, photo_factory) -> None:
    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.closet.select_item(item.id)
    box = window.panel.category_box
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_J)  # one key press: the list opens on the first category with a J
    assert box.view().isVisible()
    assert str(box.view().currentIndex().data(Qt.ItemDataRole.UserRole)).startswith("j")
    box.hidePopup()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    assert wardrobe.item(item.id).category == "t-shirt"  # only opened: nothing picked, nothing saved


def test_a_repair_keeps_ctrl_z_for_an_item_still_in_the_trash(qtbot, window, photo_factory) -> None:
    from wardrobe_app.ui.ops import ClosetOp

    wardrobe = window.session.wardrobe
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(0, 0, 200), seed=1), "t-shirt")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20000)
    window.remove_item(item.id)
    qtbot.waitUntil(lambda: window.editing.undo_action.isEnabled(), timeout=20000)
    stray = wardrobe.data_dir / "photos" / "ab" / ("ab" + "0" * 62 + ".jpg")  # a file no item uses: to repair
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left by a crash")
    repaired: list[object] = []
    ClosetOp(window.session, lambda w: w.doctor(repair=True), title="Cannot repair").success(
        repaired.append
    ).run_in_background()  # as Closet > Check the closet… > Repair does
    qtbot.waitUntil(lambda: bool(repaired) and not window.worker.busy, timeout=20000)
    assert repaired[0].repaired and not stray.exists()
    assert window.editing.undo_action.isEnabled()  # the item is still in the trash: Ctrl+Z still brings it back
    window.editing.undo_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.worker.busy, timeout=20000)
    assert wardrobe.trash() == []


def test_undo_after_wore_it_then_a_like_takes_back_the_like(qtbot, window) -> None:
    """Wore it, then Like on the same card (the like replaces the "wore" rating), then Undo: the like goes, the
    day's wear stays in the diary (it was worn); before, Undo looked for the replaced rating and was refused."""
    card, _before = _worn_card(qtbot, window)
    wardrobe = window.session.wardrobe
    errors: list[str] = []
    window.session.error.connect(lambda title, message: errors.append(message))
    card.like_button.click()
    qtbot.waitUntil(lambda: card.saved_kind == "like" and not window.worker.busy, timeout=20000)
    QTest.keyClick(card, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: card.saved_kind is None and not window.worker.busy, timeout=20000)
    assert errors == []
    assert wardrobe.ranker_state().likes == 0 and len(wardrobe.diary()) == 1
