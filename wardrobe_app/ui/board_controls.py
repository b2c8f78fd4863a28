"""The outfit board's controls: occasion and weather (remembered in QSettings), hemisphere (kept with the closet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QStatusBar, QWidget

from wardrobe_app.domain import Occasion
from wardrobe_app.ui.naming import named

if TYPE_CHECKING:
    from wardrobe_app.ui.session import ClosetSession


def occasion_box(settings: QSettings) -> QComboBox:
    """The occasions, the last one chosen selected."""
    box = named(QComboBox(), "occasionBox")
    for occasion in Occasion:
        box.addItem(occasion.value.capitalize(), occasion.value)
    last = str(settings.value("board/occasion", Occasion.CASUAL.value))
    box.setCurrentIndex(max(0, box.findData(last)))
    return box


def weather_box(settings: QSettings) -> QComboBox:
    """Any weather, cold, mild, warm or hot, the last one chosen selected."""
    box = named(QComboBox(), "weatherBox")
    for label, value in (("Any weather", ""), ("Cold", "cold"), ("Mild", "mild"), ("Warm", "warm"), ("Hot", "hot")):
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(str(settings.value("board/weather", "")))))
    box.setToolTip("Today's weather: layers and coats when cold, no coats or boots when hot")
    return box


class HemisphereBox(QComboBox):
    """North or south (the season of a date follows it); disabled until the closet's setting is read."""

    saved = Signal()  # the closet keeps the new hemisphere: time for a fresh board

    def __init__(self, session: ClosetSession, status: QStatusBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hemisphereBox")
        self.session = session
        self.status = status
        for label, value in (("Northern hemisphere", "north"), ("Southern hemisphere", "south")):
            self.addItem(label, value)
        self.setToolTip("The season follows your hemisphere (kept with your closet)")
        self.setEnabled(False)  # until the closet's setting is read
        self.currentIndexChanged.connect(self._chosen)
        self.settings_read = False

    @property
    def hemisphere(self) -> str:
        return str(self.currentData())

    def read_settings(self) -> None:
        """Show the closet's hemisphere (read once the closet is open)."""
        self.settings_read = True
        self.session.run(lambda w: w.outfit_settings(), done=self._on_settings, title="Cannot read the outfit settings")

    def _on_settings(self, settings: dict[str, Any]) -> None:
        self.blockSignals(True)
        self.setCurrentIndex(max(0, self.findData(settings.get("hemisphere", "north"))))
        self.blockSignals(False)
        self.setEnabled(True)
        self.setToolTip(
            f"The season follows your hemisphere: {settings.get('season', '?')} now (kept with your closet)"
        )

    def _chosen(self) -> None:
        """Keep the hemisphere with the closet, then a fresh board for the season it gives."""
        hemisphere = self.hemisphere

        def saved(settings: dict[str, Any]) -> None:
            self._on_settings(settings)
            self.status.showMessage(f"Hemisphere: {hemisphere}; the season is {settings.get('season')}", 5000)
            self.saved.emit()

        self.session.run(
            lambda w: w.set_outfit_settings(hemisphere=hemisphere), done=saved, title="Cannot save the hemisphere"
        )
