"""The main window's actions and menus: add, remove, export, restore, check, open the data folder, about, errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox

from wardrobe_app.domain import Change
from wardrobe_app.ui.naming import named
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery
from wardrobe_app.ui.session import ClosetSession

if TYPE_CHECKING:
    from wardrobe_app.services.doctor import DoctorReport
    from wardrobe_app.ui.model_view import ModelView


class ClosetMenu(QMainWindow):
    """Menu commands of the main window (a base class of MainWindow, which provides the attributes below)."""

    session: ClosetSession
    classifier_label: QLabel
    model_view: ModelView | None
    help_menu: QMenu

    def _make_actions(self) -> None:
        """The window's actions, its Closet, View and Help menus and its toolbar."""
        Keys = QKeySequence | QKeySequence.StandardKey | str | None

        def action(text: str, slot: Any, shortcut: Keys = None, name: str = "") -> QAction:
            act = named(QAction(text, self), name or text)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.add_action = action("Add photos…", self.choose_photos, QKeySequence.StandardKey.Open, "addPhotos")
        self.add_folder_action = action("Add a folder…", self.choose_folder, "Ctrl+Shift+O", "addFolder")
        self.remove_action = action("Move to trash", self.remove_selected, QKeySequence.StandardKey.Delete, "remove")
        self.refresh_action = action("Refresh", self.refresh, QKeySequence.StandardKey.Refresh, "refresh")
        self.search_action = action("Search the closet", self.focus_search, QKeySequence.StandardKey.Find, "search")
        self.export_action = action("Export closet…", self.export_closet, None, "export")
        self.restore_action = action("Restore closet…", self.restore_closet, None, "restore")
        self.folder_action = action("Open data folder", self.open_data_folder, None, "dataFolder")
        self.doctor_action = action("Check the closet…", self.check_closet, None, "doctor")
        self.about_action = action("About Wardrobe", self.show_about, None, "about")
        quit_action = action("Quit", self.close, "Ctrl+Q", "quit")  # the platform's Quit key is unset on some
        self.remove_action.setEnabled(False)
        self.busy_actions = [
            self.add_action,
            self.add_folder_action,
            self.export_action,
            self.restore_action,
            self.doctor_action,
        ]

        closet_menu = self.menuBar().addMenu("&Closet")
        for act in (
            self.add_action,
            self.add_folder_action,
            self.remove_action,
            None,
            self.export_action,
            self.restore_action,
            self.doctor_action,
            self.folder_action,
            None,
            quit_action,
        ):
            closet_menu.addAction(act) if act else closet_menu.addSeparator()
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.search_action)
        view_menu.addAction(self.refresh_action)
        self.help_menu = self.menuBar().addMenu("&Help")  # the last menu: later ones go before it
        self.help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Closet")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.add_action)
        toolbar.addAction(self.remove_action)
        toolbar.addAction(self.refresh_action)

    # MainWindow provides these (the actions above call them)
    def refresh(self) -> None:
        """Reload the closet and the views (MainWindow overrides this)."""

    def choose_photos(self) -> None: ...

    def choose_folder(self) -> None: ...

    def remove_selected(self) -> None: ...

    def focus_search(self) -> None: ...

    def export_closet(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the closet", str(Path.home() / "wardrobe.zip"), "Zip archives (*.zip)"
        )
        if path:
            ClosetQuery(self.session, lambda w: w.export(path), title="Cannot export the closet").success(
                lambda p: self.statusBar().showMessage(f"Closet exported to {p}", 8000)
            ).run_in_background()

    def restore_closet(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore a closet", str(Path.home()), "Zip archives (*.zip)")
        if not path:
            return
        answer = QMessageBox.question(
            self,
            "Restore closet",
            "Replace this closet by the archive's?\nItems not in the archive are lost (export first to keep them).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # Enter must not replace the closet
        )
        if answer == QMessageBox.StandardButton.Yes:
            ClosetOp(self.session, lambda w: w.restore(path), title="Cannot restore the closet").success(
                self._on_restored
            ).run_in_background()

    def _on_restored(self, _change: Change) -> None:
        self.statusBar().showMessage("Closet restored", 8000)  # closet_changed (restored) rereads every view

    def check_closet(self) -> None:
        """Run the closet check (``wardrobe doctor``); offer to repair what it found."""
        ClosetQuery(self.session, lambda w: w.doctor(), title="Cannot check the closet").success(
            self._on_checked
        ).run_in_background()

    def _on_checked(self, report: DoctorReport) -> None:
        if report.healthy:
            _plain_box(self, "The closet is healthy: every photo is in place and the database is intact.").open()
            return
        found = "\n".join(f"• {line}" for line in report.problems[:12])
        if report.repaired or report.left:  # this was the repair run: say what was done
            done = "\n".join(f"• {line}" for line in (*report.repaired, *report.left)[:12])
            _plain_box(self, f"Found:\n{found}\n\nWhat was done and what is left:\n{done}").open()
            return  # what it repaired reaches the views through closet_changed
        box = _plain_box(
            self,
            f"Found:\n{found}\n\nRepair what can be repaired? (Nothing you added is deleted; files no item uses are.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setObjectName("doctorQuestion")
        yes = box.button(QMessageBox.StandardButton.Yes)

        def answered(_result: int) -> None:
            if box.clickedButton() is yes:
                ClosetOp(self.session, lambda w: w.doctor(repair=True), title="Cannot repair the closet").success(
                    self._on_checked
                ).run_in_background()

        box.finished.connect(answered)
        box.open()

    def open_data_folder(self) -> None:
        if self.session.wardrobe is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.wardrobe.data_dir)))

    def show_about(self) -> None:
        from wardrobe_app.ui.model_view import about_text

        facts = self.model_view.facts if self.model_view is not None else None
        QMessageBox.about(self, "About Wardrobe", about_text(self.session, self.classifier_label.text(), facts))

    def show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # error messages quote file and item names
        box.setObjectName("errorDialog")
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages name files and items: never read as markup
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.statusBar().showMessage(f"{title}: {message}", 10000)


def _plain_box(
    parent: QMainWindow, text: str, buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok
) -> QMessageBox:
    """A message box whose text is shown as plain text (names and paths never read as markup)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Check the closet", text, buttons, parent)
    box.setObjectName("doctorDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box
