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
