"""The Wardrobe facade: the one API that the CLI, the GUI and Python users share."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.engine import DB_FILENAME, open_database
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
from wardrobe_app.services.data_dir import resolve_data_dir

if TYPE_CHECKING:
    from wardrobe_app.domain import Outfit, Suggestions
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.services.catalogue import Catalogue, CatalogueImportReport
    from wardrobe_app.services.importing import Cancel, PhotoImporter, Progress
    from wardrobe_app.services.outfits import OutfitService
    from wardrobe_app.services.shopping import LookCompletion, PurchaseVerdict
    from wardrobe_app.services.similar import SimilarSearch

log = logging.getLogger(__name__)

ClassifierChoice = Literal["auto", "none"] | Any
#: Photos classified in one forward pass when adding photos to the closet.
CLASSIFY_BATCH = 8


class Wardrobe:
    """A closet on disk. Open with ``Wardrobe.open()``; every call opens its own Session."""

    def __init__(self, data_dir: Path, classifier: ClassifierChoice = "auto") -> None:
        self.data_dir = data_dir
        self.files = PhotoFiles(data_dir)
        self.engine, self.sessions = open_database(data_dir / DB_FILENAME)
        self._classifier_choice = classifier
        self._classifier: GarmentClassifier | None = None
        self._classifier_loaded = False
        self.classifier_error: str | None = None
        if self.files.writes_pending():  # the last import stopped between its files and its row
            self.collect_orphans()

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, classifier: ClassifierChoice = "auto"
    ) -> Wardrobe:
        """Open (creating and migrating if needed) the closet in ``data_dir``.

        ``classifier``: "auto" loads the shipped garment classifier on first use (items stay
        unclassified if there is none or it is damaged), "none" never classifies, or pass a
        ready classifier object (tests). WARDROBE_CLASSIFIER=none in the environment turns
        "auto" into "none".
        """
        return cls(resolve_data_dir(data_dir), classifier)

    def close(self) -> None:
        self.engine.dispose()

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
        info: dict[str, Any] = {"version": version, "folder": None, "manifest": {}, "loaded": loaded is not None,
                                "error": self.classifier_error}
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

        return PhotoImporter(self.sessions, self.files, self.classifier, CLOSET_COLLECTION_ID)

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
        from wardrobe_app.services.importing import expand_paths, iterate_batch

        importer = self._importer()
        # With a classifier, photos are cut out one by one and classified a few at a time (one forward
        # pass for several photos is much cheaper); each item still commits on its own.
        batch_size = CLASSIFY_BATCH if self.classifier() is not None else 1
        results: list[AddResult] = []
        pending: list[tuple[Path, str | None, dict[str, Any] | None]] = []
        for _index, path in iterate_batch(expand_paths(paths), progress, cancel):
            pending.append((path, category, None))
            if len(pending) >= batch_size:
                results.extend(importer.add_batch(pending))
                pending = []
        if pending:
            results.extend(importer.add_batch(pending))
        self.last_import_timings = importer.timings
        return results

    # -- reading -------------------------------------------------------------------------------
    def items(
        self,
        group: Group | str | None = None,
        *,
        category: str | None = None,
        include_archived: bool = False,
    ) -> list[Item]:
        """Closet items, oldest first, optionally of one group or category."""
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
        with self.sessions() as session:
            return [item_from_row(row, self.data_dir) for row in session.scalars(query)]

    def item(self, item_id: int) -> Item:
        with self.sessions() as session:
            row = session.get(ItemRow, item_id)
            if row is None or row.collection_id != CLOSET_COLLECTION_ID:
                raise ItemNotFoundError(item_id)
            return item_from_row(row, self.data_dir)

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
    def set_category(self, item_id: int, category: str) -> Item:
        """A user's correction: kept, and never overwritten by a later classifier run."""
        category = normalise_category(category)
        with self.sessions.begin() as session:
            row = self._row(session, item_id)
            row.category, row.group = category, group_of(category).value
            row.corrected, row.needs_review = True, False
            session.flush()
            return item_from_row(row, self.data_dir)

    def update_item(self, item_id: int, **fields: Any) -> Item:
        """Set the user's own fields: name, notes, season, formality, archived."""
        allowed = {"name", "notes", "season", "formality", "archived"}
        unknown = set(fields) - allowed
        if unknown:
            raise WardrobeError(f"cannot set {', '.join(sorted(unknown))}; settable: {', '.join(sorted(allowed))}")
        with self.sessions.begin() as session:
            row = self._row(session, item_id)
            for key, value in fields.items():
                setattr(row, key, value)
            session.flush()
            return item_from_row(row, self.data_dir)

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

        store = CatalogueStore(self.sessions, self.files, self.classifier)
        report = store.import_folder(name, Path(folder), Path(csv) if csv else None, progress, cancel)
        self.last_import_timings = report.timings
        return report

    def catalogues(self) -> list[Catalogue]:
        from wardrobe_app.services.catalogue import CatalogueStore

        return CatalogueStore(self.sessions, self.files, self.classifier).list()

    def remove_catalogue(self, name: str) -> Change:
        """Delete a catalogue, its products and their files (the closet is untouched)."""
        from wardrobe_app.services.catalogue import CatalogueStore

        removed = CatalogueStore(self.sessions, self.files, self.classifier).remove(name)
        self.collect_orphans()
        return Change(notes=(f"removed catalogue {name} ({removed} products)",))

    def backfill_embeddings(self, progress: Progress | None = None, cancel: Cancel | None = None) -> Change:
        """Recompute the CNN features of items whose stored version differs from the active classifier's."""
        from wardrobe_app.services.similar import backfill_cnn_features

        updated = backfill_cnn_features(self.sessions, self.data_dir, self.classifier(), progress, cancel)
        self._similar_search().invalidate()
        return Change(updated=tuple(updated))

    # -- outfits -------------------------------------------------------------------------------
    def _outfits(self) -> OutfitService:
        from wardrobe_app.services.outfits import OutfitService

        return OutfitService(self.sessions, self.data_dir, lambda archived: self.items(include_archived=archived))

    def occasions(self) -> list[str]:
        """The occasions outfits can be suggested for."""
        return self._outfits().occasions()

    def suggest(
        self, occasion: str, k: int = 5, with_item: int | None = None, locked: dict[str, int] | None = None,
        **options: Any,
    ) -> list[Outfit]:
        """The k best, diverse outfits for ``occasion``, best first; ``with_item`` builds around one item,
        ``locked`` ({"top": id, ...}) keeps chosen slots; options: ``weather`` (cold, mild, warm, hot or
        °C), ``exclude`` (outfits already shown), ``explore``. Raises UnknownOccasionError,
        CannotMakeOutfitError."""
        return self._outfits().suggest(occasion, k, with_item, locked, **options)

    def suggestions(
        self, occasion: str, k: int = 5, with_item: int | None = None, locked: dict[str, int] | None = None,
        **options: Any,
    ) -> Suggestions:
        """Like ``suggest``, with what the closet lacks when fewer than k outfits are good enough."""
        return self._outfits().board(occasion, k, with_item, locked, **options)

    def undo_feedback(self, feedback_id: int) -> Change:
        """Take back a rating (``feedback N`` in a Change's notes)."""
        return self._outfits().undo(feedback_id)

    def outfit(self, item_ids: Iterable[int]) -> Outfit:
        """An outfit from item ids, each placed in its slot by its group."""
        return self._outfits().outfit_from_ids(list(item_ids))

    def feedback(self, outfit: Outfit, occasion: str, liked: bool) -> Change:
        """Record a like or dislike; the personal ranker retrains every few ratings."""
        return self._outfits().rate(outfit, occasion, "like" if liked else "dislike")

    def wore(self, outfit: Outfit, occasion: str) -> Change:
        """Record that the outfit was worn (counts as a like)."""
        return self._outfits().rate(outfit, occasion, "wore")

    def ranker_state(self) -> dict[str, Any]:
        """Ratings so far, the ranker in use and when it last retrained (labelled, for display)."""
        return self._outfits().ranker_state()

    def retrain(self, reset: bool = False) -> dict[str, Any]:
        """Retrain the personal ranker now (or, with ``reset``, go back to the expert); returns stats."""
        return self._outfits().retrain(reset=reset)

    # -- housekeeping --------------------------------------------------------------------------
    def referenced_files(self) -> set[str]:
        with self.sessions() as session:
            rows = session.execute(
                select(ItemRow.photo_path, ItemRow.cutout_path, ItemRow.thumb_path, ItemRow.mask_path)
            ).all()
        return {path for row in rows for path in row if path}

    def collect_orphans(self) -> list[str]:
        """Delete item files that no row points at (after a crash mid-import or a removal)."""
        removed = self.files.collect_orphans(self.referenced_files())
        if removed:
            log.info("collected %d orphan files", len(removed))
        return removed

    def export(self, zip_path: str | os.PathLike[str]) -> Path:
        """Write the closet (database + photos) to a zip archive."""
        from wardrobe_app.services.archive import export_closet

        return export_closet(self, Path(zip_path))

    def restore(self, zip_path: str | os.PathLike[str]) -> Change:
        """Replace this closet by an archive's; a damaged archive is refused and changes nothing."""
        from wardrobe_app.services.archive import restore_closet

        restore_closet(Path(zip_path), self.data_dir, before_swap=self.engine.dispose)
        self.engine, self.sessions = open_database(self.data_dir / DB_FILENAME)
        return Change(notes=("restored",))
