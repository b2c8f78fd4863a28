"""What a new user sees first: empty tabs say what to do, menus in the usual order with their keys."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence


def test_empty_outfit_board_says_what_to_do(qtbot, window) -> None:
    board = window.board
    window.tabs.setCurrentWidget(board)
    qtbot.waitUntil(lambda: "No outfits yet" in board.message.text(), timeout=20000)
    text = board.message.text()
    assert "Cannot make an outfit" in text  # a sentence, not an error message's lower-case start
    assert "Add photos" in text and "Ctrl+O" in text
    assert "&nbsp;undo" in board.keys_hint.text()  # a wrapped hint never leaves "U" on one line and "undo" below


def test_menus_in_the_usual_order_with_their_keys(window) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "&Closet" and titles[-1] == "&Help"
    assert "Closet &life" in titles
    actions = {a.objectName(): a for a in window.findChildren(type(window.add_action))}
    assert actions["quit"].shortcut() == QKeySequence("Ctrl+Q")
    assert actions["addPhotos"].shortcut().toString()  # Ctrl+O on every platform
