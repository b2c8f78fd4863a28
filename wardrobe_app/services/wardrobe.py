"""The Wardrobe facade: the one API that the CLI, the GUI and Python users share, built from sub-services.

``Wardrobe`` holds the writer lock for every write (``@writes``) and forwards to its parts: ``closet``
(items, corrections, removal: services/closet.py), ``classifier_slot`` (services/classifier_slot.py),
``shelf`` (similar items, catalogues, shopping: services/shelf.py), the review desk, the outfit service
and ranker (services/outfits.py), the wear diary (services/diary.py) and the archive (services/archive.py).
Three facets hold the forwarding of whole areas: ``ClosetCare`` (review queue, trash, search, cut-out fixes:
services/facet_care.py), ``Outfits`` (services/facet_outfits.py) and ``WearDiary`` (services/facet_diary.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.closet_lock import ClosetLock
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, ItemRow
from wardrobe_app.domain import AddResult, Change, Group, Item, normalise_category
from wardrobe_app.domain.progress import Cancel, Progress
from wardrobe_app.services.classifier_slot import ClassifierSlot
from wardrobe_app.services.closet import ClosetItems
from wardrobe_app.services.closet_state import ClosetDatabase, LiveSessions, disk_trouble, writes
from wardrobe_app.services.data_dir import resolve_data_dir
from wardrobe_app.services.facet_care import ClosetCare
from wardrobe_app.services.facet_diary import WearDiary
from wardrobe_app.services.facet_outfits import Outfits
from wardrobe_app.services.shelf import Shelf

if TYPE_CHECKING:
    from wardrobe_app.domain.diary import ItemStatus
    from wardrobe_app.domain.results import ClassifierInfo, SimilarMatch
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.services.catalogue import Catalogue, CatalogueImportReport
    from wardrobe_app.services.doctor import DoctorReport
    from wardrobe_app.services.importing import PhotoImporter
    from wardrobe_app.services.shopping import LookCompletion, PurchaseVerdict
    from wardrobe_app.services.similar import SimilarSearch

log = logging.getLogger(__name__)


ClassifierChoice = Literal["auto", "none"] | Any
#: Photos classified in one forward pass when adding photos to the closet.
CLASSIFY_BATCH = 8


class Wardrobe(ClosetCare, Outfits, WearDiary):
    """A closet on disk. Open with ``Wardrobe.open()``; every call opens its own Session."""

    def __init__(self, data_dir: Path, classifier: ClassifierChoice = "auto") -> None:
        self.data_dir = data_dir
        self.files = PhotoFiles(data_dir)
        self.lock = ClosetLock(data_dir)
        self._db = ClosetDatabase(data_dir, self.lock, self.files)
        self._live = LiveSessions(self._db.sessions)
        #: Things the opening had to repair, for the fronts to tell the user (an interrupted restore).
        self.notices: list[str] = self._db.open()
        self.classifier_slot = ClassifierSlot(classifier)
        self.closet = ClosetItems(self.sessions, data_dir, self.files, learn=lambda: self._review().rescore())
        self.shelf = Shelf(
            self.sessions,
            data_dir,
            self.files,
            self.classifier,
            self.writing,
            closet=lambda: self.items(),
            ranker=lambda: self._outfits().ranker(),
        )

    @property
    def engine(self) -> Any:
        return self._db.engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory of the closet as it is now on disk (reopened if another process restored it)."""
        return self._live

    @contextmanager
    def writing(self, what: str) -> Iterator[None]:
        """Hold the closet's writer lock (across processes) for one write; ClosetBusyError if it stays taken.

        A disk that fails under the write (read-only, full, an I/O error) is a DataDirError or DiskFullError,
        never a raw OSError: the database's own changes are one transaction each, so they were not made.
        """
        with self.lock.writing(what):
            self._db.follow_replacement()
            try:
                yield
            except OSError as exc:
                raise disk_trouble(exc, what, self.data_dir) from exc

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, *, classifier: ClassifierChoice = "auto") -> Wardrobe:
        """Open (creating and migrating if needed) the closet in ``data_dir``.

        ``classifier``: "auto" loads the shipped garment classifier on first use (items stay
        unclassified if there is none or it is damaged), "none" never classifies, or pass a
        ready classifier object (tests). WARDROBE_CLASSIFIER=none in the environment turns
        "auto" into "none".
        """
        return cls(resolve_data_dir(data_dir), classifier)

    def close(self) -> None:
        self.shelf.close()
        self._db.close()

    def __enter__(self) -> Wardrobe:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self.sessions()

    # -- classifier (services/classifier_slot.py) -----------------------------------------------
    def classifier(self) -> GarmentClassifier | None:
        """The garment classifier, loaded once on first need; None when unavailable."""
        return self.classifier_slot.get()

    @property
    def classifier_error(self) -> str | None:
        """Why there is no classifier (not installed, damaged, switched off), if there is none."""
        return self.classifier_slot.error

    def classifier_info(self) -> ClassifierInfo:
        """The classifier in use, or the shipped one not loaded yet: version, folder and manifest (metrics).

        Never loads TensorFlow. ``folder`` is None when no shipped model matches; ``error`` says why
        the classifier is unavailable, if it is.
        """
        return self.classifier_slot.info()

    # -- adding photos -----------------------------------------------------------------------
    def _importer(self) -> PhotoImporter:
        # imported here: the vision stack (OpenCV) is only needed when photos are added
        from wardrobe_app.services.importing import PhotoImporter

        return PhotoImporter(self.sessions, self.files, self.classifier, CLOSET_COLLECTION_ID, guard=self.writing)

    def add_photo(self, path: str | os.PathLike[str], category: str | None = None) -> Item:
        """Add one photo to the closet. Raises PhotoError, DuplicatePhotoError, UnknownCategoryError."""
        return self._importer().add(Path(path), category)

    def add_photos(
        self,
        paths: Iterable[str | os.PathLike[str]],
        category: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> list[AddResult]:
        """Add photos and folders (recursively). Bad files are reported in the results, never fatal."""
        if category is not None:
            category = normalise_category(category)
        from wardrobe_app.services.importing import expand_paths, import_pipelined

        importer = self._importer()
        todo = expand_paths(paths, closet=self.data_dir)
        # With a classifier, photos are classified a few at a time (one forward pass for several photos
        # is much cheaper) while the next few are read and cut out; each item still commits on its own.
        # The classifier (seconds to load) is not loaded when no file is there to classify.
        anything = any(os.path.lexists(p) for p in todo)
        batch_size = CLASSIFY_BATCH if anything and self.classifier() is not None else 1
        results = import_pipelined(importer, todo, category, batch_size, progress, cancel)
        self.last_import_timings = importer.timings
        return self._rescored(results)

    # -- the closet's items (services/closet.py) ------------------------------------------------
    def items(
        self,
        group: Group | str | None = None,
        *,
        category: str | None = None,
        include_archived: bool = False,
        status: ItemStatus | str | None = None,
        after: int | None = None,
    ) -> list[Item]:
        """Closet items, oldest first, optionally of one group, category or status (available, laundry ...);
        ``after``: only those with a higher id (added since that one: an import's feed)."""
        return self.closet.items(
            group, category=category, include_archived=include_archived, status=status, after=after
        )

    def newest_item_id(self) -> int:
        """The highest closet item id so far (0 for an empty closet): what ``items(after=...)`` starts from."""
        return self.closet.newest_item_id()

    def item(self, item_id: int) -> Item:
        return self.closet.item(item_id)

    def find(self, item_id: int) -> Item:
        """A closet item or a catalogue product by id (``Item.collection`` says which); ItemNotFoundError if none.

        Every id the CLI prints (closet items, and the products ``shop`` and ``similar`` find) is one of these.
        """
        return self.closet.find(item_id)

    def counts(self) -> dict[str, int]:
        """Number of (unarchived) closet items per group, plus 'unclassified' and 'all'."""
        return self.closet.counts()

    @writes("correcting a category")
    def set_category(self, item_id: int, category: str) -> Item:
        """A user's correction: kept, and never overwritten by a later classifier run."""
        return self.closet.set_category(item_id, category)

    @writes("editing an item")
    def update_item(self, item_id: int, **fields: Any) -> Item:
        """Set the user's own fields: name, brand, notes, season, formality, tags, archived, price, purchased_on.

        Raises InvalidItemFieldError (nothing changed) for a value the CLI would refuse too.
        """
        return self.closet.update_item(item_id, **fields)

    @writes("removing an item")
    def remove(self, item_id: int) -> Change:
        """Move an item to the trash: it leaves the closet, outfits and search until restored.

        Its files, outfits and ratings stay until the trash is emptied (``empty_trash``).
        """
        return self._trash().move_in([item_id])

    def _row(self, session: Session, item_id: int) -> ItemRow:
        return self.closet.row(session, item_id)

    # -- similar items, shop catalogues and shopping (services/shelf.py) --------------------------
    def _similar_search(self) -> SimilarSearch:
        return self.shelf.search()

    def similar(
        self,
        photo_or_item_id: str | int | os.PathLike[str],
        k: int = 5,
        collection: str = "closet",
        group: Group | str | None = None,
        category: str | None = None,
        same_category: bool = True,
    ) -> list[SimilarMatch]:
        """The ``k`` items of the closet (or of a catalogue) that look most like a photo or an item.

        Each match is ``(item, distance)`` (distances in [0, 1]) with ``.match``, the score the order goes by
        (best first); an item id never finds itself. Unless a group or category is given, items of the
        query's own category come first (``same_category``): a nearer item of another kind may follow them.
        Raises PhotoError, ItemNotFoundError or UnknownCatalogueError.
        """
        return self.shelf.similar(photo_or_item_id, k, collection, group, category, same_category)

    def shop_for(
        self, photo: str | int | os.PathLike[str], k: int = 5, catalogue: str | None = None
    ) -> list[SimilarMatch]:
        """Catalogue products most like a photo (or a closet item), of the same group, from one or all catalogues."""
        return self.shelf.shop_for(photo, k, catalogue)

    def complete_the_look(self, item_id: int, occasion: str, catalogue: str, k: int = 5) -> list[LookCompletion]:
        """The catalogue products that make the best outfits with a closet item (the closet fills the rest)."""
        return self.shelf.complete_the_look(item_id, occasion, catalogue, k)

    def worth_buying(
        self,
        photo: str | os.PathLike[str],
        threshold: float = 0.6,
        occasions: list[str] | None = None,
        category: str | None = None,
    ) -> list[PurchaseVerdict]:
        """Per occasion, how many good outfits (ranker score >= threshold) a garment in a photo adds to the closet."""
        return self.shelf.worth_buying(photo, threshold, occasions, category)

    def import_catalogue(
        self,
        name: str,
        folder: str | os.PathLike[str],
        csv: str | os.PathLike[str] | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> CatalogueImportReport:
        """Import (or resume importing) a folder of product photos as the catalogue ``name``."""
        from wardrobe_app.services.import_paths import refuse_blank

        refuse_blank(folder)  # Path("") is the current folder
        report = self.shelf.import_catalogue(name, folder, csv, progress, cancel)
        self.last_import_timings = report.timings
        return report

    def catalogues(self) -> list[Catalogue]:
        return self.shelf.catalogues()

    @writes("removing a catalogue")
    def remove_catalogue(self, name: str) -> Change:
        """Delete a catalogue, its products and their files (the closet is untouched)."""
        change = self.shelf.remove_catalogue(name)
        self.collect_orphans()
        return change

    @writes("recomputing features")
    def backfill_embeddings(self, progress: Progress | None = None, cancel: Cancel | None = None) -> Change:
        """Recompute the CNN features of items whose stored version differs from the active classifier's."""
        return self.shelf.backfill(progress, cancel)

    def catalogue_products(self, name: str) -> list[Item]:
        """A catalogue's products (name, price, colour, category). Raises UnknownCatalogueError."""
        search = self._similar_search()
        collection_id, found = search.collection(name)
        return search.collection_items(collection_id, found)

    # -- housekeeping --------------------------------------------------------------------------
    def referenced_files(self) -> set[str]:
        return self._db.referenced_files()

    @writes("collecting unused files")
    def collect_orphans(self) -> list[str]:
        """Delete item files that no row points at (after a crash mid-import or a removal)."""
        removed = self.files.collect_orphans(self.referenced_files())
        if removed:
            log.info("collected %d orphan files", len(removed))
        return removed

    def doctor(self, repair: bool = False) -> DoctorReport:
        """Check the closet (database integrity, missing or changed files, leftovers); ``repair`` fixes what it can."""
        from wardrobe_app.services.doctor import examine

        return examine(self, repair)

    def export(self, zip_path: str | os.PathLike[str]) -> Path:
        """Write the closet (database + photos, with checksums) to a zip archive.

        Refuses (DamagedClosetError) a closet with a damaged database or missing files: see ``doctor``.
        """
        from wardrobe_app.services.archive import export_closet

        with self.writing("exporting the closet"):  # no import may add files half-way through the snapshot
            return export_closet(self.data_dir, Path(zip_path))

    def restore(self, zip_path: str | os.PathLike[str]) -> Change:
        """Replace this closet by an archive's, as a transaction: a bad archive is refused and changes nothing.

        Other processes with the closet open notice the swap and reopen it before their next write.
        """
        from wardrobe_app.services.archive import restore_closet

        with self.writing("restoring a backup"):
            self.shelf.forget()  # its commit watch holds the database file open
            restore_closet(Path(zip_path), self.data_dir, before_swap=self._db.close)
            self._db.reopen()
        return Change(notes=("restored",), restored=True, replaced=True)
