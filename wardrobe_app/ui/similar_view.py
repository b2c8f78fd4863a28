"""Find similar: drop or open any photo (a shop picture, say) and see the closet's best matches, best first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain.results import SimilarMatch
from wardrobe_app.ui.import_dialog import PHOTO_FILTER
from wardrobe_app.ui.naming import escaped, named, rich, tooltip
from wardrobe_app.ui.ops import ClosetQuery
from wardrobe_app.ui.session import ClosetSession

if TYPE_CHECKING:
    from wardrobe_app.services.catalogue import Catalogue
    from wardrobe_app.services.wardrobe import Wardrobe

RESULT_SIZE = 150
Match = SimilarMatch


def _scaled(path: str | None, size: int) -> QImage:
    image = QImage(path) if path else QImage()
    if image.isNull():
        return image
    return image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def search(wardrobe: Wardrobe, query: str | int, collection: str, k: int) -> tuple[list[tuple[Match, QImage]], QImage]:
    """Run the search and load the pictures it shows (in the worker)."""
    matches = wardrobe.similar(query, k=k, collection=collection)
    if isinstance(query, int):
        query_image = _scaled(wardrobe.item(query).cutout_path or wardrobe.item(query).photo_path, 220)
    else:
        query_image = _scaled(str(query), 220)
    return [
        (match, _scaled(match.item.thumb_path or match.item.photo_path, RESULT_SIZE)) for match in matches
    ], query_image


class MatchCard(QFrame):
    """One found item: its picture, its name and how good a match it is (the score the order goes by)."""

    def __init__(self, match: Match, image: QImage, rank: int) -> None:
        super().__init__()
        self.setObjectName("matchCard")
        item, distance = match
        self.item, self.distance, self.match = item, distance, match.match
        self.setFrameShape(QFrame.Shape.StyledPanel)
        picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        picture.setFixedSize(RESULT_SIZE + 10, RESULT_SIZE + 10)
        if not image.isNull():
            picture.setPixmap(QPixmap.fromImage(image))
        where = "" if item.collection == "closet" else f"<br><small>{escaped(item.collection)}</small>"
        price = f" · {item.price:.2f}" if item.price is not None else ""
        text = named(
            QLabel(
                rich(f"<b>{rank}. {escaped(item.label)}</b><br>{match.match:.0%} match{price}{where}"),
                alignment=Qt.AlignmentFlag.AlignCenter,
                wordWrap=True,
            ),
            "matchText",
        )
        text.setMaximumWidth(RESULT_SIZE + 10)
        self.setToolTip(
            tooltip(
                f"{match.match:.0%} match: how alike it looks, less when it is another kind of garment.\n"
                f"Look distance {distance:.3f} (0 = identical)."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(picture)
        layout.addWidget(text)


class SimilarView(QWidget):
    """A drop zone and Open button for a query photo, and the k nearest items of the closet or a catalogue."""

    searched = Signal()

    def __init__(self, session: ClosetSession, k: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.k = k
        self.matches: list[Match] = []
        self.setAcceptDrops(True)
        self.open_button = named(QPushButton("Open a photo…"), "openQueryPhoto")
        self.open_button.clicked.connect(self.choose_photo)
        self.collection_box = named(QComboBox(), "collectionBox")
        self.collection_box.addItem("Your closet", "closet")
        bar = QHBoxLayout()
        bar.addWidget(self.open_button)
        bar.addWidget(QLabel("Search in"))
        bar.addWidget(self.collection_box)
        bar.addStretch(1)

        self.query = named(
            QLabel(
                "Drop a photo here\n(a shop picture, a friend's outfit…)\nto find the most similar items",
                alignment=Qt.AlignmentFlag.AlignCenter,
            ),
            "queryPhoto",
        )
        self.query.setFixedSize(240, 240)
        self.query.setStyleSheet("#queryPhoto { border: 2px dashed #c8c5bd; border-radius: 10px; color: #777; }")
        self.status = named(QLabel("", wordWrap=True), "similarStatus")
        self.results = QHBoxLayout()
        self.results.addStretch(1)
        results_box = QVBoxLayout()
        results_box.addWidget(self.status)
        results_box.addLayout(self.results)
        results_box.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.query, alignment=Qt.AlignmentFlag.AlignTop)
        body.addLayout(results_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        self.load_catalogues()

    def load_catalogues(self) -> None:
        """List the shop catalogues to search in (again after one was imported or removed)."""
        ClosetQuery(self.session, lambda w: w.catalogues(), title="Cannot list the catalogues").success(
            self._on_catalogues
        ).run_in_background()

    def _on_catalogues(self, catalogues: list[Catalogue]) -> None:
        chosen = self.collection_box.currentData()
        while self.collection_box.count() > 1:
            self.collection_box.removeItem(1)
        for catalogue in catalogues:
            self.collection_box.addItem(f"Catalogue: {catalogue.name} ({catalogue.items})", catalogue.name)
        self.collection_box.setCurrentIndex(max(0, self.collection_box.findData(chosen)))

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Find items like this photo", str(Path.home()), PHOTO_FILTER)
        if path:
            self.search_photo(path)

    def search_photo(self, path: str) -> None:
        self._search(path, f"Items most like {Path(path).name}")

    def search_item(self, item_id: int, label: str | None = None) -> None:
        self._search(item_id, f"Items most like the {label}" if label else f"Items most like item {item_id}")

    def _search(self, query: str | int, title: str) -> None:
        self.status.setText("Searching…")
        self.open_button.setEnabled(False)
        collection = self.collection_box.currentData()
        k = self.k
        ClosetQuery(self.session, lambda w: search(w, query, collection, k)).success(
            lambda r: self._show(title, *r)
        ).failure(self._failed).run_in_background()

    def _failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.status.setText("")
        self.session.report("Cannot search for similar items", error)

    def _show(self, title: str, found: list[tuple[Match, QImage]], query_image: QImage) -> None:
        self.open_button.setEnabled(True)
        if not query_image.isNull():
            self.query.setPixmap(QPixmap.fromImage(query_image))
        while self.results.count() > 1:
            entry = self.results.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.deleteLater()
        self.matches = [match for match, _ in found]
        for rank, (match, image) in enumerate(found, 1):
            self.results.insertWidget(rank - 1, MatchCard(match, image, rank))
        self.status.setText(
            rich(f"<b>{escaped(title)}</b> (best match first: how alike they look, the same kind of garment first)")
            if found
            else "Nothing to compare with yet: add photos to the closet first."
        )
        self.searched.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and len(event.mimeData().urls()) == 1:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        url = event.mimeData().urls()[0]
        if url.isLocalFile() and Path(url.toLocalFile()).is_file():
            event.acceptProposedAction()
            self.search_photo(url.toLocalFile())
