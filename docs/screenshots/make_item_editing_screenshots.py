"""Render the item-editing views (12-19) from a small closet of the shared clothing photos.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_item_editing_screenshots.py [--photos DIR]

A dialog is a window of its own, so it is grabbed on its own and painted over the main window's grab.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from docs.screenshots.make_screenshots import HERE, LIMIT, SIZE, wait
from wardrobe_app.ui.main_window import MainWindow
from wardrobe_app.vision.refine import Stroke

PER_CATEGORY = {"t-shirt": 3, "shirt": 2, "pants": 3, "skirt": 1, "dress": 2, "shoes": 3, "hat": 1}


def save_over(window: QWidget, dialog: QWidget | None, name: str) -> None:
    """The window's grab, dimmed, with the dialog's grab centred on it."""
    shot = window.grab()
    if dialog is not None:
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(0, 0, 0, 70))
        top = dialog.grab()
        painter.fillRect(shot.width() // 2 - top.width() // 2 - 1, shot.height() // 2 - top.height() // 2 - 1,
                         top.width() + 2, top.height() + 2, QColor("#777"))  # fmt: skip
        painter.drawPixmap(QPoint(shot.width() // 2 - top.width() // 2, shot.height() // 2 - top.height() // 2), top)
        painter.end()
    _write(shot, name)


def _write(shot: QPixmap, name: str) -> None:
    path = HERE / name
    shot.save(str(path), "PNG", 6)
    if path.stat().st_size > LIMIT:
        from PIL import Image

        with Image.open(path) as image:
            image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=Path, default=Path("/work/shared/datasets/clothing-small/test"))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        window = MainWindow(work / "closet", classifier="none",
                            settings=QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))  # fmt: skip
        window.resize(SIZE)
        window.show()
        window.start()
        wait(app, lambda: window.classifier_state != "loading" and not window.worker.busy)
        for category, n in PER_CATEGORY.items():
            photos = sorted((args.photos / category).glob("*.jpg"))[:n]
            window.last_summary = None
            window.add_paths([str(p) for p in photos], category)
            wait(app, lambda: window.import_job is None and window.last_summary is not None, settle=False)
            window.last_summary.close()
        wait(app, lambda: not window.worker.busy)
        wardrobe = window.session.wardrobe
        pants = wardrobe.items(category="pants")
        details = {"brand": "Levi's", "price": 59.9, "purchased_on": "2025-09-01", "season": "all", "formality": 2}
        wardrobe.update_item(pants[0].id, name="Blue denim trousers", tags=["weekend", "favourite"], **details)
        window.reload()
        wait(app, lambda: not window.worker.busy and not window.thumbnails._loading)

        # 12: the Edit dialog of the jeans
        window.closet.select_item(pants[0].id)
        window.editing.edit(pants[0].id)
        wait(app, lambda: True)
        dialog = window.editing.dialog
        dialog.notes_edit.setPlainText("Hem taken up 2 cm.")
        save_over(window, dialog, "12-edit-item.png")
        dialog.reject()

        # 13: the search understands synonyms ("jeans" finds the denim trousers) ...
        window.closet.set_filters(text="jeans")
        wait(app, lambda: not window.thumbnails._loading)
        save_over(window, None, "13-search-synonyms.png")
        # 14: ... and says when nothing matches
        window.closet.set_filters(text="ballgown")
        wait(app, lambda: True)
        save_over(window, None, "14-search-no-match.png")
        window.closet.set_filters()

        # 15: removed to the trash, Undo offered; the Trash dialog
        for item in wardrobe.items(category="t-shirt")[:2]:
            window.remove_item(item.id)
            wait(app, lambda: not window.worker.busy)
        window.editing.open_trash()
        wait(app, lambda: not window.worker.busy and window.editing.dialog.list.count() == 2)
        save_over(window, window.editing.dialog, "15-trash.png")
        window.editing.dialog.accept()

        # 16: archived items shown with "Show archived"
        shoes = wardrobe.items(category="shoes")[0]
        wardrobe.update_item(shoes.id, archived=True)
        window.closet.archived_box.setChecked(True)
        wait(app, lambda: not window.worker.busy and not window.thumbnails._loading)
        window.closet.select_item(shoes.id)
        wait(app, lambda: True)
        save_over(window, None, "16-show-archived.png")

        # 17-18: Fix cut-out of the trousers, whose automatic cut-out kept a piece of white bedsheet:
        # two "remove" strokes on the sheet (17), applied (18), saved (19: the new thumbnail in the grid)
        window.closet.archived_box.setChecked(False)
        window.closet.select_item(pants[0].id)
        window.editing.fix_cutout(pants[0].id)
        wait(app, lambda: not window.worker.busy and window.editing.dialog is not None
             and window.editing.dialog.objectName() == "cutoutDialog")  # fmt: skip
        fix = window.editing.dialog
        fix.resize(760, 700)
        fix.remove_button.click()
        fix.canvas.add_stroke(Stroke(((70, 110), (90, 180), (70, 260)), 12, keep=False))
        fix.canvas.add_stroke(Stroke(((200, 250), (205, 290)), 6, keep=False))
        wait(app, lambda: True)
        save_over(window, fix, "17-fix-cutout-strokes.png")
        fix.apply()
        wait(app, lambda: not fix.busy)
        save_over(window, fix, "18-fix-cutout-applied.png")
        fix.save()
        wait(app, lambda: not fix.isVisible() and not window.worker.busy)
        window.reload()
        wait(app, lambda: not window.worker.busy and not window.thumbnails._loading)
        window.closet.select_item(pants[0].id)
        wait(app, lambda: True)
        save_over(window, None, "19-fixed-cutout-saved.png")
        window.close()


if __name__ == "__main__":
    main()
