"""Pack for a trip: days, occasions and weather in; the packing list and the day-by-day plan out, savable as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import DataDirError, distinct_labels
from wardrobe_app.services.data_dir import outside_closet
from wardrobe_app.ui.naming import named, plain
from wardrobe_app.ui.session import ClosetSession

WEATHERS = ("any weather", "cold", "mild", "warm", "hot")


def make_plan(wardrobe: Any, days: int | None, occasions: str, weather: str | None) -> tuple[Any, dict[int, str]]:
    """The packing plan and the item labels (worker)."""
    plan = wardrobe.pack(days, occasions, weather)
    return plan, distinct_labels(wardrobe.items(include_archived=True))


class PackingDialog(QDialog):
    """Asks for the trip, shows the list (tick boxes in the saved text) and the outfit of every day."""

    packed = Signal()

    def __init__(self, session: ClosetSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pack for a trip")
        self.setObjectName("packingDialog")
        self.session = session
        self.text = ""
        self.days = named(QSpinBox(), "packDays")
        self.days.setRange(1, 60)
        self.days.setValue(7)
        self.occasions = named(QLineEdit("work,casual"), "packOccasions")
        self.occasions.setToolTip("Occasions taking turns (work,casual) or counted (work:5,casual:2)")
        self.weather = named(QComboBox(), "packWeather")
        for weather in WEATHERS:  # shown as the outfit board shows them ("Any weather", "Cold"), kept as words
            self.weather.addItem(weather.capitalize(), weather)
        self.pack_button = named(QPushButton("Pack"), "packButton")
        self.pack_button.setDefault(True)
        self.pack_button.clicked.connect(self.pack)
        form = QFormLayout()
        form.addRow("Days", self.days)
        form.addRow("Occasions", self.occasions)
        form.addRow("Weather", self.weather)
        form.addRow("", self.pack_button)

        self.summary = plain(named(QLabel("Say how long the trip is and what it is for, then Pack."), "packSummary"))
        self.summary.setWordWrap(True)
        self.items = named(QListWidget(), "packItems")
        self.plan = named(QPlainTextEdit(), "packPlan")
        self.plan.setReadOnly(True)
        self.save_button = named(QPushButton("Save as text…"), "packSave")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("To pack:"))
        layout.addWidget(self.items, 1)
        layout.addWidget(QLabel("Day by day:"))
        layout.addWidget(self.plan, 2)
        layout.addWidget(buttons)
        self.resize(560, 640)

    def pack(self) -> None:
        days: int | None = self.days.value()
        occasions = self.occasions.text().strip()
        weather = None if self.weather.currentIndex() == 0 else str(self.weather.currentData())
        if any(":" in part for part in occasions.split(",")):
            days = None  # counted occasions say how long the trip is
        self.pack_button.setEnabled(False)
        self.summary.setText("Packing…")

        def failed(exc: BaseException) -> None:
            self.pack_button.setEnabled(True)
            self.summary.setText("Could not pack: see the message.")
            self.session.report("Cannot pack for this trip", exc)

        self.session.run(lambda w: make_plan(w, days, occasions, weather), done=self._on_plan, failed=failed)

    def _on_plan(self, found: tuple[Any, dict[int, str]]) -> None:
        plan, labels = found
        self.pack_button.setEnabled(True)
        self.items.clear()
        for item_id in plan.items:
            uses = sum(item_id in d.outfit.item_ids for d in plan.days)
            self.items.addItem(f"{labels.get(item_id, 'item')} · worn {uses} day{'s' if uses != 1 else ''}")
        self.text = plan.as_text(labels, ids=False)
        self.plan.setPlainText(self.text.split("Day by day:\n", 1)[-1])
        baseline = (
            "" if plan.greedy_items is None else f" (packing day by day, greedily, would take {plan.greedy_items})"
        )
        self.summary.setText(f"{len(plan.items)} items give {len(plan.days)} different outfits{baseline}.")
        self.save_button.setEnabled(True)
        self.packed.emit()

    def save(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save the packing list", "packing-list.txt", "Text (*.txt)")
        if not path:
            return
        try:
            target = Path(path)
            if self.session.wardrobe is not None:  # never over the closet's own files
                target = outside_closet(self.session.wardrobe.data_dir, path, "the packing list")
            target.write_text(self.text, encoding="utf-8")
        except DataDirError as exc:
            QMessageBox.warning(self, "Cannot save the list", str(exc))
        except OSError as exc:
            QMessageBox.warning(self, "Cannot save the list", f"Cannot write {path}: {exc.strerror or exc}")
