"""The Shop tab: import shop catalogues (progress, cancel), browse their products, shop for an item, worth buying?"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Item, category_name
from wardrobe_app.ui.naming import counted, escaped, named, plain, rich, tooltip
from wardrobe_app.ui.session import ClosetSession

COLUMNS = ("Name", "Price", "Colour", "Category", "Match")
HINT = "Drop a shop photo here to ask: is it worth buying?"


class _Progress(QObject):
    """Carries import progress from the worker thread to the progress bar."""

    moved = Signal(int, int)


def product_row(item: Item, match: float | None = None) -> list[str]:
    """A product's cells; ``match``: how well it matches what was shopped for (0-1, the order of the list)."""
    colour = item.colours[0].name if item.colours else ""
    return [
        item.label,
        "" if item.price is None else f"{item.price:.2f}",
        colour,
        item.shop_kind or category_name(item.category, ""),  # the shop's own word first: what its search goes by
        "" if match is None else f"{match:.0%}",
    ]


def verdict_text(verdicts: list[Any]) -> str:
    """The "worth buying?" answer in words: good outfits it adds per occasion."""
    good = [v for v in verdicts if v.good_outfits]
    lines = [
        f"{v.occasion}: {v.good_outfits} good outfit{'s' if v.good_outfits != 1 else ''} (best {v.best_score:.0%})"
        if v.good_outfits
        else f"{v.occasion}: none{' (' + v.note + ')' if v.note else ''}"
        for v in verdicts
    ]
    answer = (
        f"Worth buying: it makes {sum(v.good_outfits for v in good)} good outfits with your closet."
        if good
        else "Probably not: it makes no good outfit with what you have."
    )
    return answer + "\n" + "\n".join(lines)


class CatalogueView(QWidget):
    """Catalogues on the left, the chosen one's products (or a search's results) on the right."""

    refreshed = Signal()
    answered = Signal(str)  # the worth-buying answer, in words

    def __init__(self, session: ClosetSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAcceptDrops(True)
        self.cancel_flag = threading.Event()
        self.importing = False
        self.progress_feed = _Progress(self)
        self.catalogues = named(QListWidget(), "catalogueList")
        self.browsing = True  # the table lists the chosen catalogue (not "Shop for this" results)
        self.catalogues.currentItemChanged.connect(lambda *_a: self.browse())
        # a click (or Enter) on the catalogue already chosen lists it again after "Shop for this"
        self.catalogues.itemClicked.connect(self._browse_again)
        self.catalogues.itemActivated.connect(self._browse_again)
        self.import_button = named(QPushButton("Import a catalogue…"), "catalogueImport")
        self.import_button.clicked.connect(self.choose_folder)
        self.remove_button = named(QPushButton("Remove…"), "catalogueRemove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.progress = named(QProgressBar(), "catalogueProgress")
        self.progress.hide()
        self.progress_feed.moved.connect(self._on_progress)
        self.cancel_button = named(QPushButton("Cancel"), "catalogueCancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_flag.set)
        left = QVBoxLayout()
        left.addWidget(QLabel("Catalogues"))
        left.addWidget(self.catalogues, 1)
        left.addWidget(self.import_button)
        left.addWidget(self.remove_button)
        left.addWidget(self.progress)
        left.addWidget(self.cancel_button)

        self.title = plain(named(QLabel(HINT), "productsTitle"))
        self.products = named(QTableWidget(0, len(COLUMNS)), "productTable")
        self.products.setHorizontalHeaderLabels(COLUMNS)
        self.products.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.products.setTabKeyNavigation(False)  # read only: Tab leaves the table (arrows move between cells)
        self.products.horizontalHeader().setStretchLastSection(True)
        self.products.setColumnWidth(0, 260)
        self.answer = plain(named(QLabel(HINT), "worthBuyingAnswer"))
        self.answer.setWordWrap(True)
        self.answer.setStyleSheet("background: #f2f1ee; border-radius: 6px; padding: 8px;")
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.products, 1)
        right.addWidget(self.answer)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 3)
        self._enable()

    # -- catalogues ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.importing:
            self.refresh()

    def refresh(self) -> None:
        self.session.run(lambda w: w.catalogues(), done=self._on_catalogues, title="Cannot list the catalogues")

    def _on_catalogues(self, found: list[Any]) -> None:
        chosen = self.selected_name()
        self.catalogues.blockSignals(True)
        self.catalogues.clear()
        for catalogue in found:
            row = QListWidgetItem(f"{catalogue.name} ({counted(catalogue.items, 'product')})")
            row.setData(Qt.ItemDataRole.UserRole, catalogue.name)
            self.catalogues.addItem(row)
            if catalogue.name == chosen:
                self.catalogues.setCurrentItem(row)
        if self.catalogues.currentItem() is None and self.catalogues.count():
            self.catalogues.setCurrentRow(0)
        self.catalogues.blockSignals(False)
        if self.browsing and self.catalogues.count():  # products asked for since ("Shop for this") stay shown
            self.browse()
        if not found:
            self._show_products("No catalogues yet: import a folder of product photos (or images/ + styles.csv).", [])
        self._enable()
        self.refreshed.emit()

    def selected_name(self) -> str | None:
        row = self.catalogues.currentItem()
        return None if row is None else str(row.data(Qt.ItemDataRole.UserRole))

    def _enable(self) -> None:
        self.remove_button.setEnabled(self.selected_name() is not None and not self.importing)
        self.import_button.setEnabled(not self.importing)

    def _browse_again(self, *_args: object) -> None:
        if not self.browsing:
            self.browse()

    def browse(self) -> None:
        self.browsing = True
        name = self.selected_name()
        self._enable()
        if name is None:
            return
        self.session.run(
            lambda w: w.catalogue_products(name),
            done=lambda items: self._show_products(
                f"{name}: {counted(len(items), 'product')}", [(i, None) for i in items]
            ),
            title="Cannot read the catalogue",
        )

    def _show_products(self, title: str, rows: Sequence[tuple[Item, float | None]]) -> None:
        self.title.setText(title)
        self.products.setRowCount(len(rows))
        for n, (item, match) in enumerate(rows):
            for column, text in enumerate(product_row(item, match)):
                cell = QTableWidgetItem(text)
                if column == 0:
                    cell.setData(Qt.ItemDataRole.UserRole, item.id)
                    if item.url:
                        cell.setToolTip(tooltip(item.url))  # a CSV's text: shown, never rendered
                self.products.setItem(n, column, cell)
        self.refreshed.emit()

    # -- import and remove -------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A folder of product photos (or images/ + styles.csv)")
        if not folder:
            return
        name, ok = QInputDialog.getText(self, "Name the catalogue", "Catalogue name:", text=Path(folder).name)
        if ok and name.strip():
            self.import_folder(name.strip(), folder)

    def import_folder(self, name: str, folder: str, csv: str | None = None) -> None:
        self.importing = True
        self.cancel_flag.clear()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self._enable()
        feed, cancel = self.progress_feed, self.cancel_flag

        def run(w: Any) -> Any:
            def moved(done: int, total: int, _photo: str = "") -> None:
                feed.moved.emit(done, total)

            return w.import_catalogue(name, folder, csv, progress=moved, cancel=cancel.is_set)

        self.session.run(run, done=self._on_imported, failed=self._on_import_failed)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _end_import(self) -> None:
        self.importing = False
        self.progress.hide()
        self.cancel_button.hide()
        self._enable()

    def _on_imported(self, report: Any) -> None:
        self._end_import()
        problems = len(report.failed) + len(report.duplicates)
        self.answer.setText(
            f"{report.name}: {counted(report.added, 'product')} added"
            + (f", {report.already_in} already there" if report.already_in else "")
            + (f", {counted(problems, 'photo')} skipped" if problems else "")
            + (" (cancelled: import again to finish)" if report.cancelled else "")
        )
        self.refresh()

    def _on_import_failed(self, exc: BaseException) -> None:
        self._end_import()
        self.session.report("Cannot import the catalogue", exc)

    def remove_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove catalogue",
            rich(f"Remove the catalogue “{escaped(name)}” and all its products?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # Enter must not remove it
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.run(
                lambda w: w.remove_catalogue(name), done=lambda _c: self.refresh(), title="Cannot remove it"
            )

    # -- shopping --------------------------------------------------------------------------------
    def shop_for(self, item_id: int, label: str = "") -> None:
        """Products like a closet item, from every catalogue (the tab's list refresh, on showing, keeps them)."""
        self.browsing = False
        self.session.run(
            lambda w: w.shop_for(item_id, k=10),
            done=lambda found: self._show_products(
                f"Products like {label or f'item {item_id}'}, best match first", [(m.item, m.match) for m in found]
            ),
            title="Cannot shop for this item",
        )

    def worth_buying(self, photo: str) -> None:
        self.answer.setText(f"Is {Path(photo).name} worth buying? Looking…")
        self.session.run(lambda w: w.worth_buying(photo), done=self._on_verdicts, failed=self._on_verdict_failed)

    def _on_verdicts(self, verdicts: list[Any]) -> None:
        text = verdict_text(verdicts)
        self.answer.setText(text)
        self.answered.emit(text)

    def _on_verdict_failed(self, exc: BaseException) -> None:
        self.answer.setText(HINT)
        self.session.report("Cannot tell if it is worth buying", exc)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.worth_buying(paths[0])
