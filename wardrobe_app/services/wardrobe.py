"""The Wardrobe facade: the one API that the CLI, the GUI and Python users share, built from sub-services.

``Wardrobe`` holds the writer lock for every write (``@writes``) and forwards to its parts: ``closet``
(items, corrections, removal: services/closet.py), ``classifier_slot`` (services/classifier_slot.py),
``shelf`` (similar items, catalogues, shopping: services/shelf.py), the review desk, the outfit service
and ranker (services/outfits.py), the wear diary (services/diary.py) and the archive (services/archive.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.closet_lock import ClosetLock
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, ItemRow
from wardrobe_app.domain import AddResult, Change, Group, Item, WardrobeError, normalise_category
from wardrobe_app.domain.progress import Cancel, Progress
from wardrobe_app.services.classifier_slot import ClassifierSlot
from wardrobe_app.services.closet import ClosetItems
from wardrobe_app.services.closet_state import ClosetDatabase, LiveSessions, writes
from wardrobe_app.services.data_dir import resolve_data_dir
from wardrobe_app.services.shelf import Shelf

if TYPE_CHECKING:
    from datetime import date

    from wardrobe_app.domain import Outfit, Suggestions
    from wardrobe_app.domain.diary import DiaryChange, ItemStatus, WearEntry
    from wardrobe_app.domain.results import ClassifierInfo, RankerState, RetrainResult
    from wardrobe_app.domain.strokes import Stroke
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.services.catalogue import Catalogue, CatalogueImportReport
    from wardrobe_app.services.cleanout import CleanoutCandidate
    from wardrobe_app.services.cutout_fix import CutoutFixer, CutoutImage
    from wardrobe_app.services.diary import Diary
    from wardrobe_app.services.doctor import DoctorReport
    from wardrobe_app.services.importing import PhotoImporter
    from wardrobe_app.services.outfits import OutfitService
    from wardrobe_app.services.packing import PackingPlan
    from wardrobe_app.services.reclassify import ReclassifyReport
    from wardrobe_app.services.review import ReviewDesk
    from wardrobe_app.services.shopping import LookCompletion, PurchaseVerdict
    from wardrobe_app.services.similar import SimilarSearch
    from wardrobe_app.services.stats import ClosetStats
    from wardrobe_app.services.trash import Trash
    from wardrobe_app.services.versatility import Versatility

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
        todo = expand_paths(paths)
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

    # -- the review queue and the personal layer (services/review.py, services/reclassify.py) ------
    def _review(self) -> ReviewDesk:
        from wardrobe_app.services.review import ReviewDesk

        return ReviewDesk(self.sessions, self.data_dir, self.classifier_slot.current)

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
    ) -> list[tuple[Item, float]]:
        """The ``k`` items of the closet (or of a catalogue) that look most like a photo or an item.

        Distances lie in [0, 1], nearest first; an item id never finds itself. Unless a group
        or category is given, items of the query's own category come first (``same_category``).
        Raises PhotoError, ItemNotFoundError or UnknownCatalogueError.
        """
        return self.shelf.similar(photo_or_item_id, k, collection, group, category, same_category)

    def shop_for(
        self, photo: str | int | os.PathLike[str], k: int = 5, catalogue: str | None = None
    ) -> list[tuple[Item, float]]:
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
        °C), ``hemisphere`` (north, south: for this once), ``exclude`` (outfits already shown),
        ``explore``. Raises UnknownOccasionError,
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

    def outfit_settings(self) -> dict[str, Any]:
        """The outfit settings: ``hemisphere`` (north or south: the season follows it), ``rest_ratings``, and
        ``season``, today's season in that hemisphere."""
        return self._outfits().described_settings()

    @writes("saving the outfit settings")
    def set_outfit_settings(self, hemisphere: str | None = None, rest_ratings: int | None = None) -> dict[str, Any]:
        """Change and keep the outfit settings; raises UnknownHemisphereError for anything but north/south."""
        return self._outfits().set_settings(hemisphere, rest_ratings)

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

    def ranker_state(self) -> RankerState:
        """Ratings so far, the ranker in use and when it last retrained (labelled, for display)."""
        return self._outfits().ranker_state()

    @writes("retraining the outfit ranker")
    def retrain(self, reset: bool = False) -> RetrainResult:
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
        return Change(notes=(f"deleted diary entry {entry_id}",), diary=(entry_id,))

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
            restore_closet(Path(zip_path), self.data_dir, before_swap=self._db.close)
            self._db.reopen()
            self.shelf.forget()
        return Change(notes=("restored",), restored=True)

    # --- item editing (issue 11) ---
    def _trash(self) -> Trash:
        from wardrobe_app.services.trash import Trash

        return Trash(self.sessions, self.files)

    def trash(self) -> list[Item]:
        """The items in the trash, most recently removed first."""
        return self._trash().items()

    @writes("restoring from the trash")
    def restore_from_trash(self, item_ids: Iterable[int]) -> Change:
        """Bring trashed items back into the closet (all of them, or none if one is not in the trash)."""
        return self._trash().restore(item_ids)

    @writes("emptying the trash")
    def empty_trash(self, item_ids: Iterable[int] | None = None) -> Change:
        """Delete trashed items for good: rows, outfits, ratings and diary lines, then their unshared files."""
        change = self._trash().empty(item_ids)
        self._review().rescore()
        return change

    def search(self, text: str, include_archived: bool = False) -> list[Item]:
        """Closet items matching every word of ``text`` (synonyms understood: jeans finds denim trousers)."""
        from wardrobe_app.search.text import matches_query

        return [item for item in self.items(include_archived=include_archived) if matches_query(item, text)]

    def _cutout_fixer(self) -> CutoutFixer:
        from wardrobe_app.services.cutout_fix import CutoutFixer

        return CutoutFixer(self.sessions, self.files, self._row, self.classifier)

    def cutout_image(self, item_id: int) -> CutoutImage:
        """An item's photo and current garment mask, to fix by hand."""
        return self._cutout_fixer().load(item_id)

    def original_cutout(self, item_id: int) -> CutoutImage:
        """The automatic cut-out of the item's photo (what the import made), to go back to."""
        return self._cutout_fixer().original(item_id)

    def refine_cutout(self, image: CutoutImage, strokes: Sequence[Stroke]) -> CutoutImage:
        """GrabCut re-run from ``image``'s mask with "keep"/"remove" strokes as seeds; nothing is saved."""
        return self._cutout_fixer().refine(image, strokes)

    @writes("fixing a cut-out")
    def save_cutout(self, item_id: int, mask: Any) -> Item:
        """Make ``mask`` the item's cut-out: new cut-out, thumbnail and mask files; colours and features recomputed."""
        item = self._cutout_fixer().save(item_id, mask)
        self._similar_search().invalidate()
        return item

    # --- closet life (issue 11) ---
    # Statistics' versatility, clean-out, packing and catalogue browsing: thin forwards to
    # services/versatility.py, services/cleanout.py, services/packing.py and the catalogue store.
    def versatility(self, occasions: list[str] | None = None, threshold: float = 0.6) -> Versatility:
        """How many good outfits (expert score >= ``threshold``) each available item is part of."""
        from wardrobe_app.services.versatility import versatility

        return versatility(self._outfits().ranker(), self.items(status="available"), occasions, threshold)

    def cleanout(self, months: int = 12, today: date | None = None) -> list[CleanoutCandidate]:
        """Items to donate or sell, with their reasons (not worn in ``months`` months, hardly versatile,
        a near-duplicate of a more worn item, never in a liked outfit); dismissed items never come back."""
        from wardrobe_app.services.cleanout import review_closet

        return review_closet(self, months, today)

    @writes("keeping an item")
    def dismiss_cleanout(self, item_ids: Iterable[int]) -> Change:
        """Keep these items: clean-out does not suggest them again (ItemNotFoundError: nothing changes)."""
        from wardrobe_app.services.cleanout import Dismissals

        return Change(updated=Dismissals(self.sessions).dismiss(item_ids))

    def pack(self, days: int | None, occasions: str | list[str], weather: str | float | None = None) -> PackingPlan:
        """The fewest items giving a distinct good outfit for each day of a trip, and the day-by-day plan.

        ``occasions``: "work,casual" (taking turns) or "work:5,casual:2"; ``weather`` as for suggest.
        Raises UnknownOccasionError, UnknownWeatherError, CannotMakeOutfitError, WardrobeError.
        """
        from wardrobe_app.services.packing import plan_trip

        return plan_trip(self._outfits(), days, occasions, weather)

    def catalogue_products(self, name: str) -> list[Item]:
        """A catalogue's products (name, price, colour, category). Raises UnknownCatalogueError."""
        search = self._similar_search()
        collection_id, found = search.collection(name)
        return search.collection_items(collection_id, found)
