"""The outfit board: pick an occasion, get the best outfits as cards, rate them, lock an item and regenerate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Item, Occasion, Outfit
from wardrobe_app.ui.naming import named
from wardrobe_app.ui.outfit_card import OutfitCard, compose_flatlay

CARD_WIDTH = 260  # card + grid spacing


@dataclass
class Suggestion:
    """One outfit with its items and its flat-lay picture, made in the worker."""

    outfit: Outfit
    items: list[Item]
    picture: Any  # QImage


def suggest(wardrobe: Any, occasion: str, k: int, with_item: int | None, locked: dict[str, int]) -> list[Suggestion]:
    """Ask the services for outfits and draw their flat-lays (runs in the worker)."""
    kwargs: dict[str, Any] = {"k": k}
    if with_item is not None:
        kwargs["with_item"] = with_item
    if locked:
        kwargs["locked"] = locked
    outfits: list[Outfit] = wardrobe.suggest(occasion, **kwargs)
    items = {item.id: item for item in wardrobe.items()}
    found = []
    for outfit in outfits:
        worn = [items[i] for i in outfit.item_ids if i in items]
        found.append(Suggestion(outfit, worn, compose_flatlay(worn)))
    return found


def note(result: Any, prefix: str) -> str | None:
    """The first note of a Change that starts with ``prefix`` ("feedback 12", "ranker v3")."""
    return next((str(n) for n in getattr(result, "notes", ()) or () if str(n).startswith(prefix)), None)


class OutfitBoard(QWidget):
    """Outfit cards for one occasion; feedback is saved at once and the board follows the ranker."""

    refreshed = Signal()
    ranker_retrained = Signal(str)

    def __init__(
        self, session: Any, settings: QSettings, status: QStatusBar, k: int = 8, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.status = status
        self.k = k
        self.with_item: int | None = None
        self.locked: dict[str, int] = {}
        self.cards: list[OutfitCard] = []
        self.labels: dict[int, str] = {}  # item id -> label, of the items shown
        self._stale = True
        self._debounce = QTimer(self, singleShot=True, interval=1000)
        self._debounce.timeout.connect(self.refresh)

        self.occasion_box = named(QComboBox(), "occasionBox")
        for occasion in Occasion:
            self.occasion_box.addItem(occasion.value.capitalize(), occasion.value)
        last = str(settings.value("board/occasion", Occasion.CASUAL.value))
        self.occasion_box.setCurrentIndex(max(0, self.occasion_box.findData(last)))
        self.occasion_box.currentIndexChanged.connect(self.refresh)
        self.suggest_button = named(QPushButton("New suggestions (F5)"), "suggestButton")
        self.suggest_button.clicked.connect(self.refresh)
        self.focus_label = named(QLabel(""), "boardFocus")
        self.clear_button = named(QPushButton("Show all outfits"), "clearFocus")
        self.clear_button.clicked.connect(self.clear_focus)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Occasion"))
        bar.addWidget(self.occasion_box)
        bar.addWidget(self.suggest_button)
        bar.addSpacing(16)
        bar.addWidget(self.focus_label)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("<small>Keys on a card: <b>L</b> like · <b>D</b> dislike · <b>W</b> wore it</small>"))

        self.message = named(QLabel("", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True), "boardMessage")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self._show_focus()
        if session.has("occasions"):
            session.call("occasions", done=self._on_occasions, title="Cannot list the occasions")

    @property
    def occasion(self) -> str:
        return str(self.occasion_box.currentData())

    def _on_occasions(self, occasions: list[Any]) -> None:
        names = [str(getattr(o, "value", o)) for o in occasions]
        current = self.occasion
        self.occasion_box.blockSignals(True)
        self.occasion_box.clear()
        for name in names:
            self.occasion_box.addItem(name.capitalize(), name)
        self.occasion_box.setCurrentIndex(max(0, self.occasion_box.findData(current)))
        self.occasion_box.blockSignals(False)

    # -- what to suggest -----------------------------------------------------------------------
    def build_around(self, item_id: int, label: str | None = None) -> None:
        self.with_item, self.locked = item_id, {}
        if label:
            self.labels[item_id] = label
        self.refresh()

    def lock(self, slot: str, item_id: int) -> None:
        """Keep this item in its slot and regenerate the rest of the outfit."""
        self.locked = {**self.locked, slot: item_id}
        self.with_item = None
        self.refresh()

    def clear_focus(self) -> None:
        self.with_item, self.locked = None, {}
        self.refresh()

    def _show_focus(self) -> None:
        if self.locked:
            kept = " and the ".join(self._name(item_id) for item_id in self.locked.values())
            self.focus_label.setText(f"<b>Keeping the {kept}</b>, regenerating the rest")
        elif self.with_item is not None:
            self.focus_label.setText(f"<b>Outfits built around the {self._name(self.with_item)}</b>")
        else:
            self.focus_label.setText("")
        self.clear_button.setVisible(bool(self.locked) or self.with_item is not None)

    def _name(self, item_id: int) -> str:
        return self.labels.get(item_id, f"item {item_id}")

    def closet_changed(self, *_args: object) -> None:
        """The closet changed: regenerate now if the board is on screen (debounced), else when it shows."""
        self._stale = True
        self._debounce = QTimer(self, singleShot=True, interval=1000)
        self._debounce.timeout.connect(self.refresh)
        if self.isVisible():
            self._debounce.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        if self.session.wardrobe is None:
            return
        self._stale = False
        self._show_focus()
        self.settings.setValue("board/occasion", self.occasion)
        self.suggest_button.setEnabled(False)
        if not self.cards:
            self._say("Putting outfits together…")
        occasion, with_item, locked = self.occasion, self.with_item, self.locked
        self.session.run(
            lambda w: suggest(w, occasion, self.k, with_item, locked), done=self._show, failed=self._failed
        )

    def _failed(self, error: BaseException) -> None:
        from wardrobe_app.domain import WardrobeError

        self.suggest_button.setEnabled(True)
        self._clear_cards()
        if isinstance(error, WardrobeError):
            self._say(f"<b>No outfits yet.</b><br>{error}")
        else:
            self._say("")
            self.session.report("Cannot suggest outfits", error)

    def _show(self, found: list[Suggestion]) -> None:
        self.suggest_button.setEnabled(True)
        self._clear_cards()
        if not found:
            self._say(
                "<b>No outfits for this occasion.</b><br>Add tops, bottoms and shoes "
                "(or dresses and shoes) to the closet."
            )
        else:
            self._say("")
        for index, suggestion in enumerate(found):
            self.labels.update({item.id: item.label for item in suggestion.items})
            card = OutfitCard(suggestion.outfit, suggestion.items, suggestion.picture, index + 1)
            card.rated.connect(self.rate)
            card.lock_requested.connect(self.lock)
            self.cards.append(card)
        self._lay_out_cards()
        if self.cards:
            self.cards[0].setFocus()
        self.refreshed.emit()

    def _say(self, text: str) -> None:
        """The board's message (empty closet, error, busy); hidden when there is nothing to say."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _lay_out_cards(self) -> None:
        columns = max(1, (self.width() - 30) // CARD_WIDTH)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out_cards()

    def _clear_cards(self) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []

    # -- feedback -----------------------------------------------------------------------------
    def rate(self, card: OutfitCard, kind: str) -> None:
        """Save a like, dislike or 'wore it' at once; a retrain refreshes the board."""
        occasion = self.occasion
        card.set_saving(kind)

        def done(result: Any) -> None:
            saved = note(result, "feedback")
            card.set_saved(kind, saved)
            ranker = note(result, "ranker")
            if ranker is not None:
                self.status.showMessage(
                    f"The outfit ranker learnt from your ratings ({ranker}); suggestions refreshed.", 10000
                )
                self.ranker_retrained.emit(ranker)
                self.refresh()
            else:
                self.status.showMessage(f"Saved: {card.feedback_words(kind).lower()[2:]} ({saved})", 5000)

        def failed(error: BaseException) -> None:
            card.set_saved(None)
            self.session.report("Cannot save your rating", error)

        if kind == "wore":  # a diary entry for today, and the "wore" rating
            self.session.call("wear", card.outfit.item_ids, occasion, done=lambda change: done(change.rating),
                              failed=failed)
        else:
            self.session.call("feedback", card.outfit, occasion, kind == "like", done=done, failed=failed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.cards and event.text().lower() in ("l", "d", "w"):
            self.cards[0].keyPressEvent(event)
            return
        super().keyPressEvent(event)

    def save_settings(self) -> None:
        self.settings.setValue("board/occasion", self.occasion)
