"""Item, product and file names are shown as plain text in the desktop app, never obeyed as markup."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSettings, QThreadPool
from PySide6.QtGui import QImage, Qt, QTextDocument  # QtGui's Qt has mightBeRichText
from PySide6.QtWidgets import QLabel

from tests.gui.conftest import open_window
from wardrobe_app.domain import AddResult, Colour

NAME = '<img src="x"> <b>Bold</b> &amp; co'
FILE = "<i>shirt.jpg"


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a person sees: rich text rendered to plain the way Qt decides to render it."""
    rich = text_format == Qt.TextFormat.RichText or (text_format == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u2029", "\n").replace("\u2028", "\n")


def label_shows(label: QLabel) -> str:
    return shown(label.text(), label.textFormat())


@pytest.fixture
def window(qtbot: Any, data_dir: Path, tmp_path: Path) -> Iterator[Any]:
    win = open_window(qtbot, data_dir, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    yield win
    win.close()


@pytest.fixture
def odd_item(wardrobe: Any, photo_factory: Any) -> Any:
    item = wardrobe.add_photo(photo_factory("a.jpg"), category="shirt")
    item = wardrobe.update_item(item.id, name=NAME)
    colour = Colour(name="<b>navy</b>", hex='#000"><img src=y>', hsv=(0.0, 0.0, 0.0), share=1.0)
    return dataclasses.replace(item, source_name=FILE, colours=(colour,), collection="<u>Shop</u>")


def test_item_panel(qtbot: Any, odd_item: Any) -> None:
    from wardrobe_app.ui.item_models import ImageLoader
    from wardrobe_app.ui.item_panel import ItemPanel

    panel = ItemPanel(ImageLoader(QThreadPool()))
    qtbot.addWidget(panel)
    panel.show_item(odd_item)
    assert NAME in label_shows(panel.title)
    assert label_shows(panel.source_label) == FILE
    swatches = label_shows(panel.colours)
    assert "<b>navy</b>" in swatches and "<img" not in panel.colours.text()


def test_closet_grid_tooltip(qtbot: Any, odd_item: Any) -> None:
    from wardrobe_app.ui.item_models import ClosetModel, ThumbnailCache

    model = ClosetModel(ThumbnailCache())
    model.set_items([odd_item])
    index = model.index(0, 0, QModelIndex())
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == NAME  # a list view paints display text as it is
    assert shown(model.data(index, Qt.ItemDataRole.ToolTipRole)).startswith(NAME + "\n")


def test_similar_match_card(qtbot: Any, odd_item: Any) -> None:
    from wardrobe_app.domain.results import SimilarMatch
    from wardrobe_app.ui.similar_view import MatchCard

    card = MatchCard(SimilarMatch(odd_item, 0.25), QImage(), 1)
    qtbot.addWidget(card)
    text = label_shows(card.findChild(QLabel, "matchText"))
    assert f"1. {NAME}" in text and "<u>Shop</u>" in text and "75% match" in text


def test_import_dialogs(qtbot: Any) -> None:
    from wardrobe_app.ui.import_dialog import ImportProgress, ImportSummary

    progress = ImportProgress()
    qtbot.addWidget(progress)
    progress.update_progress(0, 3, f"/photos/{FILE}")
    assert FILE in label_shows(progress.label)
    summary = ImportSummary([AddResult(f"/photos/{FILE}", error="not a photo")], cancelled=False)
    qtbot.addWidget(summary)
    cell = summary.table.item(0, 0)
    assert cell.text() == FILE and shown(cell.toolTip()) == f"/photos/{FILE}"


def test_remove_message_and_error_box(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(window.model, "label_of", lambda _id: NAME)
    monkeypatch.setattr(window.session, "run", lambda _fn, done=None, **_k: done(None))
    window.remove_item(1)  # no question any more: moved to the trash, with Undo
    assert f"Moved “{NAME}” to the trash" in window.statusBar().currentMessage()  # the status bar is plain text
    assert window.editing.undo_action.text() == f"Undo remove of “{NAME}”"
    window.show_error("Cannot add", f"{FILE}: not a photo")
    box = window.findChild(QMessageBox, "errorDialog")
    assert shown(box.text(), box.textFormat()) == f"{FILE}: not a photo"


def test_edit_dialog_and_trash_list(qtbot: Any, odd_item: Any) -> None:
    from wardrobe_app.ui.item_editor import ItemEditor
    from wardrobe_app.ui.trash_view import TrashDialog

    editor = ItemEditor(odd_item)
    qtbot.addWidget(editor)
    assert NAME in editor.windowTitle() and editor.name_edit.text() == NAME
    title = editor.findChild(QLabel, "editTitle")
    assert label_shows(title) == f"{NAME} · shirt" and "<img" not in title.text()
    trash = TrashDialog(session=None)  # type: ignore[arg-type]
    qtbot.addWidget(trash)
    trash.show_items([odd_item])
    assert trash.list.item(0).text().startswith(NAME + "\n")
    assert shown(trash.list.item(0).toolTip()).startswith(NAME + "\n")


def test_a_products_link_from_a_catalogue_csv_is_shown_not_obeyed(window: Any, odd_item: Any) -> None:
    """Before: the Shop tab gave a product's url column (a hostile CSV's ``<img src=...>``, a fake "https://shop"
    over another address) to its tooltip as it was, and Qt rendered it as markup."""
    url = '<a href="file:///etc">https://shop.example/p/1</a><img src="/dev/zero">'
    product = dataclasses.replace(odd_item, url=url)
    window.shop_view._show_products("Shop", [(product, None)])
    tip = window.shop_view.products.item(0, 0).toolTip()
    assert shown(tip) == url


def test_an_outfit_cards_picture_names_its_items_as_plain_text(qtbot: Any, odd_item: Any) -> None:
    """Before: the flat-lay's tooltip joined the items' names as they were: a name of markup was rendered."""
    from wardrobe_app.domain import Outfit
    from wardrobe_app.ui.outfit_card import OutfitCard

    card = OutfitCard(Outfit(top=odd_item.id, middle=None, bottom=None, score=0.5), [odd_item], QImage(), 1)
    qtbot.addWidget(card)
    assert shown(card.findChild(QLabel, "flatlay").toolTip()) == NAME
