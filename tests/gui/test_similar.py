"""Find similar: a dropped or opened photo lists the closet's nearest items with their distances."""

from __future__ import annotations

import pytest

from tests.gui.conftest import wait_for_import

RED, BLUE, GREEN = (30, 30, 210), (200, 60, 20), (40, 180, 40)


def test_similar_photo_lists_nearest_items(qtbot, window, photo_factory) -> None:
    if window.similar_view is None:
        pytest.skip("the services have no similar() yet")
    photos = [photo_factory(f"c{i}.jpg", colour_bgr=c, seed=i) for i, c in enumerate((RED, BLUE, GREEN))]
    window.add_paths([str(p) for p in photos], "shirt")
    wait_for_import(qtbot, window)
    query = photo_factory("shop.jpg", colour_bgr=(40, 40, 200), seed=9)
    view = window.similar_view
    with qtbot.waitSignal(view.searched, timeout=30000):
        view.search_photo(str(query))
    assert len(view.matches) == 3
    distances = [d for _, d in view.matches]
    assert distances == sorted(distances)
    assert view.matches[0][0].source_name == "c0.jpg"  # the red one
    assert "% match" in view.findChild(object, "matchText").text()


def test_shown_match_goes_with_the_order(qtbot, window, photo_factory) -> None:
    """A nearer item of another kind comes after the query's kind: what each card says agrees with its place."""
    import re

    from wardrobe_app.ui.similar_view import MatchCard

    drawn = (("q.jpg", RED, "shirt"), ("skirt.jpg", RED, "skirt"), ("shirt.jpg", (40, 90, 200), "shirt"))
    for n, (name, colour, kind) in enumerate(drawn):
        window.last_summary = None
        window.add_paths([str(photo_factory(name, colour_bgr=colour, seed=n))], kind)
        wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    query = next(i for i in window.model.items() if i.source_name == "q.jpg")
    with qtbot.waitSignal(window.similar_view.searched, timeout=30000):
        window.closet.similar_requested.emit(query.id)
    view = window.similar_view
    assert [m.item.source_name for m in view.matches] == ["shirt.jpg", "skirt.jpg"]
    assert view.matches[0].distance > view.matches[1].distance  # the skirt looks nearer, yet comes second
    cards = sorted(view.findChildren(MatchCard), key=lambda c: c.x())
    shown = [int(re.search(r"(\d+)% match", c.findChild(object, "matchText").text()).group(1)) for c in cards]
    assert shown[0] > shown[1]
    assert "best match first" in view.status.text()


def test_find_similar_from_the_closet_menu(qtbot, window, photo_factory) -> None:
    if window.similar_view is None:
        pytest.skip("the services have no similar() yet")
    photos = [photo_factory(f"c{i}.jpg", colour_bgr=c, seed=i) for i, c in enumerate((RED, BLUE))]
    window.add_paths([str(p) for p in photos], "shirt")
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    first = window.model.items()[0]
    with qtbot.waitSignal(window.similar_view.searched, timeout=30000):
        window.closet.similar_requested.emit(first.id)
    assert window.tabs.currentWidget() is window.similar_view
    assert [m[0].id for m in window.similar_view.matches] == [window.model.items()[1].id]


def test_drop_a_photo_on_find_similar_searches_without_importing(qtbot, window, photo_factory) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    if window.similar_view is None:
        pytest.skip("the services have no similar() yet")
    window.add_paths([str(photo_factory("c0.jpg", colour_bgr=RED, seed=0))], "shirt")
    wait_for_import(qtbot, window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo_factory("shop.jpg", colour_bgr=RED, seed=7)))])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.similar_view.searched, timeout=30000):
        window.similar_view.dropEvent(event)
    assert len(window.similar_view.matches) == 1
    assert window.session.wardrobe.counts()["all"] == 1  # searched, not added
