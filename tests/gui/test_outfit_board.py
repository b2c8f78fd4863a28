"""The outfit board: cards for an occasion, like / dislike / wore it saved at once, lock and regenerate, retrain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from tests.gui.conftest import wait_for_import
from tests.unit.services.drawn_closet import draw

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
    assert "Shoes" in card.findChild(object, "outfitPieces").text()  # every piece is named
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
    assert "feedback" not in card.feedback_row.text()  # the card says what happened, not the row's number
    assert f"feedback {rows[0][0]}" in card.feedback_row.toolTip()
    second = board.cards[1]
    second.dislike_button.click()
    qtbot.waitUntil(lambda: second.saved_kind == "dislike")
    second.wore_button.click()
    qtbot.waitUntil(lambda: second.saved_kind == "wore")
    assert [r[3] for r in feedback_rows(dressed)] == ["like", "wore"]  # the latest rating of an outfit wins
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


def test_ratings_retrain_the_ranker_in_the_background(qtbot, dressed) -> None:
    board = open_board(qtbot, dressed)
    with qtbot.waitSignal(board.ranker_retrained, timeout=60000):
        for n in range(5):
            card = board.cards[n % len(board.cards)]
            card.like_button.click() if n % 2 == 0 else card.dislike_button.click()
            qtbot.waitUntil(lambda c=card: c.saved_kind is not None and c.like_button.isEnabled(), timeout=60000)
    qtbot.waitUntil(lambda: "learnt from your ratings" in dressed.statusBar().currentMessage())
    with qtbot.waitSignal(dressed.model_view.shown, timeout=30000):
        dressed.model_view.refresh()
    assert "personal v1" in dressed.model_view.ranker_label.text()


@pytest.fixture
def drawn(qtbot, window):
    """The window on a closet of 20 drawn items (no photos): enough outfits for several boards."""
    if window.board is None:
        pytest.skip("the services have no suggest() yet")
    draw(
        window.session.wardrobe,
        [
            ("shirt", "white"),
            ("shirt", "blue"),
            ("t-shirt", "black"),
            ("t-shirt", "red"),
            ("longsleeve", "grey"),
            ("blouse", "pink"),
            ("jacket", "brown"),
            ("cardigan", "beige"),
            ("trousers", "navy"),
            ("jeans", "blue"),
            ("chinos", "beige"),
            ("trousers", "black"),
            ("skirt", "black"),
            ("dress", "black"),
            ("sneakers", "white"),
            ("boots", "brown"),
            ("loafers", "brown"),
            ("formal shoes", "black"),
            ("hat", "beige"),
            ("scarf", "red"),
        ],
    )
    window.board.k = 4
    return window


def test_the_board_stays_still_until_every_card_is_rated(qtbot, drawn) -> None:
    board = open_board(qtbot, drawn)
    cards = list(board.cards)
    assert len(cards) == 4
    first = [c.outfit.item_ids for c in cards]
    for card in cards[:-1]:
        card.like_button.click()
        qtbot.waitUntil(lambda c=card: c.saved_kind == "like" and c.like_button.isEnabled(), timeout=30000)
        assert board.cards == cards  # rating does not replace the board under the cursor
    assert "Liked" in cards[0].feedback_row.text() and cards[0].undo_button.isVisible()
    for at in range(3):
        board.move_focus(at, Qt.Key.Key_Right)  # to the last card
    assert board.current == 3
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        qtbot.keyClick(board, Qt.Key.Key_D)  # the last one rated: the next page comes
    assert board.cards and not {c.outfit.item_ids for c in board.cards} & set(first)
    assert board.current == min(3, len(board.cards) - 1)  # the focus keeps its place


def test_f5_pages_to_different_outfits(qtbot, drawn) -> None:
    board = open_board(qtbot, drawn)
    seen = {c.outfit.item_ids for c in board.cards}
    for _ in range(2):
        with qtbot.waitSignal(board.refreshed, timeout=30000):
            qtbot.keyClick(board.suggest_button, Qt.Key.Key_Space)
        page = {c.outfit.item_ids for c in board.cards}
        assert page and not page & seen
        seen |= page
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        board.occasion_box.setCurrentIndex(board.occasion_box.findData("work"))  # a new occasion starts again
    assert board.shown == [c.outfit for c in board.cards]


def test_undo_a_rating(qtbot, drawn) -> None:
    board = open_board(qtbot, drawn)
    card = board.cards[1]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: card.saved_kind == "dislike" and card.undo_button.isVisible(), timeout=30000)
    assert len(feedback_rows(drawn)) == 1
    card.undo_button.click()
    qtbot.waitUntil(lambda: card.saved_kind is None, timeout=30000)
    assert feedback_rows(drawn) == [] and not card.undo_button.isVisible()


def test_arrows_move_between_cards_and_keys_act_on_the_focused_one(qtbot, drawn) -> None:
    board = open_board(qtbot, drawn)
    qtbot.keyClick(board.cards[0], Qt.Key.Key_Right)
    assert board.current == 1
    qtbot.keyClick(board.cards[1], Qt.Key.Key_Left)
    assert board.current == 0
    qtbot.keyClick(board.cards[0], Qt.Key.Key_Right)
    qtbot.keyClick(board, Qt.Key.Key_W)  # acts on the current card
    qtbot.waitUntil(lambda: board.cards[1].saved_kind == "wore", timeout=30000)
    assert board.cards[0].saved_kind is None


def test_weather_on_the_board(qtbot, drawn, settings) -> None:
    board = open_board(qtbot, drawn)
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        board.weather_box.setCurrentIndex(board.weather_box.findData("cold"))
    assert board.weather == "cold" and settings.value("board/weather") == "cold"
    assert all(c.outfit.layer is not None or c.outfit.full is not None for c in board.cards[:2])
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        board.weather_box.setCurrentIndex(board.weather_box.findData("hot"))
    wardrobe = drawn.session.wardrobe
    boots = {i.id for i in wardrobe.items() if i.category == "boots"}
    assert board.cards and not any(c.outfit.bottom in boots for c in board.cards)


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


def test_hemisphere_on_the_board_is_kept_with_the_closet(qtbot, drawn, data_dir, settings) -> None:
    from tests.gui.conftest import open_window

    board = open_board(qtbot, drawn)
    qtbot.waitUntil(board.hemisphere_box.isEnabled, timeout=30000)
    assert board.hemisphere == "north"
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        board.hemisphere_box.setCurrentIndex(board.hemisphere_box.findData("south"))
    assert drawn.session.wardrobe.outfit_settings()["hemisphere"] == "south"
    assert "now" in board.hemisphere_box.toolTip()
    drawn.close()
    again = open_window(qtbot, data_dir, settings)
    board = again.board
    again.tabs.setCurrentWidget(board)
    qtbot.waitUntil(board.hemisphere_box.isEnabled, timeout=30000)
    assert board.hemisphere == "south"
    again.close()


def test_after_some_ratings_the_board_adds_a_labelled_exploration_card(qtbot, drawn) -> None:
    from wardrobe_app.recommend.explore import EXPLORE_AFTER, EXPLORE_REASON

    board = open_board(qtbot, drawn)
    assert not any(c.outfit.explore for c in board.cards)  # nothing rated yet: no exploration
    for _ in range(EXPLORE_AFTER):
        unrated = [c for c in board.cards if c.saved_kind is None]
        if len(unrated) == 1:  # the page's last card: the next page comes
            with qtbot.waitSignal(board.refreshed, timeout=30000):
                unrated[0].dislike_button.click()
            continue
        unrated[0].dislike_button.click()
        qtbot.waitUntil(lambda c=unrated[0]: c.saved_kind == "dislike" and c.like_button.isEnabled(), timeout=30000)
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        qtbot.keyClick(board.suggest_button, Qt.Key.Key_Space)
    *best, card = board.cards
    assert len(best) == board.k and not any(c.outfit.explore for c in best)
    assert card.outfit.explore
    assert "something different" in card.findChild(object, "outfitScore").text()
    assert EXPLORE_REASON in card.findChild(object, "outfitReasons").text()
    # rating the k best pages on: the "something different" card may stay unrated
    for best_card in best[:-1]:
        best_card.dislike_button.click()
        qtbot.waitUntil(lambda c=best_card: c.saved_kind == "dislike" and c.like_button.isEnabled(), timeout=30000)
    with qtbot.waitSignal(board.refreshed, timeout=30000):
        best[-1].dislike_button.click()
