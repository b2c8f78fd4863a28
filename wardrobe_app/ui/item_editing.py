"""Item editing in the main window: Edit item, Archive, Fix cut-out, Remove to the trash with Undo (Ctrl+Z),
the Trash dialog and the Show archived filter. All work runs through ``session.run``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

from wardrobe_app.domain import Change, Item
from wardrobe_app.ui.naming import named

if TYPE_CHECKING:
    from wardrobe_app.ui.main_window import MainWindow

#: How long the status bar offers Undo after a removal (Ctrl+Z keeps working until the next removal).
UNDO_OFFER_MS = 10_000


class ItemEditing(QObject):
    """The Edit menu of the main window and the item panel's Edit / Archive / Fix cut-out buttons."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.removed: list[tuple[int, str]] = []  # (id, label) of removals Ctrl+Z can take back, newest last
        self.dialog: Any = None  # the editor, trash or cut-out dialog open now (tests reach it here)

        def action(text: str, slot: Any, name: str, keys: str | QKeySequence.StandardKey | None = None) -> QAction:
            act = named(QAction(text, window), name)
            if keys is not None:
                act.setShortcut(QKeySequence(keys))
            act.triggered.connect(slot)
            window.addAction(act)
            return act

        self.undo_action = action("Undo remove", self.undo, "undoRemove", QKeySequence.StandardKey.Undo)
        self.edit_action = action("Edit item…", self.edit_selected, "editItem", "Ctrl+E")
        self.fix_action = action("Fix cut-out…", self.fix_selected, "fixCutout")
        self.archive_action = action("Archive / unarchive", self.toggle_archived_selected, "archiveItem")
        self.trash_action = action("Trash…", self.open_trash, "openTrash")
        self.undo_action.setEnabled(False)
        for act in (self.edit_action, self.fix_action, self.archive_action):
            act.setEnabled(False)
        menu = named(window.menuBar().addMenu("&Edit"), "editMenu")
        entries: list[QAction | None] = [self.undo_action, None, self.edit_action, self.fix_action, self.archive_action]
        for entry in entries:
            menu.addAction(entry) if entry else menu.addSeparator()
        menu.addSeparator()
        menu.addAction(self.trash_action)
        first = window.menuBar().actions()[1] if len(window.menuBar().actions()) > 2 else None
        if first is not None:  # Closet, Edit, View, ...
            window.menuBar().insertMenu(first, menu)

        self.undo_button = named(QPushButton("Undo"), "undoButton")
        self.undo_button.setFlat(True)
        self.undo_button.setStyleSheet("color: #1a5fb4; font-weight: bold;")
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        window.statusBar().insertPermanentWidget(0, self.undo_button)  # a message never covers it
        self._hide_undo = QTimer(self, singleShot=True, interval=UNDO_OFFER_MS)
        self._hide_undo.timeout.connect(self.undo_button.hide)

        window.panel.edit_requested.connect(self.edit)
        window.panel.fix_cutout_requested.connect(self.fix_cutout)
        window.panel.archive_requested.connect(self.set_archived)
        window.closet.edit_requested.connect(self.edit)
        window.closet.show_archived_changed.connect(lambda _on: window.reload())
        window.closet.item_selected.connect(self._on_selected)
        # a restored backup replaced the trash too: Ctrl+Z said "not in the trash" for what it had brought back
        window.session.closet_changed.connect(self._on_closet_changed)

    def _on_selected(self, item: Item | None) -> None:
        for act in (self.edit_action, self.fix_action, self.archive_action):
            act.setEnabled(item is not None)

    def _selected(self) -> Item | None:
        return self.window.closet.selected_item() if self.window.tabs.currentWidget() is self.window.splitter else None

    def _label(self, item_id: int) -> str:
        return self.window.model.label_of(item_id) or f"item {item_id}"

    # -- remove, undo, trash -------------------------------------------------------------------
    def remove(self, item_id: int) -> None:
        label = self._label(item_id)

        def done(_change: Change) -> None:
            self.window.model.remove_item(item_id)
            self.removed.append((item_id, label))
            self.undo_action.setEnabled(True)
            self.undo_action.setText(f"Undo remove of “{label}”")
            self.window.statusBar().showMessage(f"Moved “{label}” to the trash (Ctrl+Z brings it back)", UNDO_OFFER_MS)
            self.undo_button.show()
            self._hide_undo.start()

        self.window.session.run(lambda w: w.remove(item_id), done=done, title="Cannot remove the item")

    def undo(self) -> None:
        if not self.removed:
            return
        item_id, label = self.removed.pop()
        self.undo_button.hide()
        self.undo_action.setEnabled(bool(self.removed))
        self.undo_action.setText(f"Undo remove of “{self.removed[-1][1]}”" if self.removed else "Undo remove")

        def done(_change: Change) -> None:
            self.window.statusBar().showMessage(f"“{label}” is back in the closet", 5000)
            self.window.reload()

        self.window.session.run(lambda w: w.restore_from_trash([item_id]), done=done, title="Cannot undo")

    def open_trash(self) -> None:
        from wardrobe_app.ui.trash_view import TrashDialog

        dialog = self.dialog = TrashDialog(self.window.session, self.window)
        dialog.changed.connect(self.window.reload)
        dialog.changed.connect(self._forget_missing)
        dialog.refresh()
        dialog.open()

    def _on_closet_changed(self, change: Change) -> None:
        if change.replaced:  # a backup's trash, not ours (a doctor repair also rereads all, but keeps the trash)
            self._forget_missing()

    def _forget_missing(self) -> None:
        self.removed.clear()  # restored or emptied from the Trash: nothing left for Ctrl+Z to take back
        self.undo_action.setEnabled(False)
        self.undo_action.setText("Undo remove")
        self.undo_button.hide()

    # -- edit, archive -------------------------------------------------------------------------
    def edit_selected(self) -> None:
        item = self._selected()
        if item is not None:
            self.edit(item.id)

    def edit(self, item_id: int) -> None:
        from wardrobe_app.ui.item_editor import ItemEditor

        row = self.window.model.row_of(item_id)
        if row < 0:
            return
        dialog = self.dialog = ItemEditor(self.window.model.items()[row], self.window)
        dialog.accepted.connect(lambda: self.save_fields(item_id, dialog.fields()))
        dialog.open()

    def save_fields(self, item_id: int, fields: dict[str, Any]) -> None:
        def done(item: Item) -> None:
            self.window.statusBar().showMessage(f"Saved “{item.label}”", 5000)
            self.window.model.replace_item(item)
            if self.window.panel.item is not None and self.window.panel.item.id == item.id:
                self.window.panel.show_item(item)
            self.window.reload()  # archiving takes it off the grid unless archived items are shown

        self.window.session.run(lambda w: w.update_item(item_id, **fields), done=done, title="Cannot save the item")

    def toggle_archived_selected(self) -> None:
        item = self._selected()
        if item is not None:
            self.set_archived(item.id, not item.archived)

    def set_archived(self, item_id: int, archived: bool) -> None:
        self.save_fields(item_id, {"archived": archived})

    # -- fix the cut-out -----------------------------------------------------------------------
    def fix_selected(self) -> None:
        item = self._selected()
        if item is not None:
            self.fix_cutout(item.id)

    def fix_cutout(self, item_id: int) -> None:
        from wardrobe_app.ui.cutout_dialog import CutoutFixDialog

        label = self._label(item_id)

        def opened(image: Any) -> None:
            dialog = self.dialog = CutoutFixDialog(self.window.session, image, label, self.window)
            dialog.saved.connect(self._cutout_saved)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.open()

        self.window.session.run(lambda w: w.cutout_image(item_id), done=opened, title="Cannot open the cut-out")

    def _cutout_saved(self, item: Item) -> None:
        self.window.statusBar().showMessage(f"New cut-out of “{item.label}” saved; colours read again", 5000)
        self.window.model.replace_item(item)
        if self.window.panel.item is not None and self.window.panel.item.id == item.id:
            self.window.panel.show_item(item)
