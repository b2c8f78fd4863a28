"""The model view: the garment classifier's figures from its model card and the outfit ranker's state."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Change, category_title
from wardrobe_app.ui.confusion_view import Confusion, ConfusionTable, read_confusion
from wardrobe_app.ui.naming import escaped, named
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery
from wardrobe_app.ui.session import ClosetSession

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe


@dataclass
class ModelFacts:
    """What the model view shows, gathered in the worker."""

    version: str | None = None
    folder: Path | None = None
    accuracy: float | None = None
    per_class: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    confusion_png: Path | None = None
    confusion: Confusion | None = None  # the stored matrix, drawn as a table with the names people read
    extra: dict[str, Any] = field(default_factory=dict)
    ranker: dict[str, Any] | None = None
    ranker_error: str | None = None


def classifier_folder(wardrobe: Wardrobe) -> tuple[str | None, Path | None]:
    """The version in use (or the active shipped one) and its folder under models/garment_classifier/."""
    info = wardrobe.classifier_info()
    return info.version, info.folder


def gather_facts(wardrobe: Wardrobe) -> ModelFacts:
    """Read the classifier's manifest (test-split figures) and the ranker's state (runs in the worker)."""
    facts = ModelFacts()
    facts.version, folder = classifier_folder(wardrobe)
    if folder is not None:
        facts.folder = folder
        facts.version = facts.version or folder.name
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError):
            manifest = {}
        metrics = manifest.get("metrics", manifest)
        split = next((s for s in ("test", "validation") if isinstance(metrics.get(s), dict)), None)
        if split is not None:
            metrics = metrics[split]
            facts.extra["split"] = split
        facts.accuracy = _number(metrics.get("accuracy", metrics.get("test_accuracy")))
        per_class = metrics.get("per_class") or {}
        if isinstance(per_class, dict):
            per_class = [{"name": name, **figures} for name, figures in per_class.items() if isinstance(figures, dict)]
        for figures in per_class if isinstance(per_class, list) else []:
            facts.per_class.append(
                (
                    str(figures.get("name", "?")),
                    _number(figures.get("sensitivity")),
                    _number(figures.get("specificity")),
                )
            )
        for key in ("group_accuracy", "photos"):
            if key in metrics:
                facts.extra[key] = metrics[key]
        pngs = [folder / f"confusion_{split}.png"] if split else []
        pngs = [p for p in pngs if p.is_file()] or sorted(folder.glob("*confusion*.png"))
        facts.confusion_png = pngs[0] if pngs else None
        facts.confusion = read_confusion(folder / f"confusion_{split}.json") if split else None
    try:
        facts.ranker = wardrobe.ranker_state().labelled()
    except Exception as exc:
        facts.ranker_error = str(exc)
    return facts


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


class ModelView(QWidget):
    """Classifier accuracy, per-class sensitivity/specificity, confusion matrix; ranker ratings and reset."""

    ranker_reset = Signal()
    shown = Signal()

    def __init__(self, session: ClosetSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.facts: ModelFacts | None = None
        self.stale = False
        self.summary = named(QLabel("Reading the model card…", wordWrap=True), "classifierSummary")
        self.table = named(QTableWidget(0, 3), "perClassTable")
        self.table.setHorizontalHeaderLabels(["Category", "Sensitivity", "Specificity"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # read only: Tab leaves the table (arrows move between cells)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(330)
        self.confusion = named(QLabel("no confusion matrix", alignment=Qt.AlignmentFlag.AlignCenter), "confusionMatrix")
        scroll = QScrollArea()
        scroll.setWidget(self.confusion)
        scroll.setWidgetResizable(True)
        self.confusion_picture = scroll
        self.matrix = named(ConfusionTable(), "confusionTable")
        self.matrix_box = QWidget()
        matrix_layout = QVBoxLayout(self.matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(QLabel(f"<small>{ConfusionTable.caption}</small>"))
        matrix_layout.addWidget(self.matrix, 1)
        self.matrix_box.hide()
        self.figures = named(QWidget(), "classifierFigures")
        figures = QHBoxLayout(self.figures)
        figures.setContentsMargins(0, 0, 0, 0)
        figures.addWidget(self.table)
        figures.addWidget(scroll, 1)
        figures.addWidget(self.matrix_box, 1)
        classifier_box = QGroupBox("Garment classifier")
        box_layout = QVBoxLayout(classifier_box)
        box_layout.addWidget(self.summary)
        box_layout.addWidget(self.figures, 1)
        box_layout.addStretch(0)

        self.ranker_label = named(QLabel("", wordWrap=True), "rankerState")
        self.reset_button = named(QPushButton("Reset to the expert rules"), "resetRanker")
        self.reset_button.clicked.connect(self.reset_ranker)
        ranker_box = QGroupBox("Outfit ranker")
        ranker_layout = QHBoxLayout(ranker_box)
        ranker_layout.addWidget(self.ranker_label, 1)
        ranker_layout.addWidget(self.reset_button, alignment=Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.addWidget(classifier_box, 1)
        layout.addWidget(ranker_box)
        layout.addStretch(0)
        self.classifier_box = classifier_box
        self.refresh()

    def closet_changed(self) -> None:
        """A rating came or went: reread now if on screen, else when next shown (not one job per rating)."""
        self.stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        self.stale = False
        ClosetQuery(self.session, gather_facts, title="Cannot read the model card").success(
            self.show_facts
        ).run_in_background()

    def show_facts(self, facts: ModelFacts) -> None:
        self.facts = facts
        if facts.folder is None:
            self.summary.setText(
                "<b>No trained garment classifier is installed.</b><br>New items stay unclassified: pick each "
                "one's category in the closet (the outfit board needs it). Figures appear here once a "
                "classifier is shipped in <tt>models/garment_classifier/</tt>."
            )
        else:
            accuracy = f"{facts.accuracy:.1%}" if facts.accuracy is not None else "not recorded"
            extra = dict(facts.extra)
            split = extra.pop("split", "test")
            if isinstance(extra.get("group_accuracy"), float):
                extra["group_accuracy"] = f"{extra['group_accuracy']:.1%}"
            extra_text = "".join(f" · {k.replace('_', ' ')}: {_fmt(v)}" for k, v in extra.items())
            card = facts.folder / "MODEL_CARD.md"
            self.summary.setText(
                f"<b>Version {facts.version}</b> · {split} accuracy <b>{accuracy}</b>{extra_text}<br>"
                f"<small>Model card: {escaped(card)}</small>"
            )
        self.figures.setVisible(facts.folder is not None)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.setStretchFactor(self.classifier_box, 1 if facts.folder is not None else 0)
            layout.setStretch(layout.count() - 1, 0 if facts.folder is not None else 1)
        self.table.setRowCount(len(facts.per_class))
        for row, (name, sensitivity, specificity) in enumerate(facts.per_class):
            for col, text in enumerate((category_title(name), _pct(sensitivity), _pct(specificity))):
                cell = QTableWidgetItem(text)
                if col:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, cell)
        self.matrix_box.setVisible(facts.confusion is not None)
        self.confusion_picture.setVisible(facts.confusion is None)
        if facts.confusion is not None:
            self.matrix.show_confusion(facts.confusion)
        elif facts.confusion_png is not None:
            pixmap = QPixmap(str(facts.confusion_png))
            if pixmap.width() > 640:
                pixmap = pixmap.scaledToWidth(640, Qt.TransformationMode.SmoothTransformation)
            self.confusion.setPixmap(pixmap)
        if facts.ranker is not None:
            rows = "".join(
                f"<tr><td>{k.replace('_', ' ')}</td><td>&nbsp;<b>{_fmt(v)}</b></td></tr>"
                for k, v in facts.ranker.items()
            )
            self.ranker_label.setText(f"<table>{rows}</table>")
        elif facts.ranker_error:
            self.ranker_label.setText(f"Ranker state unavailable: {facts.ranker_error}")
        else:
            self.ranker_label.setText("Outfits are ranked by the expert rules until you rate some.")
        self.shown.emit()

    def reset_ranker(self) -> None:
        answer = QMessageBox.question(
            self,
            "Reset the ranker",
            "Forget what the ranker learnt from your likes "
            "and dislikes, and rank by the expert rules again?\n(Your ratings are kept.)",
        )
        if answer == QMessageBox.StandardButton.Yes:
            ClosetOp(
                self.session,
                lambda w: w.retrain(reset=True),
                title="Cannot reset the ranker",
                changes=lambda stats: Change(ranker_version=stats.version),
            ).success(self._on_reset).run_in_background()

    def _on_reset(self, _result: object) -> None:
        self.ranker_reset.emit()  # the view itself rereads through closet_changed (ranker_version)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value) if value is not None else "—"


def about_text(session: ClosetSession, classifier_state: str, facts: ModelFacts | None = None) -> str:
    """Versions of the app and of the models in use, for Help ▸ About."""
    try:
        version = metadata.version("wardrobe")
    except metadata.PackageNotFoundError:
        version = "development"
    from PySide6 import __version__ as qt_version

    data_dir = session.wardrobe.data_dir if session.wardrobe is not None else "—"
    ranker = (facts.ranker or {}).get("ranker in use") if facts is not None else None
    if facts is not None and facts.version:
        classifier_state = f"{facts.version} ({classifier_state})"
    return (
        f"<h3>Wardrobe {version}</h3><p>A private, offline digital closet.</p>"
        f"<p>Garment classifier: {escaped(classifier_state)}<br>Outfit ranker: {escaped(ranker or 'expert rules')}<br>"
        f"Data folder: {escaped(data_dir)}<br>PySide6 {qt_version}</p>"
    )
