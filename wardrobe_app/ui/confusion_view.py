"""The classifier's confusion matrix as a table people read: category names as shown, shares as shades, hints."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from wardrobe_app.domain import category_name, category_title


@dataclass(frozen=True)
class Confusion:
    """Photos of each true category (rows) by the category the model read (columns)."""

    categories: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def row_total(self, row: int) -> int:
        return sum(self.counts[row])


def read_confusion(path: Path) -> Confusion | None:
    """The matrix a model card stores beside its picture (``confusion_<split>.json``); None if absent or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        categories = tuple(str(name) for name in data["categories"])
        rows = data["rows_true_columns_predicted"]
        counts = tuple(tuple(int(value) for value in row) for row in rows)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    square = len(counts) == len(categories) and all(len(row) == len(categories) for row in counts)
    if not categories or not square or any(value < 0 for row in counts for value in row):
        return None
    return Confusion(categories, counts)


def shade(share: float) -> QColor:
    """White for none of a category's photos, deep blue for all of them (the stored picture's colour scale)."""
    share = min(max(share, 0.0), 1.0)
    light, deep = (247, 251, 255), (8, 48, 107)
    return QColor(*(round(a + (b - a) * share) for a, b in zip(light, deep, strict=True)))


def hint(confusion: Confusion, row: int, col: int) -> str:
    """What one cell says in words, for its tooltip."""
    count, total = confusion.counts[row][col], confusion.row_total(row)
    truth, read = category_name(confusion.categories[row]), category_name(confusion.categories[col])
    if not total:
        return f"no {truth} photos in this split"
    share = f"{count / total:.0%}"
    if row == col:
        return f"{count} of {total} {truth} photos read right ({share})"
    return f"{count} of {total} {truth} photos read as {read} ({share})"


def _stacked(name: str) -> str:
    """A column name one word a line (broken after spaces and hyphens) so that columns stay narrow."""
    return re.sub(r"(?<=-)|\s+", "\n", name) if len(name) > 9 else name


class ConfusionTable(QTableWidget):
    """Rows: the true category; columns: what the model read. Counts in cells, the row's share as a shade."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # read only: Tab leaves the table (arrows move between cells)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    caption = "Rows: what the garment is · columns: what the classifier read it as (hover a cell for words)"

    def show_confusion(self, confusion: Confusion) -> None:
        names = [category_title(name) for name in confusion.categories]
        self.clear()
        self.setRowCount(len(names))
        self.setColumnCount(len(names))
        labels = [_stacked(name) for name in names]
        self.setHorizontalHeaderLabels(labels)
        # columns share the width but never clip their name: a narrow window scrolls instead
        header = self.horizontalHeader()
        metrics = header.fontMetrics()
        widest = max((metrics.horizontalAdvance(line) for label in labels for line in label.split("\n")), default=0)
        header.setMinimumSectionSize(widest + 10)
        self.setVerticalHeaderLabels(names)
        bold = QFont(self.font())
        bold.setBold(True)
        for row, counts in enumerate(confusion.counts):
            total = confusion.row_total(row)
            for col, count in enumerate(counts):
                share = count / total if total else 0.0
                cell = QTableWidgetItem(str(count) if count else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setBackground(QBrush(shade(share)))
                cell.setForeground(QBrush(QColor("white" if share > 0.5 else "black")))
                cell.setToolTip(hint(confusion, row, col))
                if row == col:
                    cell.setFont(bold)
                self.setItem(row, col, cell)
