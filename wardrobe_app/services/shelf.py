"""Search and shop catalogues: similar items, catalogue imports, shopping advice, the CNN features they use."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.domain import Change, Group, Item
from wardrobe_app.domain.progress import Cancel, Progress

if TYPE_CHECKING:
    from wardrobe_app.domain.results import SimilarMatch
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.recommend.ranker_file import RankerWeights
    from wardrobe_app.services.catalogue import Catalogue, CatalogueImportReport, CatalogueStore
    from wardrobe_app.services.shopping import LookCompletion, PurchaseVerdict
    from wardrobe_app.services.similar import SimilarSearch

Guard = Callable[[str], AbstractContextManager[None]]


class Shelf:
    """The nearest-neighbour search over the closet and the catalogues, and what the shopping commands ask of it.

    ``closet`` lists the closet's items and ``ranker`` gives the expert outfit network (shopping advice);
    ``guard`` takes the writer lock for each product a catalogue import stores.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        data_dir: Path,
        files: PhotoFiles,
        classifier: Callable[[], GarmentClassifier | None],
        guard: Guard,
        closet: Callable[[], list[Item]],
        ranker: Callable[[], RankerWeights],
    ) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self.files = files
        self.classifier = classifier
        self.guard = guard
        self.closet = closet
        self.ranker = ranker
        self._search: SimilarSearch | None = None

    def search(self) -> SimilarSearch:
        """The search index (built on first use, kept until the items change)."""
        from wardrobe_app.services.similar import SimilarSearch

        if self._search is None or self._search.sessions is not self.sessions:
            if self._search is not None:
                self._search.close()
            self._search = SimilarSearch(self.sessions, self.data_dir, self.classifier)
        return self._search

    def forget(self) -> None:
        """Drop the index (a restore is replacing the closet): its commit watch holds the database file open."""
        if self._search is not None:
            self._search.close()
        self._search = None

    def close(self) -> None:
        """Let go of the search's own database connection (the closet is closing)."""
        self.forget()

    def similar(
        self,
        query: str | int | os.PathLike[str],
        k: int,
        collection: str,
        group: Group | str | None,
        category: str | None,
        same_category: bool,
    ) -> list[SimilarMatch]:
        return self.search().similar(query, k, collection, group, category, same_category)

    def shop_for(self, photo: str | int | os.PathLike[str], k: int, catalogue: str | None) -> list[SimilarMatch]:
        from wardrobe_app.services.shopping import shop_for

        return shop_for(self.search(), [c.name for c in self.catalogues()], photo, k, catalogue)

    def complete_the_look(self, item_id: int, occasion: str, catalogue: str, k: int) -> list[LookCompletion]:
        from wardrobe_app.services.shopping import complete_the_look

        search = self.search()
        collection_id, name = search.collection(catalogue)
        products = search.collection_items(collection_id, name)
        return complete_the_look(self.ranker(), self.closet(), products, item_id, occasion, k)

    def worth_buying(
        self, photo: str | os.PathLike[str], threshold: float, occasions: list[str] | None, category: str | None
    ) -> list[PurchaseVerdict]:
        from wardrobe_app.services.shopping import candidate_item, worth_buying

        candidate = candidate_item(self.search().embed_photo(Path(photo)), category)
        return worth_buying(self.ranker(), self.closet(), candidate, occasions, threshold)

    def store(self, guarded: bool = False) -> CatalogueStore:
        from wardrobe_app.services.catalogue import CatalogueStore

        if guarded:
            return CatalogueStore(self.sessions, self.files, self.classifier, guard=self.guard)
        return CatalogueStore(self.sessions, self.files, self.classifier)

    def import_catalogue(
        self,
        name: str,
        folder: str | os.PathLike[str],
        csv: str | os.PathLike[str] | None,
        progress: Progress | None,
        cancel: Cancel | None,
    ) -> CatalogueImportReport:
        return self.store(guarded=True).import_folder(name, Path(folder), Path(csv) if csv else None, progress, cancel)

    def catalogues(self) -> list[Catalogue]:
        return self.store().list()

    def remove_catalogue(self, name: str) -> Change:
        store = self.store()
        collection_id = store.find(name)
        removed = store.remove(name)
        self.search().forget_saved_indexes(collection_id)  # its saved approximate index, if it was big
        return Change(notes=(f"removed catalogue {name} ({removed} products)",), catalogues=(name,))

    def backfill(self, progress: Progress | None, cancel: Cancel | None) -> Change:
        from wardrobe_app.services.feature_backfill import backfill_cnn_features

        updated = backfill_cnn_features(self.sessions, self.data_dir, self.classifier(), progress, cancel)
        self.search().invalidate()
        return Change(updated=tuple(updated))
