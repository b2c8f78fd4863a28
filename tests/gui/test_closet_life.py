"""Closet life in the GUI: the Stats tab draws real plots (and an empty state), clean-out dismisses for good,
the packing dialog plans and saves, the Shop tab imports, browses and removes a catalogue."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from tests.unit.services.drawn_closet import draw
from wardrobe_app.db.tables import ItemRow
from wardrobe_app.domain import Change
from wardrobe_app.ui import packing_dialog
from wardrobe_app.ui.life_menu import open_cleanout, open_packing

SHOTS = os.environ.get("WARDROBE_SCREENSHOTS")  # a folder: the views are saved there as PNG (docs/screenshots)
CLOSET = [
    ("shirt", "white"),
    ("shirt", "blue"),
    ("t-shirt", "red"),
    ("trousers", "navy"),
    ("jeans", "blue"),
    ("sneakers", "white"),
    ("formal shoes", "black"),
]


def pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


def drawn(window) -> dict[str, list[int]]:
    """The drawn closet with prices and a diary (one outfit 400 days ago, two lately)."""
    wardrobe = window.session.wardrobe
    ids = draw(wardrobe, CLOSET)
    with wardrobe.sessions.begin() as session:
        for n, item_id in enumerate(i for v in ids.values() for i in v):
            session.get(ItemRow, item_id).price = 20.0 + 10 * n
    diary = wardrobe._diary()
    today = date.today()
    diary.record([ids["shirt"][1], ids["jeans"][0], ids["sneakers"][0]], today - timedelta(days=400), "casual")
    diary.record([ids["shirt"][0], ids["trousers"][0], ids["formal shoes"][0]], today - timedelta(days=3), "work")
    diary.record([ids["t-shirt"][0], ids["trousers"][0], ids["sneakers"][0]], today - timedelta(days=1), "casual")
    window.session.closet_changed.emit(Change(updated=tuple(i for v in ids.values() for i in v), diary=(1, 2, 3)))
    return ids


def test_stats_tab_empty_then_real_plots(qtbot, window) -> None:
    view = window.stats_view
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        window.tabs.setCurrentWidget(view)
    assert view.stack.currentWidget() is view.empty and "No statistics yet" in view.empty.text()

    with qtbot.waitSignal(view.refreshed, timeout=30000):
        drawn(window)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30000)
    assert view.stack.currentWidget() is view.plots
    assert [view.plots.tabText(n) for n in range(view.plots.count())] == [
        "Wears",
        "Cost per wear",
        "Colours",
        "Categories and occasions",
        "Versatility",
    ]
    assert "7 items" in view.summary.text() and "3 outfits worn" in view.summary.text()
    assert re.search(r"from \d{1,2} [A-Z][a-z]{2} \d{4} to \d{1,2} [A-Z][a-z]{2} \d{4}", view.summary.text())
    window.resize(1100, 760)
    for n in range(view.plots.count()):
        view.plots.setCurrentIndex(n)
        qtbot.wait(50)
        grid = pixels(view.plots.currentWidget())
        ink = (grid.astype(int).sum(axis=2) < 600).sum()  # not white: axes, labels and bars
        assert ink > 2000, view.plots.tabText(n)
    view.plots.setCurrentIndex(0)
    bars = pixels(view.plots.currentWidget())
    blue = (np.abs(bars.astype(int) - (0x4A, 0x78, 0xA8)).sum(axis=2) < 40).sum()  # the wears bars' colour
    assert blue > 500
    shot(window, "20-stats.png")


def test_cleanout_dismiss_is_kept(qtbot, window) -> None:
    ids = drawn(window)
    dialog = open_cleanout(window)
    with qtbot.waitSignal(dialog.refreshed, timeout=30000):
        pass
    listed = [int(dialog.tree.topLevelItem(n).data(0, 256)) for n in range(dialog.tree.topLevelItemCount())]
    assert ids["shirt"][1] in listed  # worn 400 days ago only
    row = next(dialog.tree.topLevelItem(n) for n in range(len(listed)) if listed[n] == ids["shirt"][1])
    assert any("not worn in 12 months" in row.child(c).text(0) for c in range(row.childCount()))
    titles = [dialog.tree.topLevelItem(n).text(0) for n in range(len(listed))]
    assert "blue shirt" in titles and not any(f"({i})" in t for t, i in zip(titles, listed, strict=True))
    shot(dialog, "21-cleanout.png")
    dialog.tree.setCurrentItem(row)
    assert dialog.keep_button.isEnabled()
    with qtbot.waitSignal(dialog.refreshed, timeout=30000):
        dialog.keep_button.click()
    after = [int(dialog.tree.topLevelItem(n).data(0, 256)) for n in range(dialog.tree.topLevelItemCount())]
    assert ids["shirt"][1] not in after
    assert ids["shirt"][1] not in [c.item_id for c in window.session.wardrobe.cleanout()]  # stored
    dialog.close()


def test_packing_dialog_plans_and_saves(qtbot, window, tmp_path, monkeypatch) -> None:
    drawn(window)
    dialog = open_packing(window)
    assert dialog.weather.itemText(0) == "Any weather" and dialog.weather.itemText(1) == "Cold"  # as on the board
    dialog.weather.setCurrentIndex(dialog.weather.findData("mild"))
    dialog.days.setValue(3)
    dialog.occasions.setText("casual")
    with qtbot.waitSignal(dialog.packed, timeout=30000):
        dialog.pack_button.click()
    assert dialog.items.count() >= 3 and "3 different outfits" in dialog.summary.text()
    assert dialog.plan.toPlainText().count("day ") == 3
    shown = [dialog.items.item(n).text() for n in range(dialog.items.count())] + [dialog.plan.toPlainText()]
    assert not any(re.search(r"\(\d+\)", text) for text in shown)  # items by name, not by number
    shot(dialog, "22-packing.png")
    target = tmp_path / "list.txt"
    dialog.save(str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("Packing list for 3 days") and text.count("[ ] ") == dialog.items.count()

    warnings: list[str] = []  # the closet's own database is never overwritten by the list
    monkeypatch.setattr(packing_dialog.QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    database = window.session.wardrobe.data_dir / "wardrobe.sqlite3"
    before = database.read_bytes()
    dialog.save(str(database))
    assert database.read_bytes() == before and "inside the closet's own folder" in warnings[0]

    dialog.occasions.setText("holiday")  # not an occasion: said in words, the last plan stays
    dialog.pack_button.click()
    qtbot.waitUntil(lambda: window.findChild(object, "errorDialog") is not None, timeout=20000)
    assert "holiday" in window.findChild(object, "errorDialog").text()
    assert dialog.items.count() >= 3
    dialog.close()


def test_shop_tab_imports_browses_and_removes(qtbot, window, photo_factory, say_yes) -> None:
    folder = photo_factory("shop/a.jpg", colour_bgr=(30, 30, 200), seed=1).parent
    photo_factory("shop/b.jpg", colour_bgr=(200, 60, 20), seed=2, shape="pants")
    view = window.shop_view
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        window.tabs.setCurrentWidget(view)
    assert view.catalogues.count() == 0 and "No catalogues yet" in view.title.text()
    view.import_folder("myshop", str(folder))
    assert view.cancel_button.isVisible() or not view.importing
    qtbot.waitUntil(lambda: not view.importing and view.catalogues.count() == 1, timeout=60000)
    qtbot.waitUntil(lambda: view.products.rowCount() == 2, timeout=20000)
    assert view.catalogues.item(0).text() == "myshop (2 products)"
    assert "2 products added" in view.answer.text()
    shot(window, "23-shop.png")

    # "Shop for this": the products like a closet item, best match first, the match shown falling with the order
    mine = window.session.wardrobe.add_photo(photo_factory("mine.jpg", colour_bgr=(30, 30, 200), seed=7), "shirt")
    view.shop_for(mine.id, mine.label)
    qtbot.waitUntil(lambda: view.title.text().startswith("Products like"), timeout=20000)
    matches = [int(view.products.item(r, 4).text().rstrip("%")) for r in range(view.products.rowCount())]
    assert matches and matches == sorted(matches, reverse=True)
    assert view.products.horizontalHeaderItem(4).text() == "Match"

    view.remove_selected()
    qtbot.waitUntil(lambda: view.catalogues.count() == 0, timeout=20000)
    assert "myshop" in say_yes[0]
    assert window.session.wardrobe.catalogues() == []


def test_photo_dropped_on_the_shop_tab_asks_worth_buying(qtbot, window, photo_factory) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    ids = drawn(window)
    view = window.shop_view
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        window.tabs.setCurrentWidget(view)
    photo = photo_factory("candidate.jpg", colour_bgr=(30, 30, 200), seed=4)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    assert "worth buying" in view.answer.text() and window.import_job is None  # asked, not imported
    # without a classifier the garment cannot be told: said in words
    qtbot.waitUntil(lambda: window.findChild(object, "errorDialog") is not None, timeout=20000)
    assert "cannot tell what garment" in window.findChild(object, "errorDialog").text()
    assert window.session.wardrobe.counts()["all"] == len(CLOSET)

    # "Shop for this" in the item panel goes to the Shop tab
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(CLOSET), timeout=20000)
    window.closet.select_item(ids["shirt"][0])
    shop, _similar = window.panel.shop_buttons
    shop.click()
    assert window.tabs.currentWidget() is view
