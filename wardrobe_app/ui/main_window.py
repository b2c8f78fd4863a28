"""The Wardrobe main window: closet, outfits, find similar and model tabs, menus, status bar, drag and drop."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QSplitter,
    QTabWidget,
)

from wardrobe_app.domain import AddResult, Change, Item, category_name
from wardrobe_app.domain.progress import Cancel, Progress
from wardrobe_app.ui.busy_notice import BusyNotice
from wardrobe_app.ui.closet_menu import ClosetMenu
from wardrobe_app.ui.closet_view import ClosetView
from wardrobe_app.ui.import_dialog import PHOTO_FILTER, ImportProgress, ImportSummary
from wardrobe_app.ui.import_process import ImportProcess
from wardrobe_app.ui.import_worker import ImportFeed, add_photos_live, load_classifier
from wardrobe_app.ui.item_editing import ItemEditing
from wardrobe_app.ui.item_models import ClosetModel, ImageLoader, ThumbnailCache
from wardrobe_app.ui.item_panel import ItemPanel
from wardrobe_app.ui.naming import named, plain
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery, ClosetTask
from wardrobe_app.ui.review import ReviewControls
from wardrobe_app.ui.session import ClosetSession
from wardrobe_app.ui.worker import Job, Worker

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe
    from wardrobe_app.ui.calendar_view import CalendarView
    from wardrobe_app.ui.catalogue_view import CatalogueView
    from wardrobe_app.ui.model_view import ModelView
    from wardrobe_app.ui.outfit_board import OutfitBoard
    from wardrobe_app.ui.similar_view import SimilarView

log = logging.getLogger(__name__)

#: The settings key of the folder the last photos were added from.
LAST_PHOTOS = "paths/lastPhotos"


class MainWindow(ClosetMenu):
    """One closet on screen; all Wardrobe work runs in the session's worker."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        classifier: object = "auto",
        settings: QSettings | None = None,
        import_in_process: bool | None = None,
    ) -> None:
        """``import_in_process``: add photos in a helper process (default when ``classifier`` is
        "auto" or "none"; a classifier object, as in tests, can only run in this process)."""
        super().__init__()
        self.import_in_process = isinstance(classifier, str) if import_in_process is None else import_in_process
        self.import_process: ImportProcess | None = None
        self.setWindowTitle("Wardrobe")
        self.setAcceptDrops(True)
        self.data_dir = data_dir
        self.classifier_choice = classifier
        self.settings = settings or QSettings("Wardrobe", "Wardrobe")
        self.worker = Worker(self)
        self.session = ClosetSession(self.worker, self)
        self.session.error.connect(self.show_error)
        self.session.opened.connect(self._on_opened)
        self.session.closet_changed.connect(self.closet_changed)
        self.import_job: Job | None = None
        self.last_summary: ImportSummary | None = None
        self.classifier_state = "loading"
        self.board: OutfitBoard | None = None
        self.similar_view: SimilarView | None = None
        self.model_view: ModelView | None = None
        self.calendar_view: CalendarView | None = None
        self.shop_view: CatalogueView | None = None  # the Shop tab (life_menu.py)

        self.thumbnails = ThumbnailCache(self)
        self._preview_pool = QThreadPool(self)
        self._preview_pool.setMaxThreadCount(1)
        self.model = ClosetModel(self.thumbnails, self)
        self.closet = ClosetView(self.model)
        self.panel = ItemPanel(ImageLoader(self._preview_pool, self))
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "closetSplitter")
        self.splitter.addWidget(self.closet)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.tabs = named(QTabWidget(documentMode=True), "tabs")
        self.tabs.addTab(self.splitter, "Closet")
        self.setCentralWidget(self.tabs)

        self.closet.item_selected.connect(self.panel.show_item)
        self.closet.item_selected.connect(lambda item: self.remove_action.setEnabled(item is not None))
        self.closet.add_requested.connect(self.choose_photos)
        self.closet.add_folder_requested.connect(self.choose_folder)
        self.closet.remove_requested.connect(self.remove_item)
        self.closet.build_around_requested.connect(self.build_around)
        self.panel.category_chosen.connect(self.set_category)
        self.panel.remove_requested.connect(self.remove_item)
        self.panel.build_around_requested.connect(self.build_around)

        self.import_feed = ImportFeed(self)
        self.import_feed.items.connect(self.model.add_items)
        self.import_progress = ImportProgress()
        self.import_progress.cancel_requested.connect(self.cancel_import)
        self.classifier_label = plain(named(QLabel("Opening the closet…"), "classifierState"))
        self.statusBar().addPermanentWidget(self.import_progress)
        self.statusBar().addPermanentWidget(self.classifier_label)
        self._make_actions()
        self.review = ReviewControls(self)
        self.busy_notice = BusyNotice(self.worker, self.statusBar(), self._shows_progress)
        self.editing = ItemEditing(self)
        self._restore_settings()

    def _shows_progress(self) -> bool:
        """Imports (of photos, and the Shop tab's of a catalogue), reclassifying and the classifier's loading say
        what they do already: no "still working" notice beside them."""
        shop = self.shop_view
        working = self.import_job or self.review.job or (shop is not None and shop.importing)
        return bool(working) or self.classifier_state == "loading"

    # -- setup -------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)
        splitter = self.settings.value("window/closetSplitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([820, 360])

    def start(self) -> None:
        """Open the closet in the background (called once the window is on screen)."""
        self.set_busy(True)
        self.session.open(self.data_dir, self.classifier_choice)

    def _on_opened(self) -> None:
        self.set_busy(False)
        self.classifier_label.setText("Loading the garment classifier…")
        self._add_feature_tabs()
        self.reload()
        if self.import_in_process:
            choice = str(self.classifier_choice)
            self.session.run(lambda w: self._start_import_process(w, choice), done=self._on_classifier)
        else:
            self.session.run(load_classifier, done=self._on_classifier)

    def _start_import_process(self, wardrobe: Wardrobe, choice: str) -> tuple[str | None, str | None]:
        """In the worker: start the import helper; it loads the classifier and says how that went."""
        try:
            self.import_process = ImportProcess(wardrobe.data_dir, choice)
            return self.import_process.wait_for_classifier()
        except Exception as exc:  # no helper process on this system: import in the worker thread instead
            log.warning("photo imports run in this process: %s", exc)
            self.import_process = None
            return load_classifier(wardrobe)

    def _add_feature_tabs(self) -> None:
        if self.board is not None:  # opened once per window
            return
        from wardrobe_app.ui.calendar_view import CalendarView
        from wardrobe_app.ui.model_view import ModelView
        from wardrobe_app.ui.outfit_board import OutfitBoard
        from wardrobe_app.ui.similar_view import SimilarView

        self.board = board = OutfitBoard(self.session, self.settings, self.statusBar())
        self.tabs.addTab(board, "Outfits")
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(board.closet_changed)
        self.model.dataChanged.connect(self._item_changed)
        self.similar_view = SimilarView(self.session)
        self.tabs.addTab(self.similar_view, "Find similar")
        self.closet.similar_enabled = True
        self.closet.similar_requested.connect(self.find_similar)
        self.calendar_view = CalendarView(self.session, self.thumbnails)
        self.tabs.addTab(self.calendar_view, "Calendar")
        from wardrobe_app.ui.life_menu import dropped_on_shop, install_life

        install_life(self)  # Stats and Shop tabs, clean-out, packing (issue 11)
        self.dropped_on_shop = dropped_on_shop
        self.model_view = ModelView(self.session)
        self.model_view.ranker_reset.connect(board.refresh)
        self.tabs.addTab(self.model_view, "Model")
        tab = int(str(self.settings.value("window/tab", 0) or 0))
        self.tabs.setCurrentIndex(tab if tab < self.tabs.count() else 0)

    def _on_classifier(self, state: tuple[str | None, str | None]) -> None:
        version, why = state
        if version is not None:
            self.classifier_state = "ready"
            self.classifier_label.setText(f"Classifier ready ({version})")
        else:
            self.classifier_state = "unavailable"
            self.classifier_label.setText(f"Classifier unavailable: {why}; categories are set by hand")
        if self.model_view is not None:
            self.model_view.refresh()

    # -- closet --------------------------------------------------------------------------------
    def closet_changed(self, change: Change) -> None:
        """The one refresh path: every operation's Change, each view taking what concerns it."""
        shown = change.added and not (change.updated or change.removed or change.restored)
        if change.items_changed and not (shown and all(self.model.row_of(i) >= 0 for i in change.added)):
            self.reload()
        if change.restored and self.board is not None:
            self.board.refresh()
        if self.model_view is not None:
            if change.ranker_version is not None or change.restored:
                self.model_view.refresh()
            elif change.feedback or change.undone:  # its rating counts: reread when the tab is next shown
                self.model_view.closet_changed()
        if (change.catalogues or change.restored) and self.similar_view is not None:
            self.similar_view.load_catalogues()
        if (change.diary or change.restored) and self.calendar_view is not None:
            self.calendar_view.refresh()

    def reload(self) -> None:
        if self.session.wardrobe is not None:  # before the closet is open there is nothing to reload
            archived = self.closet.archived_box.isChecked()
            ClosetQuery(
                self.session, lambda w: w.items(include_archived=archived), title="Cannot read the closet"
            ).success(self._on_items).run_in_background()

    def _on_items(self, items: list[Item]) -> None:
        selected = self.panel.item.id if self.panel.item else None
        self.model.merge_items(items)
        if selected is not None:
            self.closet.select_item(selected)
        if self.panel.item is not None and self.model.row_of(self.panel.item.id) < 0:
            self.panel.show_item(None)

    def _item_changed(self, _first: object, _last: object, roles: list[int] | None = None) -> None:
        if self.board is not None and roles != [Qt.ItemDataRole.DecorationRole]:
            self.board.closet_changed()

    def refresh(self) -> None:
        self.reload()
        if self.board is not None:
            self.board.refresh()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.closet.search.setFocus()
        self.closet.search.selectAll()

    def set_category(self, item_id: int, category: str) -> None:
        def done(item: Item) -> None:
            self.model.replace_item(item)
            if self.panel.item is not None and self.panel.item.id == item.id:
                self.panel.show_item(item)
            self.statusBar().showMessage(f"“{item.label}” set to {category_name(item.category)} (kept)", 5000)
            # closet_changed then reloads: the correction may have re-scored look-alikes (the personal layer)

        ClosetOp(self.session, lambda w: w.set_category(item_id, category), title="Cannot change the category").success(
            done
        ).run_in_background()

    def remove_selected(self) -> None:
        if self.tabs.currentWidget() is not self.splitter:
            return
        item = self.closet.selected_item()
        if item is not None:
            self.remove_item(item.id)

    def remove_item(self, item_id: int) -> None:
        """Move an item to the trash; Ctrl+Z (or Undo in the status bar) brings it back."""
        self.editing.remove(item_id)

    def build_around(self, item_id: int) -> None:
        if self.board is None:  # the closet is still opening
            return
        self.tabs.setCurrentWidget(self.board)
        self.board.build_around(item_id, self.model.label_of(item_id))

    def find_similar(self, item_id: int) -> None:
        if self.similar_view is not None:
            self.tabs.setCurrentWidget(self.similar_view)
            self.similar_view.search_item(item_id, self.model.label_of(item_id))  # named as the grid names it

    # -- adding photos ---------------------------------------------------------------------------
    def choose_photos(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add photos of your clothes", self._photo_folder(), PHOTO_FILTER)
        if paths:
            self.settings.setValue(LAST_PHOTOS, str(Path(paths[0]).parent))
            self.add_paths(paths)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of photos", self._photo_folder())
        if folder:
            self.settings.setValue(LAST_PHOTOS, str(Path(folder).parent))
            self.add_paths([folder])

    def _photo_folder(self) -> str:
        """Where the last photos were added from (the dialogs opened in the home folder every time)."""
        last = str(self.settings.value(LAST_PHOTOS, "") or "")
        return last if last and Path(last).is_dir() else str(Path.home())

    def add_paths(self, paths: list[str], category: str | None = None) -> Job | None:
        """Import photos and folders in the worker, with progress and Cancel; a summary follows."""
        if self.import_job is not None:
            self.statusBar().showMessage("Photos are already being added; wait for them or cancel.", 5000)
            return None
        self.statusBar().clearMessage()
        self.import_progress.start()
        self.closet.set_importing(True)
        self.set_busy(True)
        if self.session.wardrobe is None:
            self.show_error("Cannot add photos", "The closet is still opening; try again in a moment.")
            self._end_import()
            return None
        feed, helper, paths = self.import_feed, self.import_process, list(paths)

        def add(w: Wardrobe, progress: Progress, cancel: Cancel) -> list[AddResult]:
            if helper is not None:  # the helper process sends the items it added, about once a second
                return helper.add_photos(paths, category, progress, cancel, feed.items.emit)
            return add_photos_live(w, paths, category, feed, progress, cancel)

        self.import_job = (
            ClosetTask(self.session, add, progress=self.import_progress.update_progress)
            .success(self._on_imported)
            .failure(self._on_import_failed)
            .run_in_background()
        )
        return self.import_job

    def cancel_import(self) -> None:
        if self.import_job is not None:
            self.import_job.cancel()

    def _on_imported(self, results: list[AddResult]) -> None:
        cancelled = self.import_job.cancelled if self.import_job else False
        self._end_import()
        added = sum(r.ok for r in results)
        self.statusBar().showMessage(
            f"{added} photo{'s' if added != 1 else ''} added" + (" (cancelled)" if cancelled else ""), 8000
        )
        self.last_summary = ImportSummary(results, cancelled, self)
        self.last_summary.review_requested.connect(self._check_now)
        self.last_summary.open()
        # the items as stored (re-scored by the personal layer): closet_changed then finds them all shown
        self.model.add_items([r.item for r in results if r.item is not None])

    def _check_now(self) -> None:
        """The summary's "Check them now": the first item to review, the keyboard on the grid (C, N go on)."""
        self.review.next_to_review()
        self.activateWindow()
        self.closet.grid.setFocus()

    def _on_import_failed(self, exc: BaseException) -> None:
        self._end_import()
        if self.import_process is not None and not self.import_process.process.is_alive():
            self.import_process = None  # the helper died: the next imports run in the worker thread
        self.session.report("Cannot add photos", exc)
        self.reload()

    def _end_import(self) -> None:
        self.import_job = None
        self.import_progress.hide()
        self.closet.set_importing(False)
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        for act in self.busy_actions:
            act.setEnabled(not busy)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            if not getattr(self, "dropped_on_shop", lambda _w, _p: False)(self, paths):  # Shop tab: worth buying?
                self.add_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_import()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/closetSplitter", self.splitter.saveState())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        if self.board is not None:
            self.board.save_settings()
        self.thumbnails.pool.waitForDone(2000)
        self._preview_pool.waitForDone(2000)
        self.session.close()
        if self.import_process is not None:
            self.import_process.close()
        super().closeEvent(event)
