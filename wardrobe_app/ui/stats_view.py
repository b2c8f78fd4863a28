"""The Stats tab: the closet's plots (wears, cost per wear, colours, categories, versatility) drawn by matplotlib."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from wardrobe_app.ui.naming import named
from wardrobe_app.ui.session import ClosetSession

EMPTY_TEXT = (
    "<h3>No statistics yet</h3><p>Add photos of your clothes, then log what you wear with "
    "<b>Wore it</b> on an outfit (or on the Calendar tab): wears, cost per wear, colours, "
    "categories and versatility appear here.</p>"
)


@dataclass
class StatsFigures:
    """The figures and the summary, made in the worker (matplotlib Figures need no GUI thread)."""

    summary: str
    figures: list[tuple[str, Any]]  # (tab title, matplotlib Figure)


def gather_stats(wardrobe: Any) -> StatsFigures | None:
    """The closet's statistics drawn as figures (worker); None for an empty closet."""
    from wardrobe_app.services import stats_plots as plots

    stats = wardrobe.stats()
    if not stats.items:
        return None
    found = wardrobe.versatility()
    if stats.first_day is None:
        span = " (nothing logged yet)"
    elif stats.first_day == stats.last_day:
        span = f" on {_day(stats.first_day)}"
    else:
        span = f" from {_day(stats.first_day)} to {_day(stats.last_day)}"
    summary = (
        f"{len(stats.items)} items · {stats.outfits_worn} outfit{'s' if stats.outfits_worn != 1 else ''} worn{span} · "
        f"{len(stats.never_worn)} never worn · {sum(found.per_occasion.values())} good outfits in all"
    )
    return StatsFigures(
        summary,
        [
            ("Wears", plots.wears_figure(stats)),
            ("Cost per wear", plots.value_figure(stats)),
            ("Colours", plots.colours_figure(stats)),
            ("Categories and occasions", plots.categories_figure(stats)),
            ("Versatility", plots.versatility_figure(stats, found)),
        ],
    )


def _day(day: date | None) -> str:
    """A day as the calendar shows it: "26 Nov 2026"."""
    return f"{day.day} {day:%b %Y}" if day is not None else ""


class StatsView(QWidget):
    """Summary line and one sub-tab per plot; redrawn when shown after the closet or the diary changed."""

    refreshed = Signal()

    def __init__(self, session: ClosetSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.stale = True
        self.canvases: list[FigureCanvasQTAgg] = []
        self.summary = named(QLabel(), "statsSummary")
        self.refresh_button = named(QPushButton("Refresh"), "statsRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.plots = named(QTabWidget(), "statsPlots")
        self.empty = named(QLabel(EMPTY_TEXT, wordWrap=True), "statsEmpty")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.plots)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.refresh_button)

    def closet_changed(self, *_args: object) -> None:
        """The closet or the diary changed: redraw now if on screen, else when next shown."""
        self.stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        self.stale = False
        self.summary.setText("Drawing the statistics…")
        self.session.run(gather_stats, done=self._on_stats, title="Cannot compute the statistics")

    def _on_stats(self, found: StatsFigures | None) -> None:
        current = self.plots.currentIndex()
        self.plots.clear()
        for canvas in self.canvases:
            canvas.deleteLater()
        self.canvases = []
        if found is None:
            self.summary.setText("The closet is empty.")
            self.stack.setCurrentWidget(self.empty)
            self.refreshed.emit()
            return
        self.summary.setText(found.summary)
        for title, figure in found.figures:
            canvas = FigureCanvasQTAgg(figure)
            canvas.setObjectName(f"plot{title.split()[0]}")
            self.canvases.append(canvas)
            self.plots.addTab(canvas, title)
        self.plots.setCurrentIndex(max(current, 0))
        self.stack.setCurrentWidget(self.plots)
        self.refreshed.emit()
