"""The outfit board: pick an occasion, get the best outfits as cards, rate them, lock an item and regenerate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Change, Item, Outfit
from wardrobe_app.ui.board_controls import HemisphereBox, occasion_box, weather_box
from wardrobe_app.ui.naming import escaped, named
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery
from wardrobe_app.ui.outfit_card import OutfitCard, compose_flatlay

if TYPE_CHECKING:
    from wardrobe_app.domain.diary import DiaryChange
    from wardrobe_app.services.wardrobe import Wardrobe
    from wardrobe_app.ui.session import ClosetSession

CARD_WIDTH = 260  # card + grid spacing


@dataclass
class Suggestion:
    """One outfit with its items and its flat-lay picture, made in the worker."""

    outfit: Outfit
    items: list[Item]
    picture: Any  # QImage


def suggest(
    wardrobe: Wardrobe,
    occasion: str,
    k: int,
    with_item: int | None,
    locked: dict[str, int],
    weather: str | None = None,
    exclude: list[Outfit] | None = None,
) -> tuple[list[Suggestion], list[str]]:
    """Ask the services for a board (an exploration card too) and draw its flat-lays (in the worker); what lacks."""
    kwargs: dict[str, Any] = {"k": k, "explore_card": True}
    if with_item is not None:
        kwargs["with_item"] = with_item
    if locked:
        kwargs["locked"] = locked
    if weather:
        kwargs["weather"] = weather
    if exclude:
        kwargs["exclude"] = exclude
    board = wardrobe.suggestions(occasion, **kwargs)
    items = {item.id: item for item in wardrobe.items()}
    found = []
    for outfit in board.outfits:
        worn = [items[i] for i in outfit.item_ids if i in items]
        found.append(Suggestion(outfit, worn, compose_flatlay(worn)))
    return found, list(board.missing)


class OutfitBoard(QWidget):
    """Outfit cards for one occasion and weather. Ratings are saved at once (learning runs in the worker)
    but the board stays still: it pages to the next-best different outfits on F5 or once every card
    shown is rated, keeping the scroll position and the focused card's place."""

    refreshed = Signal()
    ranker_retrained = Signal(str)

    def __init__(
        self, session: ClosetSession, settings: QSettings, status: QStatusBar, k: int = 8, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.status = status
        self.k = k
        self.with_item: int | None = None
        self.locked: dict[str, int] = {}
        self.cards: list[OutfitCard] = []
        self.shown: list[Outfit] = []  # every outfit shown since the occasion, weather or focus changed
        self.current = 0  # the card keys act on (keeps its place when the board pages)
        self.labels: dict[int, str] = {}  # item id -> label, of the items shown
        self._stale = True
        self._debounce = QTimer(self, singleShot=True, interval=1000)
        self._debounce.timeout.connect(self.regenerate)

        self.occasion_box = occasion_box(settings)
        self.occasion_box.currentIndexChanged.connect(self.regenerate)
        self.weather_box = weather_box(settings)
        self.weather_box.currentIndexChanged.connect(self.regenerate)
        self.hemisphere_box = HemisphereBox(session, status)
        self.hemisphere_box.saved.connect(self.regenerate)
        self.suggest_button = named(QPushButton("New suggestions (F5)"), "suggestButton")
        self.suggest_button.setToolTip("Show the next-best different outfits")
        self.suggest_button.clicked.connect(self.refresh)
        self.focus_label = named(QLabel(""), "boardFocus")
        self.clear_button = named(QPushButton("Show all outfits"), "clearFocus")
        self.clear_button.clicked.connect(self.clear_focus)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Occasion"))
        bar.addWidget(self.occasion_box)
        bar.addWidget(QLabel("Weather"))
        bar.addWidget(self.weather_box)
        bar.addWidget(self.hemisphere_box)
        bar.addWidget(self.suggest_button)
        bar.addSpacing(16)
        bar.addWidget(self.focus_label)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        self.keys_hint = named(
            QLabel(
                # no-break spaces: a wrapped line never leaves a key apart from what it does ("U" / "undo")
                "<small>Arrows move between cards · <b>L</b>&nbsp;like · <b>D</b>&nbsp;dislike · "
                "<b>W</b>&nbsp;wore&nbsp;it · <b>U</b>&nbsp;undo</small>",
                wordWrap=True,  # may take two lines: with "Outfits built around …" beside it the bar outgrew the screen
            ),
            "boardKeys",
        )
        bar.addWidget(self.keys_hint, 1)

        self.message = named(QLabel("", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True), "boardMessage")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroller = scroll = named(QScrollArea(), "boardScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self._show_focus()
        ClosetQuery(session, lambda w: w.occasions(), title="Cannot list the occasions").success(
            self._on_occasions
        ).run_in_background()

    @property
    def occasion(self) -> str:
        return str(self.occasion_box.currentData())

    @property
    def weather(self) -> str | None:
        return str(self.weather_box.currentData() or "") or None

    @property
    def hemisphere(self) -> str:
        return self.hemisphere_box.hemisphere

    def _on_occasions(self, occasions: list[str]) -> None:
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
        self.regenerate()

    def lock(self, slot: str, item_id: int) -> None:
        """Keep this item in its slot and regenerate the rest of the outfit."""
        self.locked = {**self.locked, slot: item_id}
        self.with_item = None
        self.regenerate()

    def clear_focus(self) -> None:
        self.with_item, self.locked = None, {}
        self.regenerate()

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
        self._debounce.timeout.connect(self.regenerate)
        if self.isVisible():
            self._debounce.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.regenerate()

    def regenerate(self) -> None:
        """A fresh board (the occasion, weather, focus or closet changed): paging starts again."""
        self.shown = []
        self._load()

    def refresh(self) -> None:
        """F5: the next-best outfits that differ from every one shown so far."""
        self._load()

    def _load(self) -> None:
        if self.session.wardrobe is None:
            return
        self._stale = False
        if not self.hemisphere_box.settings_read:
            self.hemisphere_box.read_settings()
        self._show_focus()
        self.settings.setValue("board/occasion", self.occasion)
        self.settings.setValue("board/weather", self.weather or "")
        self.suggest_button.setEnabled(False)
        if not self.cards:
            self._say("Putting outfits together…")
        occasion, with_item, locked, weather = self.occasion, self.with_item, self.locked, self.weather
        exclude = list(self.shown)
        self.session.run(
            lambda w: suggest(w, occasion, self.k, with_item, locked, weather, exclude),
            done=self._show,
            failed=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        from wardrobe_app.domain import CannotMakeOutfitError, WardrobeError

        self.suggest_button.setEnabled(True)
        self._clear_cards()
        if isinstance(error, WardrobeError):
            said = str(error)
            hint = "<br>Add photos of what is missing on the Closet tab (Ctrl+O)." * isinstance(
                error, CannotMakeOutfitError
            )
            self._say(f"<b>No outfits yet.</b><br>{escaped(said[:1].upper() + said[1:])}.{hint}")
        else:
            self._say("")
            self.session.report("Cannot suggest outfits", error)

    def _show(self, result: tuple[list[Suggestion], list[str]]) -> None:
        found, missing = result
        self.suggest_button.setEnabled(True)
        focused = self.current
        scrolled = self.scroller.verticalScrollBar().value()
        self._clear_cards()
        if not found and self.shown:
            self._say(
                "<b>No more outfits for this occasion.</b> You have seen them all; change the occasion or "
                "the weather, or rate some to learn your taste."
            )
        elif not found:
            self._say(
                "<b>No outfits for this occasion.</b><br>"
                + (
                    "<br>".join(missing)
                    if missing
                    else "Add tops, bottoms and shoes (or dresses and shoes) to the closet."
                )
            )
        elif missing:
            self._say(
                f"Only {len(found)} good outfit{'s' if len(found) != 1 else ''} for this occasion: "
                + "; ".join(missing)
            )
        else:
            self._say("")
        for index, suggestion in enumerate(found):
            self.labels.update({item.id: item.label for item in suggestion.items})
            card = OutfitCard(suggestion.outfit, suggestion.items, suggestion.picture, index + 1)
            card.rated.connect(self.rate)
            card.undo_requested.connect(self.undo)
            card.arrow.connect(lambda c, key: self.move_focus(self.cards.index(c) if c in self.cards else 0, key))
            card.focused.connect(lambda c: setattr(self, "current", self.cards.index(c) if c in self.cards else 0))
            card.lock_requested.connect(self.lock)
            self.cards.append(card)
        self.shown += [s.outfit for s in found]
        self._lay_out_cards()
        if self.cards:
            self.current = min(focused, len(self.cards) - 1)
            self.cards[self.current].setFocus()
        QTimer.singleShot(0, lambda: self.scroller.verticalScrollBar().setValue(scrolled))
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
        """Save a like, dislike or 'wore it' at once; the board pages on only when every card is rated."""
        occasion = self.occasion
        card.set_saving(kind)

        def done(result: Change) -> None:
            saved = result.feedback[0] if result.feedback else None
            card.set_saved(kind, saved)
            if result.ranker_version is not None:
                ranker = f"ranker v{result.ranker_version}"
                self.status.showMessage(
                    f"The outfit ranker learnt from your ratings ({ranker}); new suggestions on F5.", 10000
                )
                self.ranker_retrained.emit(ranker)
            else:
                self.status.showMessage(
                    f"Saved: {card.feedback_words(kind).lower()[2:]} (U or Undo takes it back)", 5000
                )
            if kind != "wore":
                card.worn = None  # the like or dislike replaced the "wore" rating: Undo takes back this one
            rated = [c for c in self.cards if not c.outfit.explore]  # the "something different" card may wait
            if card in self.cards and all(c.saved_kind is not None for c in rated):
                self.refresh()  # everything shown is rated: the next page

        def failed(error: BaseException) -> None:
            card.set_saved(None)
            self.session.report("Cannot save your rating", error)

        outfit = card.outfit
        if kind == "wore":  # a diary entry for today, and the "wore" rating

            def worn(change: DiaryChange) -> None:
                # what Undo takes back with the rating (a plan worn stays worn: deleting it would lose the plan)
                card.worn = None if change.from_plan else change
                done(change.rating or Change())

            ClosetOp(self.session, lambda w: w.wear(outfit.item_ids, occasion)).success(worn).failure(
                failed
            ).run_in_background()
        else:
            ClosetOp(self.session, lambda w: w.feedback(outfit, occasion, kind == "like")).success(done).failure(
                failed
            ).run_in_background()

    def undo(self, card: OutfitCard) -> None:
        """Take back the card's rating; for "wore it", the day's diary entry too (and the laundry it caused)."""
        if card.feedback_id is None:
            return
        feedback_id, worn = card.feedback_id, card.worn

        def take_back(w: Wardrobe) -> Change:  # one transaction: the rating, the entry, its wears and laundry
            return w.undo_feedback(feedback_id) if worn is None else w.undo_wear(worn)

        def done(_result: Change) -> None:
            card.worn = None
            card.set_saved(None)
            said = "“Wore it” taken back: it is off today's diary" if worn is not None else "Rating taken back"
            self.status.showMessage(said, 5000)

        ClosetOp(self.session, take_back, title="Cannot undo the rating").success(done).run_in_background()

    def _focused(self) -> int:
        return min(self.current, len(self.cards) - 1)

    def move_focus(self, at: int | None, key: int) -> None:
        """Arrow keys: the focus goes to the card left, right, above or below (as laid out)."""
        columns = max(1, (self.width() - 30) // CARD_WIDTH)
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -columns, Qt.Key.Key_Down: columns}
        if not self.cards or Qt.Key(key) not in step:
            return
        target = 0 if at is None else min(max(0, at + step[Qt.Key(key)]), len(self.cards) - 1)
        self.current = target
        self.cards[target].setFocus()
        self.scroller.ensureWidgetVisible(self.cards[target])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.cards:
            super().keyPressEvent(event)
            return
        at = self._focused()
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_focus(at, int(event.key()))
            return
        if event.text().lower() in ("l", "d", "w", "u"):
            self.cards[at].keyPressEvent(event)
            return
        super().keyPressEvent(event)

    def save_settings(self) -> None:
        self.settings.setValue("board/occasion", self.occasion)
        self.settings.setValue("board/weather", self.weather or "")
