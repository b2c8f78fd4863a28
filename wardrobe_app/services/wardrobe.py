"""The Wardrobe facade: the one API that the CLI, the GUI and Python users share."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from wardrobe_app.db.closet_lock import ClosetLock
from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, ItemRow
from wardrobe_app.domain import (
    AddResult,
    Change,
    Group,
    Item,
    ItemNotFoundError,
    WardrobeError,
    group_of,
    normalise_category,
)
from wardrobe_app.services.closet_state import ClosetDatabase, LiveSessions, writes
from wardrobe_app.services.data_dir import resolve_data_dir

if TYPE_CHECKING:
    from datetime import date

    from wardrobe_app.domain import Outfit, Suggestions
    from wardrobe_app.domain.diary import DiaryChange, ItemStatus, WearEntry
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.services.catalogue import Catalogue, CatalogueImportReport
    from wardrobe_app.services.diary import Diary
    from wardrobe_app.services.doctor import DoctorReport
    from wardrobe_app.services.importing import Cancel, PhotoImporter, Progress
    from wardrobe_app.services.outfits import OutfitService
    from wardrobe_app.services.reclassify import ReclassifyReport
    from wardrobe_app.services.review import ReviewDesk
    from wardrobe_app.services.shopping import LookCompletion, PurchaseVerdict
    from wardrobe_app.services.similar import SimilarSearch
    from wardrobe_app.services.stats import ClosetStats

log = logging.getLogger(__name__)

ClassifierChoice = Literal["auto", "none"] | Any
#: Photos classified in one forward pass when adding photos to the closet.
CLASSIFY_BATCH = 8


class Wardrobe:
    """A closet on disk. Open with ``Wardrobe.open()``; every call opens its own Session."""

    def __init__(self, data_dir: Path, classifier: ClassifierChoice = "auto") -> None:
        self.data_dir = data_dir
        self.files = PhotoFiles(data_dir)
        self.lock = ClosetLock(data_dir)
        self._db = ClosetDatabase(data_dir, self.lock, self.files)
        self._live = LiveSessions(self._db.sessions)
        #: Things the opening had to repair, for the fronts to tell the user (an interrupted restore).
        self.notices: list[str] = self._db.open()
        self._classifier_choice = classifier
        self._classifier: GarmentClassifier | None = None
        self._classifier_loaded = False
        self.classifier_error: str | None = None

    @property
    def engine(self) -> Any:
        return self._db.engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory of the closet as it is now on disk (reopened if another process restored it)."""
        return self._live

    @contextmanager
    def writing(self, what: str) -> Iterator[None]:
        """Hold the closet's writer lock (across processes) for one write; ClosetBusyError if it stays taken."""
        with self.lock.writing(what):
            self._db.follow_replacement()
            yield

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
        search = self.__dict__.get("_search")
        if search is not None:
            search.close()
        self._db.close()

    def __enter__(self) -> Wardrobe:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def session(self) -> Session:
        return self.sessions()

    # -- classifier ----------------------------------------------------------------------------
    def classifier(self) -> GarmentClassifier | None:
        """The garment classifier, loaded once on first need; None when unavailable."""
        if self._classifier_loaded:
            return self._classifier
        self._classifier_loaded = True
        choice = self._classifier_choice
        if choice == "auto" and os.environ.get("WARDROBE_CLASSIFIER", "").lower() == "none":
            choice = "none"
        if choice == "none" or choice is None:
            return None
        if choice != "auto":
            self._classifier = choice
            return self._classifier
        try:
            from wardrobe_app.ml.classifier import load_classifier, shipped_versions

            if not shipped_versions():
                self.classifier_error = "no trained garment classifier is installed"
                return None
            self._classifier = load_classifier()
        except (WardrobeError, ImportError, OSError) as exc:
            self.classifier_error = str(exc)
            log.warning("garment classifier unavailable: %s", exc)
        return self._classifier

    def classifier_info(self) -> dict[str, Any]:
        """The classifier in use, or the shipped one not loaded yet: version, folder and manifest (metrics).

        Never loads TensorFlow. ``folder`` is None when no shipped model matches; ``error`` says why
        the classifier is unavailable, if it is.
        """
        from wardrobe_app.ml.registry import locate

        loaded = self._classifier if self._classifier_loaded else None
        version = getattr(loaded, "version", None)
        info: dict[str, Any] = {
            "version": version,
            "folder": None,
            "manifest": {},
            "loaded": loaded is not None,
            "error": self.classifier_error,
        }
        try:
            shipped = locate(version=version.rsplit("/", 1)[-1] if version else None)
        except WardrobeError as exc:
            info["error"] = info["error"] or str(exc)
            return info
        info.update(version=shipped.version, folder=shipped.folder, manifest=shipped.manifest)
        return info

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
        todo = expand_paths(paths)
        # With a classifier, photos are classified a few at a time (one forward pass for several photos
        # is much cheaper) while the next few are read and cut out; each item still commits on its own.
        # The classifier (seconds to load) is not loaded when no file is there to classify.
        anything = any(os.path.lexists(p) for p in todo)
        batch_size = CLASSIFY_BATCH if anything and self.classifier() is not None else 1
        results = import_pipelined(importer, todo, category, batch_size, progress, cancel)
        self.last_import_timings = importer.timings
        return self._rescored(results)

    # -- reading -------------------------------------------------------------------------------
    def items(
        self,
        group: Group | str | None = None,
        *,
        category: str | None = None,
        include_archived: bool = False,
        status: ItemStatus | str | None = None,
    ) -> list[Item]:
        """Closet items, oldest first, optionally of one group, category or status (available, laundry ...)."""
        query = (
            select(ItemRow)
            .options(selectinload(ItemRow.colours))
            .where(ItemRow.collection_id == CLOSET_COLLECTION_ID)
            .order_by(ItemRow.id)
        )
        if group is not None:
            query = query.where(ItemRow.group == Group(group).value)
        if category is not None:
            query = query.where(ItemRow.category == normalise_category(category))
        if not include_archived:
            query = query.where(ItemRow.archived.is_(False))
        if status is not None:
            from wardrobe_app.domain.diary import parse_status

            query = query.where(ItemRow.status == parse_status(status).value)
        with self.sessions() as session:
            return [item_from_row(row, self.data_dir) for row in session.scalars(query)]

    def item(self, item_id: int) -> Item:
        with self.sessions() as session:
            row = session.get(ItemRow, item_id)
            if row is None or row.collection_id != CLOSET_COLLECTION_ID:
                raise ItemNotFoundError(item_id)
            return item_from_row(row, self.data_dir)

    def find(self, item_id: int) -> Item:
        """A closet item or a catalogue product by id (``Item.collection`` says which); ItemNotFoundError if none.

        Every id the CLI prints (closet items, and the products ``shop`` and ``similar`` find) is one of these.
        """
        from wardrobe_app.db.tables import CollectionRow

        with self.sessions() as session:
            row = session.get(ItemRow, item_id)
            if row is None:
                raise ItemNotFoundError(item_id)
            collection = session.get(CollectionRow, row.collection_id)
            name = collection.name if collection is not None and row.collection_id != CLOSET_COLLECTION_ID else "closet"
            return item_from_row(row, self.data_dir, name)

    def counts(self) -> dict[str, int]:
        """Number of (unarchived) closet items per group, plus 'unclassified' and 'all'."""
        counts: dict[str, int] = {g.value: 0 for g in Group}
        counts["unclassified"] = 0
        query = (
            select(ItemRow.group, func.count(ItemRow.id))
            .where(ItemRow.collection_id == CLOSET_COLLECTION_ID, ItemRow.archived.is_(False))
            .group_by(ItemRow.group)
        )
        with self.sessions() as session:
            for group, n in session.execute(query).tuples():
                counts[group or "unclassified"] += n
        counts["all"] = sum(counts.values())
        return counts

    # -- changing ------------------------------------------------------------------------------
    @writes("correcting a category")
    def set_category(self, item_id: int, category: str) -> Item:
        """A user's correction: kept, and never overwritten by a later classifier run."""
        category = normalise_category(category)
        with self.sessions.begin() as session:
            row = self._row(session, item_id)
            row.category, row.group = category, group_of(category).value
            row.corrected, row.needs_review = True, False
            session.flush()
            item = item_from_row(row, self.data_dir)
        self._review().rescore()  # every correction teaches the personal layer
        return item

    @writes("editing an item")
    def update_item(self, item_id: int, **fields: Any) -> Item:
        """Set the user's own fields: name, notes, season, formality, archived, price, purchased_on.

        Raises InvalidItemFieldError (nothing changed) for a value the CLI would refuse too.
        """
        from wardrobe_app.domain.item_fields import check_item_fields

        fields = check_item_fields(fields)
        with self.sessions.begin() as session:
            row = self._row(session, item_id)
            for key, value in fields.items():
                setattr(row, key, value)
            session.flush()
            return item_from_row(row, self.data_dir)

    @writes("removing an item")
    def remove(self, item_id: int) -> Change:
        """Delete an item, its files, and the outfits and ratings it was part of."""
        with self.sessions.begin() as session:
            row = self._row(session, item_id)
            files = [p for p in (row.photo_path, row.cutout_path, row.thumb_path, row.mask_path) if p]
            content_hash = row.content_hash
            session.delete(row)
        with self.sessions() as session:  # a catalogue may hold the same photo: keep its files then
            shared = session.scalar(select(ItemRow.id).where(ItemRow.content_hash == content_hash).limit(1))
        if shared is None:
            self.files.delete(files)
        return Change(removed=(item_id,))

    def _row(self, session: Session, item_id: int) -> ItemRow:
        row = session.get(ItemRow, item_id)
        if row is None or row.collection_id != CLOSET_COLLECTION_ID:
            raise ItemNotFoundError(item_id)
        return row

    # -- the review queue and the personal layer (services/review.py, services/reclassify.py) ------
    def _review(self) -> ReviewDesk:
        from wardrobe_app.services.review import ReviewDesk

        return ReviewDesk(self.sessions, self.data_dir, lambda: self._classifier if self._classifier_loaded else None)

    def review_queue(self) -> list[Item]:
        """Closet items the classifier was unsure of and the user has not checked yet, oldest first."""
        return self._review().queue()

    @writes("confirming a category")
    def confirm(self, item_id: int) -> Item:
        """Accept the classifier's guess for an item: kept from now on, and it teaches the personal layer."""
        desk = self._review()
        item = desk.confirm(item_id)
        desk.rescore()
        return item

    @writes("re-scoring items")
    def rescore(self) -> Change:
        """Re-score the unchecked closet items from the user's corrections and confirmations."""
        return Change(updated=tuple(self._review().rescore()))

    def _rescored(self, results: list[AddResult]) -> list[AddResult]:
        """New imports scored by the personal layer too (only items the user did not label)."""
        added = [r.item.id for r in results if r.item is not None]
        if not added:
            return results
        with self.writing("re-scoring new items"):
            changed = set(self._review().rescore(added))
        if not changed:
            return results
        return [
            AddResult(r.path, self.item(r.item.id), r.error, r.duplicate_of)
            if r.item is not None and r.item.id in changed
            else r
            for r in results
        ]

    @writes("re-labelling the closet")
    def reclassify(self, progress: Progress | None = None, cancel: Cancel | None = None) -> ReclassifyReport:
        """Re-label items an older classifier labelled (never the user's own) and recompute their features.

        Resumable: items already at the active version are skipped. Raises WardrobeError
        without a classifier.
        """
        from wardrobe_app.services.reclassify import reclassify

        classifier = self.classifier()
        if classifier is None:
            raise WardrobeError(f"cannot reclassify: {self.classifier_error or 'no garment classifier is in use'}")
        report = reclassify(self.sessions, self.data_dir, classifier, progress, cancel)
        self._review().rescore()
        self._similar_search().invalidate()
        return report

    # -- similar items and shop catalogues (services/similar.py, services/catalogue.py) ---------
    def _similar_search(self) -> SimilarSearch:
        from wardrobe_app.services.similar import SimilarSearch

        search: SimilarSearch | None = getattr(self, "_search", None)
        if search is None or search.sessions is not self.sessions:  # a restore swaps the database
            search = self._search = SimilarSearch(self.sessions, self.data_dir, self.classifier)
        return search

    def similar(
        self,
        photo_or_item_id: str | int | os.PathLike[str],
        k: int = 5,
        collection: str = "closet",
        group: Group | str | None = None,
        category: str | None = None,
        same_category: bool = True,
    ) -> list[tuple[Item, float]]:
        """The ``k`` items of the closet (or of a catalogue) that look most like a photo or an item.

        Distances lie in [0, 1], nearest first; an item id never finds itself. Unless a group
        or category is given, items of the query's own category come first (``same_category``).
        Raises PhotoError, ItemNotFoundError or UnknownCatalogueError.
        """
        return self._similar_search().similar(photo_or_item_id, k, collection, group, category, same_category)

    def shop_for(
        self, photo: str | int | os.PathLike[str], k: int = 5, catalogue: str | None = None
    ) -> list[tuple[Item, float]]:
        """Catalogue products most like a photo (or a closet item), of the same group, from one or all catalogues."""
        from wardrobe_app.services.shopping import shop_for

        return shop_for(self._similar_search(), [c.name for c in self.catalogues()], photo, k, catalogue)

    def complete_the_look(self, item_id: int, occasion: str, catalogue: str, k: int = 5) -> list[LookCompletion]:
        """The catalogue products that make the best outfits with a closet item (the closet fills the rest)."""
        from wardrobe_app.services.shopping import complete_the_look

        search = self._similar_search()
        collection_id, name = search.collection(catalogue)
        products = search.collection_items(collection_id, name)
        return complete_the_look(self._outfits().ranker(), self.items(), products, item_id, occasion, k)

    def worth_buying(
        self,
        photo: str | os.PathLike[str],
        threshold: float = 0.6,
        occasions: list[str] | None = None,
        category: str | None = None,
    ) -> list[PurchaseVerdict]:
        """Per occasion, how many good outfits (ranker score >= threshold) a garment in a photo adds to the closet."""
        from wardrobe_app.services.shopping import candidate_item, worth_buying

        candidate = candidate_item(self._similar_search().embed_photo(Path(photo)), category)
        return worth_buying(self._outfits().ranker(), self.items(), candidate, occasions, threshold)

    def import_catalogue(
        self,
        name: str,
        folder: str | os.PathLike[str],
        csv: str | os.PathLike[str] | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> CatalogueImportReport:
        """Import (or resume importing) a folder of product photos as the catalogue ``name``."""
        from wardrobe_app.services.catalogue import CatalogueStore

        store = CatalogueStore(self.sessions, self.files, self.classifier, guard=self.writing)
        report = store.import_folder(name, Path(folder), Path(csv) if csv else None, progress, cancel)
        self.last_import_timings = report.timings
        return report

    def catalogues(self) -> list[Catalogue]:
        from wardrobe_app.services.catalogue import CatalogueStore

        return CatalogueStore(self.sessions, self.files, self.classifier).list()

    @writes("removing a catalogue")
    def remove_catalogue(self, name: str) -> Change:
        """Delete a catalogue, its products and their files (the closet is untouched)."""
        from wardrobe_app.services.catalogue import CatalogueStore

        store = CatalogueStore(self.sessions, self.files, self.classifier)
        collection_id = store.find(name)
        removed = store.remove(name)
        self._similar_search().forget_saved_indexes(collection_id)  # its saved search index, if big
        self.collect_orphans()
        return Change(notes=(f"removed catalogue {name} ({removed} products)",))

    @writes("recomputing features")
    def backfill_embeddings(self, progress: Progress | None = None, cancel: Cancel | None = None) -> Change:
        """Recompute the CNN features of items whose stored version differs from the active classifier's."""
        from wardrobe_app.services.similar import backfill_cnn_features

        updated = backfill_cnn_features(self.sessions, self.data_dir, self.classifier(), progress, cancel)
        self._similar_search().invalidate()
        return Change(updated=tuple(updated))

    # -- outfits -------------------------------------------------------------------------------
    def _outfits(self) -> OutfitService:
        from wardrobe_app.services.outfits import OutfitService

        # suggestions (archived=False) see only available items; ratings and training see every item
        return OutfitService(
            self.sessions,
            self.data_dir,
            lambda archived: self.items(include_archived=True) if archived else self.items(status="available"),
        )

    def occasions(self) -> list[str]:
        """The occasions outfits can be suggested for."""
        return self._outfits().occasions()

    def suggest(
        self,
        occasion: str,
        k: int = 5,
        with_item: int | None = None,
        locked: dict[str, int] | None = None,
        **options: Any,
    ) -> list[Outfit]:
        """The k best, diverse outfits for ``occasion``, best first; ``with_item`` builds around one item,
        ``locked`` ({"top": id, ...}) keeps chosen slots; options: ``weather`` (cold, mild, warm, hot or
        °C), ``exclude`` (outfits already shown), ``explore``. Raises UnknownOccasionError,
        CannotMakeOutfitError. Items in the laundry, lent out or in repair are left out (and cannot be
        built around)."""
        from wardrobe_app.services.diary import check_available

        check_available(self._diary(), [with_item, *(locked or {}).values()])
        return self._outfits().suggest(occasion, k, with_item, locked, **options)

    def suggestions(
        self,
        occasion: str,
        k: int = 5,
        with_item: int | None = None,
        locked: dict[str, int] | None = None,
        **options: Any,
    ) -> Suggestions:
        """Like ``suggest``, with what the closet lacks when fewer than k outfits are good enough."""
        from wardrobe_app.services.diary import check_available

        check_available(self._diary(), [with_item, *(locked or {}).values()])
        return self._outfits().board(occasion, k, with_item, locked, **options)

    @writes("taking back a rating")
    def undo_feedback(self, feedback_id: int) -> Change:
        """Take back a rating (``feedback N`` in a Change's notes)."""
        return self._outfits().undo(feedback_id)

    def outfit(self, item_ids: Iterable[int]) -> Outfit:
        """An outfit from item ids, each placed in its slot by its group."""
        return self._outfits().outfit_from_ids(list(item_ids))

    @writes("saving a rating")
    def feedback(self, outfit: Outfit, occasion: str, liked: bool) -> Change:
        """Record a like or dislike; the personal ranker retrains every few ratings."""
        return self._outfits().rate(outfit, occasion, "like" if liked else "dislike")

    @writes("saving a rating")
    def wore(self, outfit: Outfit, occasion: str) -> Change:
        """Record that the outfit was worn (counts as a like)."""
        return self._outfits().rate(outfit, occasion, "wore")

    def ranker_state(self) -> dict[str, Any]:
        """Ratings so far, the ranker in use and when it last retrained (labelled, for display)."""
        return self._outfits().ranker_state()

    @writes("retraining the outfit ranker")
    def retrain(self, reset: bool = False) -> dict[str, Any]:
        """Retrain the personal ranker now (or, with ``reset``, go back to the expert); returns stats."""
        return self._outfits().retrain(reset=reset)

    # -- the wear diary, planner and item status (services/diary.py, services/stats.py) -----------
    def _diary(self) -> Diary:
        from wardrobe_app.services.diary import Diary

        return Diary(self.sessions)

    @writes("writing the wear diary")
    def wear(self, item_ids: Iterable[int], occasion: str = "casual", day: date | str | None = None) -> DiaryChange:
        """Wore it: a diary entry for ``day`` (today by default) and a "wore" rating of the outfit.

        Wearing the items planned for that day turns the plan into the entry. Accessories go in the
        diary, not the rating. Raises ItemNotFoundError, CannotMakeOutfitError, InvalidDateError,
        UnknownOccasionError before anything is written.
        """
        from wardrobe_app.services.diary import wear

        return wear(self, self._diary(), list(item_ids), occasion, day)

    @writes("planning an outfit")
    def plan(
        self, day: date | str, occasion: str, with_item: int | None = None, item_ids: Iterable[int] | None = None
    ) -> DiaryChange:
        """Plan ``day``: the items given, or the best suggestion (avoiding outfits of the days around)."""
        from wardrobe_app.services.diary import plan

        return plan(self, self._diary(), day, occasion, with_item, None if item_ids is None else list(item_ids))

    def diary(self, start: date | str | None = None, end: date | str | None = None) -> list[WearEntry]:
        """Diary entries (worn and planned) from ``start`` to ``end``, both included, by date."""
        return self._diary().entries(start, end)

    @writes("writing the wear diary")
    def wear_planned(self, entry_id: int) -> DiaryChange:
        """A planned outfit was worn: its entry becomes a worn one (and the outfit is rated "wore")."""
        from wardrobe_app.services.diary import wear_plan

        return wear_plan(self, self._diary(), entry_id)

    @writes("moving a diary entry")
    def move_entry(self, entry_id: int, day: date | str) -> WearEntry:
        return self._diary().move(entry_id, day)

    @writes("deleting a diary entry")
    def delete_entry(self, entry_id: int) -> Change:
        self._diary().delete(entry_id)
        return Change(notes=(f"deleted diary entry {entry_id}",))

    @writes("setting item status")
    def set_status(self, item_ids: Iterable[int], status: ItemStatus | str) -> Change:
        """Available, laundry, lent or repair, for every item or (ItemNotFoundError, UnknownStatusError) none."""
        return Change(updated=self._diary().set_status(list(item_ids), status))

    def laundry_rules(self) -> dict[str, int]:
        """Category -> wears after which an item of it goes to the laundry."""
        return self._diary().laundry_rules()

    @writes("setting a laundry rule")
    def set_laundry_rule(self, category: str, wears: int | None) -> None:
        """After ``wears`` wears an item of ``category`` goes to the laundry (None: never)."""
        self._diary().set_laundry_rule(category, wears)

    def stats(self) -> ClosetStats:
        """Wears per item, most and least worn, cost per wear, colour mix, category balance."""
        from wardrobe_app.services.stats import closet_stats

        return closet_stats(self.items(), self._diary().wear_log())

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
            search = self.__dict__.pop("_search", None)
            if search is not None:
                search.close()  # its commit watch holds the database file open
            restore_closet(Path(zip_path), self.data_dir, before_swap=self._db.close)
            self._db.reopen()
        return Change(notes=("restored",))
