"""Render the app's views to PNG (offscreen) from a closet built out of the shared clothing photos.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py [--photos DIR] [--only FILE ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from wardrobe_app.ui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
PER_CATEGORY = {
    "t-shirt": 4,
    "shirt": 3,
    "longsleeve": 10,
    "outwear": 2,
    "pants": 5,
    "shorts": 2,
    "skirt": 2,
    "dress": 3,
    "shoes": 5,
    "hat": 1,
}
SIZE = QSize(1360, 860)
LIMIT = 290 * 1024
#: Files to write (all unless --only names some).
ONLY: set[str] = set()


def wait(app: QApplication, until: object, timeout: float = 120.0, settle: bool = True) -> None:
    end = time.time() + timeout
    while not until() and time.time() < end:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.01)
    for _ in range(30 if settle else 0):
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, name: str) -> None:
    if ONLY and name not in ONLY:
        return
    path = HERE / name
    widget.grab().save(str(path), "PNG", 6)
    if path.stat().st_size > LIMIT:  # photos make big PNGs: an adaptive 256-colour palette keeps them small
        from PIL import Image

        with Image.open(path) as image:
            image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


def open_window(app: QApplication, data: Path, work: Path) -> MainWindow:
    window = MainWindow(data, classifier="auto", settings=QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
    window.resize(SIZE)
    window.show()
    window.start()
    wait(app, lambda: window.classifier_state != "loading" and not window.worker.busy)
    return window


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=Path, default=Path("/work/shared/datasets/clothing-small/test"))
    parser.add_argument("--only", nargs="+", default=[], metavar="FILE", help="write only these screenshots")
    args = parser.parse_args()
    ONLY.update(args.only)
    app = QApplication(sys.argv[:1])
    app.setFont(QFont("DejaVu Sans", 9))
    work = Path(tempfile.mkdtemp(prefix="wardrobe-shots-"))

    empty = open_window(app, work / "empty", work)
    save(empty, "01-empty-closet.png")
    empty.close()

    window = open_window(app, work / "closet", work)
    picked = work / "picked"
    for category, count in PER_CATEGORY.items():
        (picked / category).mkdir(parents=True)
        for photo in sorted((args.photos / category).glob("*.jpg"))[:count]:
            shutil.copy(photo, picked / category / photo.name)
    for category in PER_CATEGORY:
        window.last_summary = None
        window.add_paths([str(picked / category)], category)
        if category == "longsleeve":
            wait(app, lambda: window.import_progress.bar.value() >= 4 and window.model.rowCount() >= 10, settle=False)
            save(window, "02-adding-photos.png")
        wait(app, lambda: window.import_job is None and not window.worker.busy)
        window.last_summary.close()
    broken = work / "broken"
    broken.mkdir()
    (broken / "empty.jpg").write_bytes(b"")
    (broken / "notes.jpg").write_text("not a photo")
    shutil.copy(next((picked / "shirt").glob("*.jpg")), broken / "shirt-again.jpg")
    window.add_paths([str(broken)])
    wait(app, lambda: window.import_job is None and not window.worker.busy)
    save(window.last_summary, "03-import-summary.png")
    window.last_summary.close()

    wait(app, lambda: window.model.rowCount() >= 30)
    items = window.model.items()
    window.closet.select_item(next(i.id for i in items if i.category == "pants"))
    wait(app, lambda: window.panel.cutout.pixmap() is not None and not window.panel.cutout.pixmap().isNull())
    save(window, "04-closet.png")
    window.closet.set_filters(group="bottom")
    wait(app, lambda: False, 0.3)
    save(window, "05-closet-filtered.png")
    window.closet.set_filters()

    # the review queue: photos added without a category, the classifier's unsure guesses badged and filtered
    unlabelled = work / "unlabelled"
    unlabelled.mkdir()
    for category, count in PER_CATEGORY.items():
        for photo in sorted((args.photos / category).glob("*.jpg"))[count:count + 2]:
            shutil.copy(photo, unlabelled / photo.name)
    window.last_summary = None
    window.add_paths([str(unlabelled)])
    wait(app, lambda: window.import_job is None and not window.worker.busy)
    window.last_summary.close()
    wait(app, lambda: window.model.review_count() > 0, 10.0)
    window.closet.set_filters(review=True)
    window.review.next_to_review()
    wait(app, lambda: window.panel.cutout.pixmap() is not None and not window.panel.cutout.pixmap().isNull())
    save(window, "10-review-queue.png")
    window.closet.set_filters()

    if window.board is not None:
        window.board.occasion_box.setCurrentIndex(max(0, window.board.occasion_box.findData("casual")))
        window.tabs.setCurrentWidget(window.board)
        wait(app, lambda: bool(window.board.cards))
        card = window.board.cards[0]
        card.like_button.click()
        wait(app, lambda: "saved" in card.feedback_row.text())
        card.setFocus()
        save(window, "06-outfit-board.png")
        top = card.outfit.top or card.outfit.full
        slot = "top" if card.outfit.top else "full"
        window.board.lock(slot, top)
        wait(app, lambda: "Keeping" in window.board.focus_label.text() and window.board.suggest_button.isEnabled())
        save(window, "07-outfit-locked.png")

    if window.similar_view is not None:
        window.tabs.setCurrentWidget(window.similar_view)
        query = sorted((args.photos / "pants").glob("*.jpg"))[-1]
        window.similar_view.search_photo(str(query))
        wait(app, lambda: bool(window.similar_view.matches))
        save(window, "08-find-similar.png")

    window.tabs.setCurrentWidget(window.model_view)
    window.model_view.refresh()
    wait(app, lambda: False, 1.0)
    save(window, "09-model.png")
    window.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
