"""Working through the review queue: Confirm (Ctrl+Return), Next to review (N), the count, and Reclassify."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMenu

from wardrobe_app.domain import Item, category_name
from wardrobe_app.ui.import_dialog import ImportProgress
from wardrobe_app.ui.item_models import ITEM_ROLE
from wardrobe_app.ui.naming import named
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery, ClosetTask
from wardrobe_app.ui.worker import Job

if TYPE_CHECKING:
    from wardrobe_app.services.reclassify import ReclassifyReport
    from wardrobe_app.ui.main_window import MainWindow

CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter", "C")
NEXT_KEYS = ("N",)


class ReviewControls(QObject):
    """The Review menu of the main window and its status bar count; runs its work in the session's worker."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: Job | None = None
        self.last_report: ReclassifyReport | None = None
        self.confirm_action = self._action("Confirm the category", self.confirm_selected, CONFIRM_KEYS, "confirm")
        self.confirm_action.setToolTip("The classifier's guess is right: keep it (Ctrl+Return or C)")
        self.next_action = self._action("Next to review", self.next_to_review, NEXT_KEYS, "nextToReview")
        self.reclassify_action = self._action(
            "Reclassify with the current classifier…", self.reclassify, (), "reclassify"
        )
        # the tab bar holds the focus when the app starts and after a tab is clicked, and it is outside the
        # closet page: without these, N and C (which the status bar offers) did nothing until the grid was clicked
        bar = window.tabs.tabBar()
        for action in (self.confirm_action, self.next_action):
            for keys in action.shortcuts():
                shortcut = QShortcut(keys, bar, context=Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(lambda action=action: self._from_tab_bar(action))
        self.count_label = named(QLabel(), "reviewCount")
        self.count_label.setStyleSheet("color: #8a4b00;")
        self.progress = ImportProgress(verb="Reclassifying")
        self.progress.cancel_requested.connect(self.cancel)
        window.statusBar().addPermanentWidget(self.progress)
        window.statusBar().addPermanentWidget(self.count_label)

        # the closet's Needs review filter, reachable from the menu (it was only a check box on the Closet tab)
        self.filter_action = named(QAction("Show only the items to review", window), "reviewFilterAction")
        self.filter_action.setCheckable(True)
        self.filter_action.toggled.connect(self._show_only_to_review)
        window.closet.review_box.toggled.connect(self.filter_action.setChecked)

        menu = named(QMenu("&Review", window), "reviewMenu")
        for act in (self.confirm_action, self.next_action, self.filter_action, None, self.reclassify_action):
            menu.addAction(act) if act else menu.addSeparator()
        window.menuBar().insertMenu(window.help_menu.menuAction(), menu)  # Help stays last

        window.panel.confirm_requested.connect(self.confirm)
        window.closet.confirm_requested.connect(self.confirm)
        window.closet.item_selected.connect(self._on_selected)
        for signal in (
            window.model.modelReset,
            window.model.rowsInserted,
            window.model.rowsRemoved,
            window.model.dataChanged,
        ):
            signal.connect(self.update_count)
        self._on_selected(None)
        self.update_count()

    def _action(self, text: str, slot: Any, keys: tuple[str, ...], name: str) -> QAction:
        act = named(QAction(text, self.window), name)
        act.setShortcuts([QKeySequence(k) for k in keys])
        # only on the closet tab: N and C mean nothing on the outfit board (it has keys of its own)
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        self.window.splitter.addAction(act)
        return act

    def _show_only_to_review(self, on: bool) -> None:
        if on:
            self.window.tabs.setCurrentWidget(self.window.splitter)
        self.window.closet.review_box.setChecked(on)

    def _from_tab_bar(self, act: QAction) -> None:
        if self.window.tabs.currentWidget() is self.window.splitter:  # on the closet tab only, like the actions
            act.trigger()  # does nothing while the action is disabled

    # -- the queue ---------------------------------------------------------------------------
    def update_count(self, *_args: object) -> None:
        n = self.window.model.review_count()
        self.count_label.setText(f"{n} to review (N: next)" if n else "Nothing to review")
        self.next_action.setEnabled(n > 0)

    def _on_selected(self, item: Item | None) -> None:
        self.confirm_action.setEnabled(item is not None and item.category is not None and not item.user_labelled)

    def confirm_selected(self) -> None:
        item = self.window.closet.selected_item()
        if item is not None:
            self.confirm(item.id)

    def confirm(self, item_id: int) -> None:
        """Accept the guess; the closet reloads (the personal layer may re-score others) and the next one is shown."""

        def done(item: Item) -> None:
            self.window.model.replace_item(item)
            if self.window.panel.item is not None and self.window.panel.item.id == item.id:
                self.window.panel.show_item(item)
            self.window.statusBar().showMessage(
                f"“{item.label}” confirmed as {category_name(item.category)} (kept)", 5000
            )
            ClosetQuery(self.window.session, lambda w: w.items(), title="Cannot read the closet").success(
                lambda items: self._after_confirm(items, item.id)
            ).run_in_background()

        session = self.window.session
        ClosetOp(session, lambda w: w.confirm(item_id), title="Cannot confirm the category").success(
            done
        ).run_in_background()

    def _after_confirm(self, items: list[Item], item_id: int) -> None:
        self.window.model.merge_items(items)
        self.window.closet.select_item(item_id)
        self.next_to_review(after=item_id)

    def next_to_review(self, _checked: bool = False, after: int | None = None) -> Item | None:
        """Select the next item waiting for review after the selected one (in grid order, wrapping round)."""
        if after is None:
            current = self.window.closet.selected_item()
            after = current.id if current is not None else None
        closet = self.window.closet
        if self.window.tabs.currentWidget() is not self.window.splitter:
            self.window.tabs.setCurrentWidget(self.window.splitter)
        candidates = [i for i in closet.visible_items() if i.to_review]
        if not candidates and self.window.model.review_count():  # hidden by the filters: show the queue
            closet.set_filters(review=True)
            candidates = [i for i in closet.visible_items() if i.to_review]
        if not candidates:
            self.window.statusBar().showMessage("Nothing left to review: every unsure guess has been checked.", 5000)
            return None
        order = [self.window.model.row_of(i.id) for i in candidates]
        start = self.window.model.row_of(after) if after is not None else -1
        following = [i for i, row in zip(candidates, order, strict=True) if row > start]
        chosen = (following or candidates)[0]
        closet.select_item(chosen.id)
        index = closet.grid.currentIndex()
        if index.isValid() and index.data(ITEM_ROLE) is not None:
            closet.grid.scrollTo(index)
        return chosen

    # -- reclassify -----------------------------------------------------------------------------
    def reclassify(self) -> Job | None:
        """Bring the closet to the current classifier in the worker, with progress and Cancel."""
        window = self.window
        if self.job is not None or window.import_job is not None:
            window.statusBar().showMessage("Wait for the running import or reclassification, or cancel it.", 5000)
            return None
        if window.session.wardrobe is None:
            return None
        self.progress.start()
        window.set_busy(True)
        self.reclassify_action.setEnabled(False)
        self.job = (
            ClosetTask(
                window.session,
                lambda w, progress, cancel: w.reclassify(progress, cancel),
                progress=self.progress.update_progress,
            )
            .success(self._on_reclassified)
            .failure(self._on_failed)
            .run_in_background()
        )
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _end(self, reload: bool = True) -> None:
        self.job = None
        self.progress.hide()
        self.window.set_busy(False)
        self.reclassify_action.setEnabled(True)
        if reload:  # after a failure; a finished run reloads through closet_changed (its Change)
            self.window.reload()

    def _on_reclassified(self, report: ReclassifyReport) -> None:
        self.last_report = report
        self._end(reload=not report.processed)
        self.window.statusBar().showMessage(report.summary(), 10000)

    def _on_failed(self, exc: BaseException) -> None:
        self._end()
        self.window.session.report("Cannot reclassify the closet", exc)
