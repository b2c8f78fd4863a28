"""The item panel: photo, cut-out, colours, category (correctable) and the classifier's confidence of one item."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import CATEGORY_GROUPS, Item
from wardrobe_app.ui.item_models import GROUP_TITLES, ImageLoader, by_title
from wardrobe_app.ui.naming import escaped, named, plain

PREVIEW = 132
REVIEW_STYLE = "color: #8a4b00; background: #fff1d6; border-radius: 4px; padding: 2px 6px;"


class ItemPanel(QWidget):
    """Shows the selected item; a category picked in the combo box is a correction the services keep."""

    category_chosen = Signal(int, str)
    confirm_requested = Signal(int)
    remove_requested = Signal(int)
    build_around_requested = Signal(int)
    edit_requested = Signal(int)
    fix_cutout_requested = Signal(int)
    archive_requested = Signal(int, bool)

    def __init__(self, images: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item: Item | None = None
        self._images = images
        images.loaded.connect(self._on_image)
        self.setMinimumWidth(280)

        self.title = named(QLabel("<i>Select an item to see it here.</i>", wordWrap=True), "itemTitle")
        self.photo = _image_label("photo")
        self.cutout = _image_label("cut-out")
        pictures = QHBoxLayout()
        pictures.addWidget(self.photo)
        pictures.addWidget(self.cutout)

        self.category_box = named(QComboBox(), "categoryBox")
        for title, category in by_title(set(CATEGORY_GROUPS)):
            self.category_box.addItem(title, category)
        self.category_box.activated.connect(self._on_category)
        self._no_silent_change = _NoSilentChange(self)
        self.category_box.installEventFilter(self._no_silent_change)
        self.group_label = named(QLabel(), "groupLabel")
        # wraps: one line of it ("59% confident · model garment_classifier/1.0.0") was wider than the panel, which
        # then clipped it and squashed the wrapped Details row under the buttons
        self.confidence_label = named(QLabel(wordWrap=True), "confidenceLabel")
        self.review_label = named(QLabel("needs review: please check the category"), "reviewLabel")
        self.review_label.setStyleSheet(REVIEW_STYLE)
        self.confirm_button = named(QPushButton("Confirm  (Ctrl+Return)"), "confirmButton")
        self.confirm_button.setToolTip("The guess is right: keep it (it also teaches the classifier your closet)")
        self.confirm_button.clicked.connect(lambda: self.item and self.confirm_requested.emit(self.item.id))
        self.colours = named(QLabel(textFormat=Qt.TextFormat.RichText), "colourSwatches")
        # the photo's own file name: a small detail under the title (the title is the item's name or description)
        self.source_label = plain(named(QLabel(wordWrap=True), "sourceLabel"))
        self.source_label.setStyleSheet("color: #777;")
        self.source_label.setToolTip("The file name of the photo it was added from")
        small = self.source_label.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.source_label.setFont(small)
        self.details_label = plain(named(QLabel(wordWrap=True), "detailsLabel"))

        form = QFormLayout()
        form.addRow("Category", self.category_box)
        form.addRow("Group", self.group_label)
        form.addRow("Classifier", self.confidence_label)
        form.addRow("", self.review_label)
        form.addRow("", self.confirm_button)
        form.addRow("Colours", self.colours)
        form.addRow("Details", self.details_label)

        self.outfit_button = named(QPushButton("Build an outfit around it"), "buildAroundButton")
        self.outfit_button.clicked.connect(lambda: self.item and self.build_around_requested.emit(self.item.id))
        self.remove_button = named(QPushButton("Move to trash"), "removeButton")
        self.remove_button.clicked.connect(lambda: self.item and self.remove_requested.emit(self.item.id))
        self.edit_button = named(QPushButton("Edit…"), "editButton")
        self.edit_button.setToolTip("Name, brand, price, season, formality, tags, notes (Ctrl+E)")
        self.edit_button.clicked.connect(lambda: self.item and self.edit_requested.emit(self.item.id))
        self.fix_button = named(QPushButton("Fix cut-out…"), "fixCutoutButton")
        self.fix_button.setToolTip("Paint what to keep and what to remove, and cut the photo out again")
        self.fix_button.clicked.connect(lambda: self.item and self.fix_cutout_requested.emit(self.item.id))
        self.archive_button = named(QPushButton("Archive"), "archiveButton")
        self.archive_button.setToolTip("Keep it, but out of the grid, outfits and suggestions")
        self.archive_button.clicked.connect(
            lambda: self.item and self.archive_requested.emit(self.item.id, not self.item.archived)
        )
        editing = QHBoxLayout()
        for button in (self.edit_button, self.fix_button, self.archive_button):
            editing.addWidget(button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.outfit_button)
        buttons.addWidget(self.remove_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.source_label)
        layout.addLayout(pictures)
        layout.addLayout(form)
        layout.addLayout(editing)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.shop_buttons: tuple[QPushButton, ...] = ()  # Shop for this, Find similar (life_menu adds them)
        self.show_item(None)

    def show_item(self, item: Item | None) -> None:
        shown_before = self.item.id if self.item is not None else None
        self.item = item
        has_item = item is not None
        for widget in (
            self.category_box,
            self.outfit_button,
            self.remove_button,
            self.edit_button,
            self.fix_button,
            self.archive_button,
            *self.shop_buttons,
        ):
            widget.setEnabled(has_item)
        self.review_label.setVisible(bool(item and item.to_review))
        self.confirm_button.setVisible(bool(item and item.to_review))
        if item is None or item.id != shown_before:  # not the last item's pictures beside this one's name
            for label in (self.photo, self.cutout):
                label.clear()
                label.setText(label.objectName())
        if item is None:
            self.title.setText("<i>Select an item to see it here.</i>")
            self.category_box.setCurrentIndex(-1)
            self.group_label.clear()
            self.confidence_label.clear()
            self.colours.clear()
            self.source_label.clear()
            self.details_label.clear()
            return
        self.archive_button.setText("Unarchive" if item.archived else "Archive")
        self.details_label.setText(_details(item))
        self.title.setText(f"<h3>{escaped(item.title)}</h3>")
        self.category_box.blockSignals(True)
        index = self.category_box.findData(item.category)
        if index < 0:
            self.category_box.setCurrentIndex(-1)
            self.category_box.setPlaceholderText("choose a category…")
        else:
            self.category_box.setCurrentIndex(index)
        self.category_box.blockSignals(False)
        self.group_label.setText(GROUP_TITLES[item.group.value] if item.group else "— (pick a category)")
        self.confidence_label.setText(_confidence_text(item))
        self.colours.setText(_swatches(item))
        self.source_label.setText(item.source_name or "")
        self._images.request(f"{item.id}:photo", item.photo_path, PREVIEW)
        if item.cutout_path:
            self._images.request(f"{item.id}:cutout", item.cutout_path, PREVIEW)

    def _on_image(self, key: str, image: QImage) -> None:
        item_id, _, which = key.partition(":")
        if self.item is None or str(self.item.id) != item_id or image.isNull():
            return
        label = self.photo if which == "photo" else self.cutout
        label.setPixmap(QPixmap.fromImage(image))

    def _on_category(self, _index: int) -> None:
        category = self.category_box.currentData()
        if self.item is not None and category and category != self.item.category:
            self.category_chosen.emit(self.item.id, category)


def _image_label(name: str) -> QLabel:
    label = named(QLabel(name, alignment=Qt.AlignmentFlag.AlignCenter), name)
    label.setFixedSize(PREVIEW + 8, PREVIEW + 8)
    label.setScaledContents(False)
    label.setStyleSheet("background: #f2f1ee; border-radius: 6px; color: #999;")
    return label


def _confidence_text(item: Item) -> str:
    if item.confirmed and not item.corrected:
        return "confirmed by you (kept)"
    if item.corrected:
        if item.confidence is not None:
            return f"set by you (kept); the classifier was {item.confidence:.0%} sure"
        return "set by you (kept)"
    if item.confidence is None:
        return "not classified: pick the category by hand"
    version = f" · model {item.classifier_version}" if item.classifier_version else ""
    return f"{item.confidence:.0%} confident{version}"


def _swatches(item: Item) -> str:
    if not item.colours:
        return "<i>none found</i>"
    cells = "".join(
        f'<tr><td width=28 bgcolor="{escaped(c.hex)}" style="border:1px solid #999">&nbsp;</td>'  # Qt: no CSS width
        f"<td>&nbsp;{escaped(c.name)}</td><td align=right>&nbsp;{c.share:.0%}</td></tr>"
        for c in item.colours
    )
    multi = "<br><i>multicolour</i>" if item.multicolour else ""
    return f"<table cellspacing=2>{cells}</table>{multi}"


def _details(item: Item) -> str:
    """Brand, price, date bought, season, formality, tags and notes, as far as they are set (plain text)."""
    parts = [
        item.brand or "",
        f"{item.price:.2f}" if item.price is not None else "",
        f"bought {item.purchased_on.isoformat()}" if item.purchased_on else "",
        ("all year" if item.season == "all" else item.season or ""),
        f"formality {item.formality}" if item.formality else "",
        "archived" if item.archived else "",
    ]
    lines = [" · ".join(p for p in parts if p)]
    if item.tags:
        lines.append("tags: " + ", ".join(item.tags))
    if item.notes:
        lines.append(item.notes if len(item.notes) <= 160 else item.notes[:157] + "...")
    return "\n".join(line for line in lines if line) or "— (Edit… to add name, brand, price, tags)"


class _NoSilentChange(QObject):
    """The category box changes only when it is opened and a category picked: on the closed box, Up and Down
    open the list and the wheel scrolls the panel (each step of either was saved as a correction)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QComboBox):
            return False
        if event.type() == QEvent.Type.Wheel:
            event.ignore()  # to the panel, as if the box were not under the pointer
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                watched.showPopup()
                return True
            if event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End) or event.text().isalnum():
                watched.showPopup()  # type-ahead in the open list, not on the closed box
                key = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
                QApplication.sendEvent(watched.view(), key)  # the key that opened it goes on to the list
                return True
        return False
