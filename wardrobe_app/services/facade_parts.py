"""What the facets of the Wardrobe facade reach on it: declared here for the type checker, defined by Wardrobe."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from wardrobe_app.db.photo_files import PhotoFiles
    from wardrobe_app.db.tables import ItemRow
    from wardrobe_app.domain import Group, Item
    from wardrobe_app.domain.diary import ItemStatus
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.services.classifier_slot import ClassifierSlot
    from wardrobe_app.services.diary import Diary
    from wardrobe_app.services.outfits import OutfitService
    from wardrobe_app.services.review import ReviewDesk
    from wardrobe_app.services.similar import SimilarSearch


class FacadeParts:
    """The base of every facet (services/facet_*.py): the closet's folder, files, sessions, lock and parts."""

    if TYPE_CHECKING:
        data_dir: Path
        files: PhotoFiles
        classifier_slot: ClassifierSlot

        @property
        def sessions(self) -> sessionmaker[Session]: ...

        @property
        def classifier_error(self) -> str | None: ...

        def writing(self, what: str) -> AbstractContextManager[None]: ...

        def classifier(self) -> GarmentClassifier | None: ...

        def items(
            self,
            group: Group | str | None = None,
            *,
            category: str | None = None,
            include_archived: bool = False,
            status: ItemStatus | str | None = None,
            after: int | None = None,
        ) -> list[Item]: ...

        def item(self, item_id: int) -> Item: ...

        def _row(self, session: Session, item_id: int) -> ItemRow: ...

        def _similar_search(self) -> SimilarSearch: ...

        def _outfits(self) -> OutfitService: ...

        def _diary(self) -> Diary: ...

        def _review(self) -> ReviewDesk: ...
