"""Render the Calendar tab (11-calendar.png) from a small closet of the shared clothing photos and a month of diary.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_calendar_screenshot.py [--photos DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication

from docs.screenshots.make_screenshots import SIZE, save, wait
from wardrobe_app.domain.diary import EntryKind
from wardrobe_app.ui.main_window import MainWindow

PER_CATEGORY = {"t-shirt": 3, "shirt": 2, "longsleeve": 2, "pants": 3, "skirt": 1, "dress": 2, "shoes": 3}
OCCASIONS = ("work", "casual", "work", "work", "date", "casual", "sport")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=Path, default=Path("/work/shared/datasets/clothing-small/test"))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        window = MainWindow(work / "closet", classifier="none",
                            settings=QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
        window.resize(SIZE)
        window.show()
        window.start()
        wait(app, lambda: window.classifier_state != "loading" and not window.worker.busy)
        for category, n in PER_CATEGORY.items():
            photos = sorted((args.photos / category).glob("*.jpg"))[:n]
            window.last_summary = None
            window.add_paths([str(p) for p in photos], "pants" if category == "pants" else category)
            wait(app, lambda: window.import_job is None and window.last_summary is not None, settle=False)
        wait(app, lambda: not window.worker.busy)
        wardrobe = window.session.wardrobe
        slots: dict[str, list[int]] = {}
        for item in wardrobe.items():
            slots.setdefault(item.group.value if item.group else "top", []).append(item.id)
        today = date.today()
        diary = wardrobe._diary()
        first = today.replace(day=1)
        for n, day in enumerate(first + timedelta(days=k) for k in range((today - first).days)):
            if n % 6 == 5:
                continue  # a day or two without a log, as in life
            shoes = slots["bottom"][n % len(slots["bottom"])]
            outfit = [slots["full"][n % len(slots["full"])]] if n % 4 == 3 else [
                slots["top"][n % len(slots["top"])], slots["middle"][(n // 2) % len(slots["middle"])]]
            diary.record([*outfit, shoes], day, OCCASIONS[n % len(OCCASIONS)], EntryKind.WORN)
        for k, occasion in enumerate(("work", "work", "date"), start=1):
            wardrobe.plan(today + timedelta(days=k), occasion)
        view = window.calendar_view
        window.tabs.setCurrentWidget(view)
        view.calendar.setSelectedDate(QDate(today.year, today.month, today.day).addDays(1))
        view.refresh()
        wait(app, lambda: not window.worker.busy and not window.thumbnails._loading)
        view.show_day()
        wait(app, lambda: True)
        save(window, "11-calendar.png")
        window.close()


if __name__ == "__main__":
    main()
