"""The outfit board: cards for an occasion, like / dislike / wore it saved at once, lock and regenerate, retrain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from tests.gui.conftest import wait_for_import

COLOURS = [(30, 30, 210), (200, 60, 20), (40, 40, 40), (230, 230, 230), (40, 160, 40), (20, 120, 200)]


def feedback_rows(window) -> list[tuple]:
    with window.session.wardrobe.session() as session:
        return list(session.execute(text("SELECT id, occasion, rating, source FROM feedback ORDER BY id")).all())


@pytest.fixture
def dressed(qtbot, window, photo_factory):
    """The window with two tops, two pairs of jeans and two pairs of shoes in the closet."""
    if window.board is None:
        pytest.skip("the services have no suggest() yet")
    for n, (category, shape) in enumerate((("shirt", "shirt"), ("jeans", "pants"), ("sneakers", "shoe"))):
        paths = [
            str(photo_factory(f"{category}{i}.jpg", colour_bgr=COLOURS[2 * n + i], seed=10 * n + i, shape=shape))
            for i in range(2)
        ]
        window.last_summary = None
        window.add_paths(paths, category)
        wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6)
    return window


def open_board(qtbot, window):
    board = window.board
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        window.tabs.setCurrentWidget(board)
    return board


def test_board_shows_outfit_cards(qtbot, dressed) -> None:
    board = open_board(qtbot, dressed)
    assert board.cards
    card = board.cards[0]
    assert card.findChild(object, "flatlay").pixmap() is not None
    assert "score" in card.findChild(object, "outfitScore").text()
    assert len(card.outfit.item_ids) == 3
    assert "#1" in card.findChild(object, "outfitScore").text()
    assert card.outfit.reasons and card.outfit.reasons[0] in card.findChild(object, "outfitReasons").text()


def test_like_an_outfit_saves_a_feedback_row(qtbot, dressed) -> None:
    board = open_board(qtbot, dressed)
    card = board.cards[0]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "saved" in card.feedback_row.text())
    assert "Liked" in card.feedback_row.text()
    rows = feedback_rows(dressed)
    assert [(r[1], r[2], r[3]) for r in rows] == [(board.occasion, 1.0, "like")]
    assert f"feedback {rows[0][0]}" in card.feedback_row.text()
    second = board.cards[1]
    second.dislike_button.click()
    qtbot.waitUntil(lambda: second.saved_kind == "dislike")
    second.wore_button.click()
    qtbot.waitUntil(lambda: second.saved_kind == "wore")
    assert [r[3] for r in feedback_rows(dressed)] == ["like", "dislike", "wore"]
    worn = dressed.session.wardrobe.diary()  # "Wore it" writes today's diary entry too
    assert [(e.item_ids, e.occasion, e.planned) for e in worn] == [(second.outfit.item_ids, board.occasion, False)]


def test_lock_an_item_and_regenerate_the_rest(qtbot, dressed) -> None:
    board = open_board(qtbot, dressed)
    card = board.cards[-1]
    top = card.outfit.top
    action = next(a for a in card.lock_button.menu().actions() if a.objectName() == "lock-top")
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        action.trigger()
    assert board.locked == {"top": top}
    assert board.cards and all(c.outfit.top == top for c in board.cards)
    assert board.clear_button.isVisible()
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        board.clear_button.click()
    assert {c.outfit.top for c in board.cards} != {top} or len(board.cards) == 1


def test_build_an_outfit_around_an_item_from_the_closet(qtbot, dressed) -> None:
    shoes = next(i for i in dressed.model.items() if i.category == "sneakers")
    dressed.tabs.setCurrentWidget(dressed.board)
    qtbot.waitSignal(dressed.board.refreshed, timeout=30000).wait()
    with qtbot.waitSignal(dressed.board.refreshed, timeout=30000):
        dressed.closet.build_around_requested.emit(shoes.id)
    assert dressed.tabs.currentWidget() is dressed.board
    assert dressed.board.cards and all(c.outfit.bottom == shoes.id for c in dressed.board.cards)


def test_ratings_retrain_the_ranker_and_the_board_follows(qtbot, dressed) -> None:
    board = open_board(qtbot, dressed)
    with qtbot.waitSignal(board.ranker_retrained, timeout=60000):
        for n in range(5):
            card = board.cards[n % len(board.cards)]
            card.like_button.click() if n % 2 == 0 else card.dislike_button.click()
            qtbot.waitUntil(lambda c=card: c.saved_kind is not None and c.like_button.isEnabled(), timeout=60000)
            card.saved_kind = None
    qtbot.waitUntil(lambda: "learnt from your ratings" in dressed.statusBar().currentMessage())
    qtbot.waitSignal(board.refreshed, timeout=30000).wait() if not board.cards else None
    with qtbot.waitSignal(dressed.model_view.shown, timeout=30000):
        dressed.model_view.refresh()
    assert "personal v1" in dressed.model_view.ranker_label.text()


def test_a_closet_without_shoes_explains_itself(qtbot, window, photo_factory) -> None:
    if window.board is None:
        pytest.skip("the services have no suggest() yet")
    window.add_paths([str(photo_factory("top.jpg", seed=1))], "shirt")
    wait_for_import(qtbot, window)
    board = window.board
    window.tabs.setCurrentWidget(board)
    qtbot.waitUntil(lambda: "No outfits" in board.message.text(), timeout=30000)
    assert not board.cards
    assert window.findChild(object, "errorDialog") is None


def test_the_last_occasion_is_remembered(qtbot, dressed, data_dir, settings) -> None:
    from tests.gui.conftest import open_window

    board = open_board(qtbot, dressed)
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        board.occasion_box.setCurrentIndex(board.occasion_box.findData("work"))
    dressed.close()
    again = open_window(qtbot, data_dir, settings)
    assert again.board.occasion == "work"
    again.close()
