"""One outfit card: a flat-lay of the cut-outs, its score and reasons, and like / dislike / wore it buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QImage, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QSizePolicy, QToolButton, QVBoxLayout

from wardrobe_app.domain import Group, Item, Outfit
from wardrobe_app.domain.diary import DiaryChange
from wardrobe_app.ui.naming import named, tooltip

FLATLAY_W, FLATLAY_H = 200, 300
BACKGROUND = QColor("#f2f1ee")
CARD_STYLE = """
#outfitCard { background: white; border: 1px solid #d9d6cf; border-radius: 10px; }
#outfitCard[focused="true"] { border: 2px solid #3b6ea8; }
#outfitCard[rated="like"], #outfitCard[rated="wore"] { background: #f1f8f1; }
#outfitCard[rated="dislike"] { background: #fbf1f1; }
"""
SLOT_ORDER = {Group.TOP: 0, Group.FULL: 0, Group.MIDDLE: 1, Group.BOTTOM: 2, Group.ACCESSORY: 3}
ROLE_WORDS = (
    ("layer", "Layer"),
    ("top", "Top"),
    ("full", "Dress"),
    ("middle", "Bottom"),
    ("bottom", "Shoes"),
    ("accessory", "Accessory"),
)
RATED_STYLE = {"like": "color: #2e6b34;", "wore": "color: #2e6b34;", "dislike": "color: #9b2c2c;"}


def compose_flatlay(items: list[Item], width: int = FLATLAY_W, height: int = FLATLAY_H) -> QImage:
    """Layer, top, bottom, shoes (or dress, shoes) and accessory stacked, each cut-out fitted to its band."""
    worn = sorted(items, key=lambda i: SLOT_ORDER.get(i.group, 4) if i.group else 4)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(BACKGROUND)
    if not worn:
        return image
    shares = [
        0.75
        if i.group is Group.FULL
        else (0.25 if i.group is Group.BOTTOM else (0.2 if i.group is Group.ACCESSORY else 0.4))
        for i in worn
    ]
    scale = height / sum(shares)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    y = 0.0
    for item, share in zip(worn, shares, strict=True):
        band = QRect(6, int(y) + 4, width - 12, int(share * scale) - 8)
        y += share * scale
        picture = QImage(item.cutout_path or item.thumb_path or item.photo_path or "")
        if picture.isNull():
            continue
        fitted = picture.scaled(
            band.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        painter.drawImage(
            band.x() + (band.width() - fitted.width()) // 2, band.y() + (band.height() - fitted.height()) // 2, fitted
        )
    painter.end()
    return image


class OutfitCard(QFrame):
    """A focusable outfit card; L / D / W rate it, the lock menu keeps one item and regenerates the rest."""

    rated = Signal(object, str)  # card, "like" | "dislike" | "wore"
    undo_requested = Signal(object)  # card
    arrow = Signal(object, int)  # card, Qt key: move the focus to a neighbouring card
    focused = Signal(object)  # card: it became the current card
    lock_requested = Signal(str, int)  # slot, item id

    def __init__(self, outfit: Outfit, items: list[Item], picture: QImage, rank: int) -> None:
        super().__init__()
        self.setObjectName("outfitCard")
        self.outfit = outfit
        self.items = items
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(CARD_STYLE)
        self.setFixedWidth(FLATLAY_W + 40)
        self.setProperty("focused", False)
        self.saved_kind: str | None = None
        self.feedback_id: int | None = None
        self.worn: DiaryChange | None = None  # "wore it": what Undo takes back (the entry, its wears, the laundry)

        flatlay = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "flatlay")
        flatlay.setPixmap(QPixmap.fromImage(picture))
        flatlay.setToolTip(tooltip("\n".join(item.label for item in items)))
        place = "<b>something different</b>" if outfit.explore else f"<b>#{rank}</b>"
        score = named(QLabel(f"{place} &nbsp; score <b>{outfit.score:.0%}</b>"), "outfitScore")
        reasons = named(
            QLabel(
                "".join(f"• {r}<br>" for r in outfit.reasons[:4]) or "<i>no reasons given</i>",
                wordWrap=True,
            ),
            "outfitReasons",
        )
        reasons.setStyleSheet("color: #444;")
        by_id = {item.id: item for item in items}
        worn = [
            (word, by_id[i])
            for field, word in ROLE_WORDS
            if (i := getattr(outfit, field, None)) is not None and i in by_id
        ]
        pieces = named(
            QLabel("<br>".join(f"<small><b>{word}</b> {item.label}</small>" for word, item in worn), wordWrap=True),
            "outfitPieces",
        )
        self.like_button = _button("Like", "Like this outfit (L)", lambda: self.rated.emit(self, "like"))
        self.dislike_button = _button("Dislike", "Dislike this outfit (D)", lambda: self.rated.emit(self, "dislike"))
        self.wore_button = _button("Wore it", "I wore this outfit (W)", lambda: self.rated.emit(self, "wore"))
        self.lock_button = named(QToolButton(), "lockButton")
        self.lock_button.setText("Keep an item, regenerate…")
        self.lock_button.setToolTip("Keep one item of this outfit and regenerate the rest")
        self.lock_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.lock_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.lock_button)
        for slot, item in self.slots():
            action = menu.addAction(f"Keep the {item.label}, regenerate the rest")
            action.setObjectName(f"lock-{slot}")
            action.triggered.connect(lambda _checked=False, s=slot, i=item.id: self.lock_requested.emit(s, i))
        self.lock_button.setMenu(menu)
        buttons = QHBoxLayout()
        for widget in (self.like_button, self.dislike_button, self.wore_button):
            buttons.addWidget(widget)
        self.feedback_row = named(QLabel("", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True), "feedbackRow")
        self.feedback_row.setStyleSheet("color: #2e6b34; font-weight: bold;")
        self.undo_button = _button("Undo", "Take back this rating (U)", lambda: self.undo_requested.emit(self))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setVisible(False)
        rated_row = QHBoxLayout()
        rated_row.addWidget(self.feedback_row, 1)
        rated_row.addWidget(self.undo_button)

        layout = QVBoxLayout(self)
        layout.addWidget(flatlay)
        layout.addWidget(score)
        layout.addWidget(pieces)
        layout.addWidget(reasons)
        layout.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.lock_button)
        layout.addLayout(rated_row)

    def slots(self) -> list[tuple[str, Item]]:
        """(slot, item) pairs of this outfit: top, middle, full, bottom."""
        by_id = {item.id: item for item in self.items}
        found = [(slot, getattr(self.outfit, slot)) for slot in ("layer", "top", "middle", "full", "bottom")]
        return [(slot, by_id[i]) for slot, i in found if i is not None and i in by_id]

    def feedback_words(self, kind: str) -> str:
        return {"like": "✓ Liked", "dislike": "✗ Disliked", "wore": "✓ Worn today"}[kind]

    def set_saving(self, kind: str) -> None:
        self.feedback_row.setText("saving…")
        for button in (self.like_button, self.dislike_button, self.wore_button):
            button.setEnabled(False)

    def set_saved(self, kind: str | None, feedback_id: int | None = None) -> None:
        """Show the card's rating (or none, after an undo); the rated card keeps its state until paged."""
        for button in (self.like_button, self.dislike_button, self.wore_button):
            button.setEnabled(True)
        self.saved_kind = kind
        self.feedback_id = feedback_id if kind else None
        text = self.feedback_words(kind) if kind else ""
        if kind and feedback_id is not None:  # the rating's number is for the record, not for the card's face
            text += " · saved"
            self.feedback_row.setToolTip(f"Saved as feedback {feedback_id}; U or Undo takes it back")
        else:
            self.feedback_row.setToolTip("")
        self.feedback_row.setText(text)
        self.feedback_row.setStyleSheet(RATED_STYLE.get(kind or "", "") + " font-weight: bold;")
        self.undo_button.setVisible(self.feedback_id is not None)
        self.setProperty("rated", kind or "")
        self.style().unpolish(self)
        self.style().polish(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        kind = {"l": "like", "d": "dislike", "w": "wore"}.get(event.text().lower())
        if kind is not None and self.like_button.isEnabled():
            self.rated.emit(self, kind)
            return
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.arrow.emit(self, int(event.key()))
            return
        if event.text().lower() == "u" and self.feedback_id is not None:
            self.undo_requested.emit(self)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._set_focused(True)
        self.focused.emit(self)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._set_focused(False)
        super().focusOutEvent(event)

    def mousePressEvent(self, event: object) -> None:
        self.setFocus()
        self.focused.emit(self)

    def _set_focused(self, focused: bool) -> None:
        self.setProperty("focused", focused)
        self.style().unpolish(self)
        self.style().polish(self)


def _button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button
