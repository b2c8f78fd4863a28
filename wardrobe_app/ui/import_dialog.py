"""Adding photos: the progress strip with Cancel while they import, and the summary that lists each failure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import AddResult
from wardrobe_app.ui.naming import named, plain, tooltip

PHOTO_FILTER = "Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.heic *.heif);;All files (*)"


class ImportProgress(QWidget):
    """A progress bar with a Cancel button, shown in the status bar while photos import."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, verb: str = "Adding") -> None:
        super().__init__(parent)
        self.verb = verb
        self.label = plain(QLabel(f"{verb} photos…"))
        self.bar = named(QProgressBar(), "importProgress")
        self.bar.setFixedWidth(180)
        self.bar.setFormat("%p%")
        self.cancel_button = named(QPushButton("Cancel"), "cancelImport")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, count_hint: str = "") -> None:
        self.label.setText(f"{self.verb} photos{count_hint}…")
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int, path: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        name = self.label.fontMetrics().elidedText(Path(path).name, Qt.TextElideMode.ElideMiddle, 220)
        self.label.setText(f"{self.verb} {done + 1 if path else done} of {total}: {name}" if path else "Finishing…")

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling after this photo…")
        self.cancel_requested.emit()


class ImportSummary(QDialog):
    """What an import did: how many photos were added, skipped as duplicates, or failed, and why."""

    review_requested = Signal()  # "Check them now": go through the items the classifier was unsure of

    def __init__(self, results: list[AddResult], cancelled: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Photos added")
        self.setObjectName("importSummary")
        added = [r for r in results if r.ok]
        duplicates = [r for r in results if r.duplicate_of is not None]
        failed = [r for r in results if not r.ok]
        self.failed = failed
        lines = [f"<b>{len(added)} photo{'s' if len(added) != 1 else ''} added to the closet.</b>"]
        if duplicates:
            lines.append(f"{len(duplicates)} already in the closet (skipped).")
        if len(failed) > len(duplicates):
            lines.append(f"{len(failed) - len(duplicates)} could not be added; see below.")
        if cancelled:
            lines.append("Import cancelled: the photos added so far are kept, the rest were not read.")
        unreviewed = [r for r in added if r.item is not None and (r.item.needs_review or r.item.category is None)]
        if unreviewed:
            lines.append(f"{len(unreviewed)} need a category check (marked “needs review”).")
        self.text = named(QLabel("<br>".join(lines), wordWrap=True), "summaryText")

        self.table = named(QTableWidget(len(failed), 2), "failureTable")
        self.table.setHorizontalHeaderLabels(["File", "Why"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # read only: Tab goes on to OK (arrows move between cells)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, result in enumerate(failed):
            name = QTableWidgetItem(Path(result.path).name)
            name.setToolTip(tooltip(result.path))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(_why(result)))
        self.table.resizeColumnToContents(0)
        self.table.setVisible(bool(failed))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        self.review_button: QPushButton | None = None
        if unreviewed:  # the way to the review queue, where the summary says there is one
            self.review_button = named(QPushButton("Check them now"), "checkNow")
            self.review_button.setToolTip("Show the first item to check; N goes to the next (Review menu)")
            buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.review_button.clicked.connect(self.accept)  # closed first: the window takes the keyboard back
            self.review_button.clicked.connect(self.review_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)
        self.resize(640 if failed else 380, 360 if failed else 140)

    def failure_rows(self) -> list[tuple[str, str]]:
        cells = [(self.table.item(r, 0), self.table.item(r, 1)) for r in range(self.table.rowCount())]
        return [(a.text(), b.text()) for a, b in cells if a is not None and b is not None]


def _why(result: AddResult) -> str:
    if result.duplicate_of is not None:
        return f"already in the closet (item {result.duplicate_of})"
    return result.error or "unknown error"
