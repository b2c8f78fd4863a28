"""Clean-out: the items you could donate or sell, each with its reasons; "Keep it" dismisses one for good."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import distinct_labels
from wardrobe_app.ui.naming import named, plain
from wardrobe_app.ui.session import ClosetSession


class CleanoutDialog(QDialog):
    """A tree: each candidate item, its reasons below it."""

    refreshed = Signal()

    def __init__(self, session: ClosetSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clean-out")
        self.setObjectName("cleanoutDialog")
        self.session = session
        self.months = named(QSpinBox(), "cleanoutMonths")
        self.months.setRange(1, 120)
        self.months.setValue(12)
        self.months.setSuffix(" months")
        self.months.valueChanged.connect(lambda _v: self.refresh())
        self.summary = plain(named(QLabel("Looking through the closet…"), "cleanoutSummary"))
        self.summary.setWordWrap(True)
        self.tree = named(QTreeWidget(), "cleanoutCandidates")
        self.tree.setHeaderLabels(["Item and reasons"])
        self.tree.currentItemChanged.connect(lambda *_a: self._enable())
        self.keep_button = named(QPushButton("Keep it (do not suggest again)"), "cleanoutKeep")
        self.keep_button.clicked.connect(self.keep_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("Not worn for"))
        top.addWidget(self.months)
        top.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)
        self._enable()

    def refresh(self) -> None:
        months = self.months.value()
        self.session.run(
            lambda w: (w.cleanout(months=months), distinct_labels(w.items())),
            done=self._on_candidates,
            title="Cannot look for clean-out",
        )

    def _on_candidates(self, answer: tuple[list[Any], dict[int, str]]) -> None:
        found, titles = answer
        self.tree.clear()
        for candidate in found:
            row = QTreeWidgetItem([titles.get(candidate.item_id, candidate.label)])
            row.setData(0, Qt.ItemDataRole.UserRole, candidate.item_id)
            for reason in candidate.reasons:
                row.addChild(QTreeWidgetItem([reason.text]))
            self.tree.addTopLevelItem(row)
            row.setExpanded(True)
        self.summary.setText(
            f"{len(found)} item{'s' if len(found) != 1 else ''} you could donate or sell."
            if found
            else "Nothing to clean out: every item is worn, versatile and unlike the others."
            if titles  # every item of the closet is named there: none means an empty closet
            else "Nothing to clean out yet: the closet is empty. Add photos of your clothes first."
        )
        self._enable()
        self.refreshed.emit()

    def selected_id(self) -> int | None:
        row = self.tree.currentItem()
        while row is not None and row.parent() is not None:
            row = row.parent()
        return None if row is None else int(row.data(0, Qt.ItemDataRole.UserRole))

    def _enable(self) -> None:
        self.keep_button.setEnabled(self.selected_id() is not None)

    def keep_selected(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.session.run(
                lambda w: w.dismiss_cleanout([item_id]), done=lambda _c: self.refresh(), title="Cannot keep the item"
            )
