"""The closet view: a filterable thumbnail grid with counts per group and an empty state that shows how to start."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Group, Item, category_name
from wardrobe_app.ui.item_models import GROUP_TITLES, ITEM_ROLE, THUMB_SIZE, ClosetFilter, ClosetModel, by_title
from wardrobe_app.ui.naming import counted, named, plain

EMPTY_TITLE = "<h2>Your closet is empty</h2>"
IMPORTING_TITLE = "<h2>Adding your photos…</h2>They appear here as they are added to the closet."


class ClosetView(QWidget):
    """Thumbnail grid of the closet with filters; emits what the user picks or asks for."""

    item_selected = Signal(object)  # Item | None
    add_requested = Signal()
    add_folder_requested = Signal()
    build_around_requested = Signal(int)
    remove_requested = Signal(int)
    similar_requested = Signal(int)
    confirm_requested = Signal(int)
    edit_requested = Signal(int)
    show_archived_changed = Signal(bool)

    def __init__(self, model: ClosetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = ClosetFilter(self)
        self.proxy.setSourceModel(model)
        self.similar_enabled = False

        self.group_box = named(QComboBox(), "groupFilter")
        self.category_box = named(QComboBox(), "categoryFilter")
        self.colour_box = named(QComboBox(), "colourFilter")
        self.search = named(QLineEdit(placeholderText="Search the closet (Ctrl+F)…"), "closetSearch")
        self.search.setClearButtonEnabled(True)
        self.review_box = named(QCheckBox("Needs review"), "reviewFilter")
        self.review_box.setToolTip("Only the items whose category the classifier was unsure of")
        self.archived_box = named(QCheckBox("Show archived"), "archivedFilter")
        self.archived_box.setToolTip("Also show the items you archived (kept, but out of outfits)")
        self.archived_box.toggled.connect(self.show_archived_changed)
        self.count_label = named(QLabel(), "closetCount")
        for box in (self.group_box, self.category_box, self.colour_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance("9999 of 9999 items"))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QHBoxLayout()
        for label, widget in (("Group", self.group_box), ("Category", self.category_box), ("Colour", self.colour_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.review_box)
        bar.addWidget(self.archived_box)
        bar.addStretch(1)
        # the search box gets a row of its own: beside the filters, which widen with the closet, it shrank to "S…"
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)

        self.grid = named(QListView(), "closetGrid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setWordWrap(True)
        self.grid.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.grid.setGridSize(QSize(THUMB_SIZE + 28, THUMB_SIZE + 44))
        self.grid.setSpacing(6)
        self.grid.setModel(self.proxy)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._context_menu)
        self.grid.selectionModel().selectionChanged.connect(self._on_selection)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._empty_page())
        self.stack.addWidget(self.grid)
        self.no_match = plain(
            named(QLabel("No item matches these filters.", alignment=Qt.AlignmentFlag.AlignCenter), "noMatch")
        )
        self.stack.addWidget(self.no_match)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        for box in (self.group_box, self.category_box, self.colour_box):
            box.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self.review_box.toggled.connect(self._apply_filters)
        model.modelReset.connect(self._refresh_choices)
        model.rowsRemoved.connect(self._refresh_choices)
        model.rowsInserted.connect(self._refresh_choices)
        model.dataChanged.connect(self._on_data_changed)
        self._refresh_choices()

    def _empty_page(self) -> QWidget:
        page = named(QWidget(), "emptyCloset")
        title = QLabel(EMPTY_TITLE, alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_title = title
        self.empty_hint = hint = QLabel(
            "Take a photo of each garment on a plain background, then add the photos here.<br>"
            "<b>Drop photos or folders anywhere on this window</b>, or:",
            alignment=Qt.AlignmentFlag.AlignCenter,
        )
        self.empty_button = button = named(QPushButton("Add photos…  (Ctrl+O)"), "emptyAddButton")
        button.setMinimumHeight(40)
        button.clicked.connect(self.add_requested)
        # a new closet often starts from a folder of photos: the way to add it, beside the way to add some
        self.empty_folder_button = folder = named(QPushButton("Add a folder…  (Ctrl+Shift+O)"), "emptyFolderButton")
        folder.setMinimumHeight(40)
        folder.clicked.connect(self.add_folder_requested)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        row.addWidget(folder)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        page.setStyleSheet("#emptyCloset { border: 2px dashed #c8c5bd; border-radius: 12px; }")
        return page

    # -- filters -------------------------------------------------------------------------
    def _refresh_choices(self, *_args: object) -> None:
        items = self.model.items()
        counts: dict[str, int] = {}
        for item in items:
            key = item.group.value if item.group else "unclassified"
            counts[key] = counts.get(key, 0) + 1
        _fill(
            self.group_box,
            [(f"All ({len(items)})", None)]
            + [
                (f"{GROUP_TITLES[g]} ({counts[g]})", g)
                for g in [*(g.value for g in Group), "unclassified"]
                if counts.get(g)
            ],
        )
        _fill(self.category_box, [("All", None), *by_title({i.category for i in items if i.category})])
        colours = sorted({c.name for i in items for c in i.colours})
        _fill(self.colour_box, [("All", None)] + [(c, c) for c in colours])
        to_review = sum(item.to_review for item in items)
        self.review_box.setText(f"Needs review ({to_review})")
        self._apply_filters()

    def _filters(self) -> tuple[object, ...]:
        boxes = (self.group_box, self.category_box, self.colour_box)
        return (*(box.currentData() for box in boxes), self.search.text().strip().lower(), self.review_box.isChecked())

    def _on_data_changed(self, _a: QModelIndex, _b: QModelIndex, roles: list[int] | None = None) -> None:
        if roles and roles == [Qt.ItemDataRole.DecorationRole]:
            return
        self._refresh_choices()

    def set_importing(self, importing: bool) -> None:
        self.empty_title.setText(IMPORTING_TITLE if importing else EMPTY_TITLE)
        # "Add photos…" while adding only said "already being added"
        self.empty_hint.setVisible(not importing)
        self.empty_button.setVisible(not importing)
        self.empty_folder_button.setVisible(not importing)

    def _apply_filters(self, *_args: object) -> None:
        wanted = self._filters()
        if wanted != (self.proxy.group, self.proxy.category, self.proxy.colour, self.proxy.text, self.proxy.review):
            # unchanged filters need no re-filtering: the proxy filters inserted and changed rows itself
            self.proxy.set_filters(
                group=self.group_box.currentData(),
                category=self.category_box.currentData(),
                colour=self.colour_box.currentData(),
                text=self.search.text(),
                review=self.review_box.isChecked(),
            )
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count_label.setText(f"{shown} of {counted(total, 'item')}" if shown != total else counted(total, "item"))
        self.stack.setCurrentIndex(0 if total == 0 and not self.archived_box.isChecked() else (1 if shown else 2))
        text = self.search.text().strip()
        if text:
            self.no_match.setText(f"No items match “{text}”.")
        elif self.review_box.isChecked() and not self.model.review_count():  # the queue is done, not a filter miss
            self.no_match.setText("Nothing left to review. Untick “Needs review” to see the whole closet.")
        else:
            self.no_match.setText("No item matches these filters.")

    def set_filters(
        self,
        *,
        group: str | None = None,
        category: str | None = None,
        colour: str | None = None,
        text: str = "",
        review: bool = False,
    ) -> None:
        """Pick filters programmatically (as a user would in the combo boxes)."""
        for box, value in ((self.group_box, group), (self.category_box, category), (self.colour_box, colour)):
            box.setCurrentIndex(max(0, box.findData(value)))
        self.search.setText(text)
        self.review_box.setChecked(review)  # not blocked: the Review menu's check mark follows the box
        self._apply_filters()

    def visible_items(self) -> list[Item]:
        return [self.proxy.index(row, 0).data(ITEM_ROLE) for row in range(self.proxy.rowCount())]

    # -- selection -------------------------------------------------------------------------
    def selected_item(self) -> Item | None:
        indexes = self.grid.selectionModel().selectedIndexes()
        return indexes[0].data(ITEM_ROLE) if indexes else None

    def select_item(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row))
            if index.isValid():
                self.grid.setCurrentIndex(index)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.item_selected.emit(self.selected_item())

    def _context_menu(self, pos: QPoint) -> None:
        index = self.grid.indexAt(pos)
        if not index.isValid():
            return
        item: Item = index.data(ITEM_ROLE)
        menu = QMenu(self)
        if item.to_review:
            menu.addAction(
                f"Confirm the category: {category_name(item.category)}", lambda: self.confirm_requested.emit(item.id)
            )
        menu.addAction("Edit…", lambda: self.edit_requested.emit(item.id))
        menu.addAction("Build an outfit around this item", lambda: self.build_around_requested.emit(item.id))
        if self.similar_enabled:
            menu.addAction("Find similar items", lambda: self.similar_requested.emit(item.id))
        menu.addSeparator()
        menu.addAction("Move to the trash", lambda: self.remove_requested.emit(item.id))
        menu.exec(self.grid.viewport().mapToGlobal(pos))


def _fill(box: QComboBox, entries: list[tuple[str, str | None]]) -> None:
    """Refill a filter combo box, keeping the current choice when it still exists."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    for text, data in entries:
        box.addItem(text, data)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.blockSignals(False)
