"""The Trash dialog: removed items with their thumbnails, Restore, and Empty trash (asked first)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Change, Item, category_title
from wardrobe_app.ui.item_models import THUMB_SIZE
from wardrobe_app.ui.naming import named, tooltip
from wardrobe_app.ui.session import ClosetSession

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class TrashDialog(QDialog):
    """Lists the trash (newest first); Restore brings the selected items back, Empty trash deletes them all."""

    changed = Signal()  # items came back or were deleted: the closet reloads

    def __init__(self, session: ClosetSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashDialog")
        self.setWindowTitle("Trash")
        self.session = session
        self.items: list[Item] = []
        self.resize(640, 440)

        self.list = named(QListWidget(), "trashList")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.list.setGridSize(QSize(THUMB_SIZE + 28, THUMB_SIZE + 58))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _i: self.restore_selected())
        for key in ("Return", "Enter"):  # in the list: the selected items, or the one the keyboard is on
            enter = QShortcut(QKeySequence(key), self.list, context=Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(lambda: self.restore_selected(or_current=True))
        self.empty_label = named(
            QLabel("<h3>The trash is empty</h3>Removed items wait here until you empty the trash.",
                   alignment=Qt.AlignmentFlag.AlignCenter),
            "trashEmpty",
        )  # fmt: skip
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.list)
        self.hint = named(QLabel(), "trashHint")

        self.restore_button = named(QPushButton("Restore"), "restoreButton")
        self.restore_button.setToolTip("Put the selected items back in the closet")
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button = named(QPushButton("Empty trash…"), "emptyTrashButton")
        self.empty_button.clicked.connect(self.empty_trash)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.empty_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def refresh(self) -> None:
        self.session.run(lambda w: w.trash(), done=self.show_items, title="Cannot read the trash")

    def show_items(self, items: list[Item]) -> None:
        self.items = items
        self.list.clear()
        for item in items:
            when = item.trashed_at.strftime("%d %b %H:%M") if item.trashed_at else ""
            entry = QListWidgetItem(f"{item.label}\nremoved {when}")
            pixmap = QPixmap(item.thumb_path) if item.thumb_path else QPixmap()
            if not pixmap.isNull():
                entry.setIcon(QIcon(pixmap))
            entry.setData(ID_ROLE, item.id)
            entry.setToolTip(tooltip(f"{item.label}\n{category_title(item.category)}"))
            self.list.addItem(entry)
        self.stack.setCurrentWidget(self.list if items else self.empty_label)
        if items:  # the list focused on the newest (not selected): arrows pick, Enter restores, without the mouse
            self.list.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.list.setFocus()
        self.hint.setText(f"{len(items)} item{'s' if len(items) != 1 else ''} in the trash" if items else "")
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return [int(entry.data(ID_ROLE)) for entry in self.list.selectedItems()]

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.list.selectedItems()))
        self.empty_button.setEnabled(bool(self.items))

    def restore_selected(self, or_current: bool = False) -> None:
        ids = self.selected_ids()
        current = self.list.currentItem()
        if not ids and or_current and current is not None:
            ids = [int(current.data(ID_ROLE))]
        if ids:
            self.session.run(lambda w: w.restore_from_trash(ids), done=self._done, title="Cannot restore")

    def empty_trash(self) -> None:
        n = len(self.items)
        answer = QMessageBox.question(
            self,
            "Empty the trash",
            f"Delete the {n} item{'s' if n != 1 else ''} in the trash for good?\n\n"
            "Their photos, and the outfits, ratings and diary lines they were part of, are deleted too. "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # Enter must not delete for good
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.run(lambda w: w.empty_trash(), done=self._done, title="Cannot empty the trash")

    def _done(self, _change: Change) -> None:
        self.changed.emit()
        self.refresh()
