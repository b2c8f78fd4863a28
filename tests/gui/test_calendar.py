"""The Calendar tab: the month shows worn and planned outfits as thumbnails; plan, wear, move and delete."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QImage

from tests.gui.conftest import wait_for_import

COLOURS = [(30, 30, 210), (200, 60, 20), (40, 40, 40)]


@pytest.fixture
def calendar(qtbot, window, photo_factory):
    """The Calendar tab of a window with a shirt, jeans and sneakers; yesterday worn, tomorrow planned."""
    if getattr(window, "calendar_view", None) is None:
        pytest.skip("the services have no diary yet")
    for n, (category, shape) in enumerate((("shirt", "shirt"), ("jeans", "pants"), ("sneakers", "shoe"))):
        window.last_summary = None
        window.add_paths([str(photo_factory(f"{category}.jpg", colour_bgr=COLOURS[n], seed=n, shape=shape))], category)
        wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    ids = [i.id for i in window.model.items()]
    wardrobe = window.session.wardrobe
    wardrobe.wear(ids, "casual", date.today() - timedelta(days=1))
    wardrobe.plan(date.today() + timedelta(days=1), "work", item_ids=ids)
    view = window.calendar_view
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        window.tabs.setCurrentWidget(view)
    return window, view, ids


def select(qtbot, view, day: date) -> None:
    with qtbot.waitSignal(view.refreshed, timeout=20000, raising=False):
        view.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
    view.show_day()


def grab(view) -> np.ndarray:
    image = view.calendar.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()  # own the pixels


def test_month_shows_worn_and_planned_days(qtbot, calendar) -> None:
    window, view, ids = calendar
    yesterday, tomorrow = date.today() - timedelta(days=1), date.today() + timedelta(days=1)
    select(qtbot, view, yesterday)
    assert view.day_list.count() == 1 and view.day_list.item(0).text().startswith("worn · casual")
    assert not view.wore_button.isEnabled() and not view.plan_button.isEnabled()  # worn; the past is not planned
    select(qtbot, view, tomorrow)
    assert view.day_list.item(0).text().startswith("planned · work")
    assert not view.wore_button.isEnabled()  # a plan for tomorrow is not worn yet
    assert view.calendar.shown_entry(tomorrow).item_ids == tuple(ids)

    # the cells are drawn with the thumbnails: the grid with the diary differs from the same grid without it
    qtbot.waitUntil(lambda: not window.thumbnails._loading, timeout=10000)
    with_diary = grab(view)
    entries = view.calendar.by_day
    view.calendar.by_day = {}
    view.calendar.updateCells()
    without = grab(view)
    view.calendar.by_day = entries
    changed = np.abs(with_diary.astype(int) - without.astype(int)).sum(axis=2) > 60
    assert changed.sum() > 400
    # the shirt's red (BGR 30, 30, 210) is drawn in yesterday's cell
    red = (with_diary[..., 0] > 150) & (with_diary[..., 1] < 90) & (with_diary[..., 2] < 90)
    assert red.sum() > 50


def test_plan_wear_move_and_delete_from_the_calendar(qtbot, calendar) -> None:
    window, view, _ids = calendar
    wardrobe = window.session.wardrobe
    today = date.today()
    select(qtbot, view, today)
    assert view.plan_button.isEnabled() and view.day_list.count() == 0
    view.occasion.setCurrentText("casual")
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.plan_button.click()
    planned = wardrobe.diary(today, today)
    assert len(planned) == 1 and planned[0].planned and planned[0].occasion == "casual"
    assert view.day_list.count() == 1 and view.wore_button.isEnabled()

    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.wore_button.click()
    assert not wardrobe.diary(today, today)[0].planned  # the plan became the day's entry

    later = today + timedelta(days=5)
    view.move_date.setDate(QDate(later.year, later.month, later.day))
    shown = view.move_date.text()  # a date a person reads at a glance, whatever the locale: "Tue 1 Dec 2026"
    assert str(later.year) in shown and QLocale().monthName(later.month, QLocale.FormatType.ShortFormat) in shown
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.move_button.click()
    assert wardrobe.diary(today, today) == [] and len(wardrobe.diary(later, later)) == 1

    select(qtbot, view, later)
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.delete_button.click()
    assert wardrobe.diary(later, later) == []
    assert view.day_list.count() == 0
