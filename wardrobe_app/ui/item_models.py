"""Qt item models of the closet: the item list with lazily loaded, cached thumbnails, and its filter."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap

from wardrobe_app.domain import Item, category_title
from wardrobe_app.services.closet_search import matches_query
from wardrobe_app.ui.naming import tooltip

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
REVIEW_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: the item waits in the review queue
THUMB_SIZE = 128
#: Colour of the "needs review" badge on thumbnails (an amber disc with a question mark).
BADGE_COLOUR = QColor("#e08a00")
Index = QModelIndex | QPersistentModelIndex


class _ThumbSignals(QObject):
    loaded = Signal(str, QImage)


class _ThumbJob(QRunnable):
    """Reads and scales one image file into a QImage (QImage is safe off the GUI thread)."""

    def __init__(self, path: str, signals: _ThumbSignals, size: int = THUMB_SIZE, key: str | None = None) -> None:
        super().__init__()
        self._path = path
        self._signals = signals
        self._size = size
        self._key = key if key is not None else path

    def run(self) -> None:
        image = QImage(self._path)
        if not image.isNull():
            image = image.scaled(
                self._size, self._size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self._signals.loaded.emit(self._key, image)


class ImageLoader(QObject):
    """Loads bigger previews (photo, cut-out) off the GUI thread; ``loaded(key, image)`` arrives on the GUI thread."""

    loaded = Signal(str, QImage)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self._signals = _ThumbSignals(self)
        self._signals.loaded.connect(self.loaded)

    def request(self, key: str, path: str, size: int) -> None:
        self._pool.start(_ThumbJob(path, self._signals, size, key))


class ThumbnailCache(QObject):
    """Loads thumbnails on a small pool of its own, the first time a view asks; keeps the newest few hundred."""

    ready = Signal(str)

    def __init__(self, parent: QObject | None = None, limit: int = 600) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _ThumbSignals(self)
        self._signals.loaded.connect(self._on_loaded)
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._loading: set[str] = set()
        self._limit = limit
        self.placeholder = _placeholder()

    def get(self, path: str | None) -> QPixmap:
        """The cached thumbnail, or a placeholder while it loads in the background."""
        if not path:
            return self.placeholder
        pixmap = self._pixmaps.get(path)
        if pixmap is not None:
            self._pixmaps.move_to_end(path)
            return pixmap
        if path not in self._loading:
            self._loading.add(path)
            self.pool.start(_ThumbJob(path, self._signals))
        return self.placeholder

    @Slot(str, QImage)
    def _on_loaded(self, path: str, image: QImage) -> None:
        self._loading.discard(path)
        self._pixmaps[path] = QPixmap.fromImage(image) if not image.isNull() else self.placeholder
        while len(self._pixmaps) > self._limit:
            self._pixmaps.popitem(last=False)
        self.ready.emit(path)


def _placeholder() -> QPixmap:
    pixmap = QPixmap(THUMB_SIZE, THUMB_SIZE)
    pixmap.fill(QColor("#f2f1ee"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#c8c5bd"))
    painter.drawRoundedRect(8, 8, THUMB_SIZE - 16, THUMB_SIZE - 16, 10, 10)
    painter.end()
    return pixmap


def badged(pixmap: QPixmap) -> QPixmap:
    """A copy of a thumbnail with the "needs review" badge painted in its top right corner."""
    out = QPixmap(pixmap)
    size = max(18, min(out.width(), out.height()) // 5)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("white"), 2))
    painter.setBrush(BADGE_COLOUR)
    x, y = out.width() - size - 3, 3
    painter.drawEllipse(x, y, size, size)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(int(size * 0.7))
    painter.setFont(font)
    painter.drawText(x, y, size, size, Qt.AlignmentFlag.AlignCenter, "?")
    painter.end()
    return out


#: Each group as the closet names it (filters, item panel, tooltips); "middle" and "bottom" are engine words.
def by_title(categories: set[str]) -> list[tuple[str, str]]:
    """(shown title, stored category) pairs in the order people read them (by title, not by stored word)."""
    return sorted(((category_title(c), c) for c in categories), key=lambda pair: pair[0].lower())


GROUP_TITLES = {
    "top": "Tops",
    "middle": "Bottoms",
    "full": "Dresses",
    "bottom": "Shoes",
    "accessory": "Accessories",
    "unclassified": "Unclassified",
}


class ClosetModel(QAbstractListModel):
    """The closet's items, in the order the services return them."""

    def __init__(self, thumbnails: ThumbnailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Item] = []
        self._rows: dict[str, int] = {}
        self.thumbnails = thumbnails
        self._badged: OrderedDict[int, QPixmap] = OrderedDict()  # thumbnail cacheKey -> badged copy
        thumbnails.ready.connect(self._on_thumbnail)

    def set_items(self, items: list[Item]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = {item.thumb_path: row for row, item in enumerate(self._items) if item.thumb_path}
        self.endResetModel()

    def items(self) -> list[Item]:
        return list(self._items)

    @Slot(object)
    def merge_items(self, items: list[Item]) -> None:
        """Show a newer list: items appended since (an import under way) are inserted, items that changed
        (a correction re-scored them) are replaced in place, anything else resets."""
        known = [item.id for item in self._items]
        if [item.id for item in items[: len(known)]] != known:
            self.set_items(items)
            return
        changed = [row for row, (old, new) in enumerate(zip(self._items, items, strict=False)) if old != new]
        for row in changed:
            self._items[row] = items[row]
            thumb = items[row].thumb_path
            if thumb:  # a fixed cut-out has a new thumbnail file
                self._rows[thumb] = row
        if changed:  # one signal for the span: views refresh once, not once per item
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))
        added = items[len(known) :]
        if added:
            self.beginInsertRows(QModelIndex(), len(known), len(items) - 1)
            self._items.extend(added)
            self._rows.update({it.thumb_path: len(known) + n for n, it in enumerate(added) if it.thumb_path})
            self.endInsertRows()

    @Slot(object)
    def add_items(self, items: list[Item]) -> None:
        """Items just added (an import under way): appended, or replaced in place when already shown."""
        rows = {item.id: row for row, item in enumerate(self._items)}
        fresh = []
        for item in items:
            if item.id in rows:
                if self._items[rows[item.id]] != item:
                    self.replace_item(item)
            else:
                rows[item.id] = -1
                fresh.append(item)
        if fresh:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._items.extend(fresh)
            self._rows.update({it.thumb_path: first + n for n, it in enumerate(fresh) if it.thumb_path})
            self.endInsertRows()

    def replace_item(self, item: Item) -> None:
        for row, old in enumerate(self._items):
            if old.id == item.id:
                self._items[row] = item
                self._rows = {it.thumb_path: r for r, it in enumerate(self._items) if it.thumb_path}
                index = self.index(row)
                self.dataChanged.emit(index, index)
                return

    def remove_item(self, item_id: int) -> None:
        for row, old in enumerate(self._items):
            if old.id == item_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
                self._rows = {it.thumb_path: r for r, it in enumerate(self._items) if it.thumb_path}
                return

    def row_of(self, item_id: int) -> int:
        return next((row for row, item in enumerate(self._items) if item.id == item_id), -1)

    def label_of(self, item_id: int) -> str | None:
        """The item's label as the grid shows it; None when it is not in the grid."""
        row = self.row_of(item_id)
        return self._items[row].label if row >= 0 else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.label} (archived)" if item.archived else item.label
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self.thumbnails.get(item.thumb_path)
            return QIcon(self._with_badge(pixmap) if item.to_review else pixmap)
        if role == REVIEW_ROLE:
            return item.to_review
        if role == Qt.ItemDataRole.ToolTipRole:
            review = "\nneeds review: is this right? (Confirm: Ctrl+Return)" if item.to_review else ""
            group = GROUP_TITLES[item.group.value] if item.group else "no group"
            return tooltip(f"{item.label}\n{category_title(item.category)} · {group}{review}")
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(THUMB_SIZE + 24, THUMB_SIZE + 40)
        return None

    def review_count(self) -> int:
        return sum(item.to_review for item in self._items)

    def _with_badge(self, pixmap: QPixmap) -> QPixmap:
        key = pixmap.cacheKey()
        found = self._badged.get(key)
        if found is None:
            found = self._badged[key] = badged(pixmap)
            while len(self._badged) > 600:
                self._badged.popitem(last=False)
        return found

    @Slot(str)
    def _on_thumbnail(self, path: str) -> None:
        row = self._rows.get(path)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ClosetFilter(QSortFilterProxyModel):
    """Filters the closet by group, category, colour name and free text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.group: str | None = None
        self.category: str | None = None
        self.colour: str | None = None
        self.text = ""
        self.review = False

    def set_filters(
        self,
        *,
        group: str | None = None,
        category: str | None = None,
        colour: str | None = None,
        text: str = "",
        review: bool = False,
    ) -> None:
        self.beginFilterChange()
        self.group, self.category, self.colour, self.text = group, category, colour, text.strip().lower()
        self.review = review
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        item: Item | None = self.sourceModel().index(source_row, 0, source_parent).data(ITEM_ROLE)
        if item is None or (self.review and not item.to_review):
            return False
        return matches(item, self.group, self.category, self.colour, self.text)


def matches(item: Item, group: str | None, category: str | None, colour: str | None, text: str) -> bool:
    """Whether an item passes the closet's filters (``group`` "unclassified" means no group)."""
    if group == "unclassified":
        if item.group is not None:
            return False
    elif group and (item.group is None or item.group.value != group):
        return False
    if category and item.category != category:
        return False
    if colour and not any(c.name == colour for c in item.colours):
        return False
    return not text or matches_query(item, text)
