"""Adding photos to a collection: load, cut out, colours, classify, store files, commit the row."""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.photo_files import PhotoFiles, sha256_bytes
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, CollectionRow, ItemColourRow, ItemFeatureRow, ItemRow
from wardrobe_app.domain import (
    AddResult,
    CollectionGoneError,
    DataDirError,
    DiskFullError,
    DuplicatePhotoError,
    Item,
    PhotoError,
    WardrobeError,
    group_of,
    normalise_category,
)
from wardrobe_app.domain.names import printable
from wardrobe_app.domain.progress import Cancel as Cancel  # re-exported: the services import them from here
from wardrobe_app.domain.progress import Progress as Progress
from wardrobe_app.services.import_paths import InsideCloset, stored_suffix
from wardrobe_app.services.import_paths import expand_paths as expand_paths  # re-exported
from wardrobe_app.services.import_pipeline import import_pipelined as import_pipelined  # re-exported
from wardrobe_app.services.review import PROBS_KIND, probability_vector
from wardrobe_app.vision.loading import read_photo_file
from wardrobe_app.vision.pipeline import ProcessedPhoto, process_photo
from wardrobe_app.vision.render import hsv_histogram

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import Classification, GarmentClassifier

log = logging.getLogger(__name__)

#: Holds the closet's writer lock around a write (``Wardrobe.writing``).
Guard = Callable[[str], AbstractContextManager[None]]


@contextmanager
def _unguarded(_what: str) -> Iterator[None]:
    yield


@dataclass
class ImportTimings:
    """Seconds spent per stage over a batch (for benchmarks and the log)."""

    stages: dict[str, float] = field(default_factory=dict)
    photos: int = 0

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo read, hashed and processed, waiting for its classification and its row."""

    path: Path
    data: bytes
    content_hash: str
    processed: ProcessedPhoto
    category: str | None
    extra: dict[str, Any] | None


@dataclass(frozen=True)
class PreparedBatch:
    """Photos of a batch ready for classification, and the results of those that failed early."""

    size: int
    results: dict[int, AddResult]  # position -> error or duplicate
    prepared: list[tuple[int, PreparedPhoto]]  # position -> photo
    # position -> (position of the same photo earlier in the batch, this copy's path)
    copies: dict[int, tuple[int, Path]] = field(default_factory=dict)


def read_photo_bytes(path: Path) -> bytes:
    """A photo file's bytes: regular files only, size-capped (see vision.loading.read_photo_file)."""
    try:
        return read_photo_file(path)
    except PhotoError as exc:
        raise PhotoError(printable(path), exc.reason) from None


class PhotoImporter:
    """Runs the import pipeline for one collection and commits each item on its own."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        files: PhotoFiles,
        classifier: Callable[[], GarmentClassifier | None],
        collection_id: int | None,
        collection_name: str = "closet",
        guard: Guard | None = None,
        make_collection: Callable[[], int] | None = None,
    ) -> None:
        """``collection_id`` None: a new catalogue, made by ``make_collection`` (under the writer lock) when its first
        product is stored, so an import that stores nothing (a busy closet, an empty folder) leaves none behind."""
        self._sessions = sessions
        self._guard = guard or _unguarded
        #: Set when the disk filled up: nothing more can be stored.
        self.disk_full: DiskFullError | None = None
        self._files = files
        self._inside_closet = InsideCloset(files.data_dir)  # its folders resolved once, not once a photo
        self._classifier = classifier
        self._collection_id = collection_id
        self._make_collection = make_collection
        self._collection_name = collection_name
        self.timings = ImportTimings()

    def existing_id(self, content_hash: str) -> int | None:
        if self._collection_id is None:  # not made yet: it holds nothing
            return None
        with self._sessions() as session:
            return session.scalar(
                select(ItemRow.id).where(
                    ItemRow.collection_id == self._collection_id, ItemRow.content_hash == content_hash
                )
            )

    def add(self, path: Path, category: str | None = None, extra: dict[str, Any] | None = None) -> Item:
        """Import one photo; raises PhotoError or DuplicatePhotoError and stores nothing then."""
        prepared = self.prepare(path, category, extra)
        started = time.perf_counter()
        classification = self._classify(prepared.processed.loaded.rgb, prepared.processed.cutout.mask)
        self.timings.add("classify", time.perf_counter() - started)
        with self._guard(f"adding photos to the {self._collection_name}"):
            return self.store(prepared, classification)

    def add_batch(self, entries: Sequence[tuple[Path, str | None, dict[str, Any] | None]]) -> list[AddResult]:
        """Import (path, category, extra) entries with one classifier forward pass for all of them.

        Each item still commits on its own, so an interruption leaves whole items only; bad
        files and duplicates are reported in the results (in the order given), never raised.
        """
        return self.finish_batch(self.prepare_batch(entries))

    def prepare_batch(self, entries: Sequence[tuple[Path, str | None, dict[str, Any] | None]]) -> PreparedBatch:
        """The first half of add_batch (read, hash, cut out; nothing stored): may run on another thread."""
        results: dict[int, AddResult] = {}
        prepared: list[tuple[int, PreparedPhoto]] = []
        first_of_hash: dict[str, int] = {}
        copies: dict[int, tuple[int, Path]] = {}
        for position, (path, category, extra) in enumerate(entries):
            try:
                item = self.prepare(path, category, extra)
            except DuplicatePhotoError as exc:
                results[position] = AddResult(printable(path), error=str(exc), duplicate_of=exc.existing_id)
                continue
            except WardrobeError as exc:
                results[position] = AddResult(printable(path), error=getattr(exc, "reason", None) or str(exc))
                continue
            if item.content_hash in first_of_hash:  # reported as a duplicate once the first one is stored
                copies[position] = (first_of_hash[item.content_hash], path)
                continue
            first_of_hash[item.content_hash] = position
            prepared.append((position, item))
        return PreparedBatch(len(entries), results, prepared, copies)

    def finish_batch(self, batch: PreparedBatch) -> list[AddResult]:
        """The second half of add_batch: one forward pass, then each item stored and committed."""
        results = dict(batch.results)
        started = time.perf_counter()
        classifications = self._classify_many([p.processed for _, p in batch.prepared])
        self.timings.add("classify", time.perf_counter() - started)
        with self._guard(f"adding photos to the {self._collection_name}"):
            for (position, item), classification in zip(batch.prepared, classifications, strict=True):
                if self.disk_full is not None:
                    results[position] = AddResult(printable(item.path), error=str(self.disk_full))
                    continue
                try:
                    results[position] = AddResult(printable(item.path), item=self.store(item, classification))
                except DuplicatePhotoError as exc:  # another process added the same photo meanwhile
                    results[position] = AddResult(printable(item.path), error=str(exc), duplicate_of=exc.existing_id)
                except DiskFullError as exc:  # every later photo would fail too: the caller stops
                    self.disk_full = exc
                    results[position] = AddResult(printable(item.path), error=str(exc))
        for position, (first, copy) in batch.copies.items():
            earlier = results.get(first)
            stored = earlier.item if earlier is not None else None
            if stored is None:  # the first copy was itself skipped (seen in an earlier batch) or failed
                results[position] = AddResult(
                    printable(copy),
                    error=(
                        earlier.error
                        if earlier is not None and earlier.error
                        else "the same photo is in the folder twice"
                    ),
                )
                continue
            results[position] = AddResult(
                printable(copy),
                duplicate_of=stored.id,
                error=f"{printable(copy)}: already in the closet as item {stored.id}",
            )
        return [results.get(position) or AddResult("?", error="not imported") for position in range(batch.size)]

    def prepare(self, path: Path, category: str | None = None, extra: dict[str, Any] | None = None) -> PreparedPhoto:
        """Read, hash and process one photo (nothing stored); raises PhotoError or DuplicatePhotoError."""
        if category is not None:
            category = normalise_category(category)
        if self._inside_closet(path):
            raise PhotoError(printable(path), "is one of the closet's own files; add photos from outside its folder")
        data = read_photo_bytes(path)
        content_hash = sha256_bytes(data)
        existing = self.existing_id(content_hash)
        if existing is not None:
            raise DuplicatePhotoError(printable(path), existing)
        try:
            processed = process_photo(path, data)
        except WardrobeError:
            raise
        except Exception as exc:  # an odd photo that trips the vision code costs that photo, never the import
            log.exception("processing %s failed", printable(path))
            raise PhotoError(printable(path), f"could not be processed ({type(exc).__name__}: {exc})") from exc
        for stage, seconds in processed.timings.items():
            self.timings.add(stage, seconds)
        return PreparedPhoto(path, data, content_hash, processed, category, extra)

    def store(self, prepared: PreparedPhoto, classification: Classification | None) -> Item:
        """Write the files, then commit the row, its colours and features in one transaction.

        Raises DuplicatePhotoError when another process stored the same photo first, DataDirError when the
        item folders cannot be written (read-only, a file in the way), DiskFullError
        when the disk is full (the files written are collected when the closet next opens). A new catalogue made
        for this product is removed again when the product cannot be stored: no empty catalogue is left listed.
        """
        made_here = self._collection_id is None and self._make_collection is not None
        try:
            return self._store_typed(prepared, classification)
        except BaseException:
            if made_here and self._collection_id is not None:
                self._drop_empty_collection()
            raise

    def _drop_empty_collection(self) -> None:
        """Remove the catalogue this importer just made, if it still holds nothing (the writer lock is held)."""
        collection_id, self._collection_id = self._collection_id, None
        holds = select(ItemRow.id).where(ItemRow.collection_id == collection_id).exists()
        try:
            with self._sessions.begin() as session:
                session.execute(delete(CollectionRow).where(CollectionRow.id == collection_id, ~holds))
        except SQLAlchemyError:  # the disk refuses even this: the first error is the one to report
            log.exception("could not remove the empty catalogue %s", self._collection_name)

    def _store_typed(self, prepared: PreparedPhoto, classification: Classification | None) -> Item:
        try:
            return self._store(prepared, classification)
        except IntegrityError as exc:
            existing = self.existing_id(prepared.content_hash)
            if existing is None:
                raise
            self._files.end_writes()  # the files are the existing item's own (same content, same names)
            raise DuplicatePhotoError(str(prepared.path), existing) from exc
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFullError(f"while storing {prepared.path.name}") from exc
            # a read-only or failing disk, a file where an item folder belongs: no later photo can be stored either
            where = f" ({printable(exc.filename)})" if exc.filename else ""
            raise DataDirError(
                f"cannot write {printable(prepared.path.name)} into the closet's folder {self._files.data_dir}: "
                f"{exc.strerror or exc}{where}; nothing half-written was kept"
            ) from exc
        except OperationalError as exc:
            if "full" in str(exc.orig):
                raise DiskFullError(f"while saving {prepared.path.name} in the database") from exc
            raise

    def _store(self, prepared: PreparedPhoto, classification: Classification | None) -> Item:
        path, data, content_hash = prepared.path, prepared.data, prepared.content_hash
        processed, category, extra = prepared.processed, prepared.category, prepared.extra
        started = time.perf_counter()
        self._check_collection()
        suffix = stored_suffix(path, processed.loaded.format)
        self._files.begin_writes()  # a crash before the commit leaves orphans the next open collects
        photo_path, cutout_path, thumb_path, mask_path = self._files.write_many(
            [
                ("photos", content_hash, suffix, data),
                ("cutouts", content_hash, ".png", processed.cutout_png),
                ("thumbs", content_hash, ".png", processed.thumbnail_png),
                ("masks", content_hash, ".png", processed.mask_png),
            ]
        )
        row = ItemRow(
            collection_id=self._collection_id,
            content_hash=content_hash,
            photo_path=photo_path,
            cutout_path=cutout_path,
            thumb_path=thumb_path,
            mask_path=mask_path,
            source_name=printable(path.name),
            width=processed.loaded.rgb.shape[1],
            height=processed.loaded.rgb.shape[0],
            multicolour=processed.colours.multicolour,
            added_at=datetime.now(UTC).replace(tzinfo=None),
            **(extra or {}),
        )
        if category is not None:
            row.category, row.group, row.corrected = category, group_of(category).value, True
        if classification is not None:
            row.classifier_version = self._classifier_version()
            row.confidence = float(classification.confidence)
            if category is None:
                row.category = classification.category
                row.group = classification.group.value
                row.needs_review = bool(classification.needs_review)
        for rank, colour in enumerate(processed.colours.colours):
            h, s, v = colour.hsv
            row.colours.append(
                ItemColourRow(
                    rank=rank, name=colour.name, hex=colour.hex, hue=h, saturation=s, value=v, share=colour.share
                )
            )
        with self._sessions.begin() as session:
            session.add(row)
            session.flush()
            hist = hsv_histogram(processed.loaded.rgb, processed.cutout.mask)
            session.add(_feature_row(row.id, "colour_hist", "hsv-12x3x3", hist))
            if classification is not None:
                session.add(_feature_row(row.id, "cnn", self._classifier_version() or "", classification.features))
                labels = getattr(self._classifier(), "labels", None)
                if labels:  # the model's probabilities: where the personal layer starts (services/review.py)
                    session.add(
                        _feature_row(
                            row.id,
                            PROBS_KIND,
                            self._classifier_version() or "",
                            probability_vector(classification, labels),
                        )
                    )
            session.flush()
            item = item_from_row(row, self._files.data_dir, self._collection_name)
        self._files.end_writes()
        self.timings.add("store", time.perf_counter() - started)
        self.timings.photos += 1
        return item

    def _check_collection(self) -> None:
        """CollectionGoneError unless the collection is still there under its name (checked under the writer lock).

        Another window may remove the catalogue (or restore the closet) between two batches; its id may
        then be given to another catalogue, which would silently receive this import's products.
        """
        if self._collection_id is None:
            if self._make_collection is None:
                raise CollectionGoneError(self._collection_name)
            self._collection_id = self._make_collection()
        if self._collection_id == CLOSET_COLLECTION_ID:  # never removed (a restore keeps it, whatever its name)
            return
        with self._sessions() as session:
            name = session.scalar(select(CollectionRow.name).where(CollectionRow.id == self._collection_id))
        if name != self._collection_name:
            raise CollectionGoneError(self._collection_name)

    def _classifier_version(self) -> str | None:
        classifier = self._classifier()
        return classifier.version if classifier is not None else None

    def _classify(self, rgb: np.ndarray, mask: np.ndarray) -> Classification | None:
        classifier = self._classifier()
        if classifier is None:
            return None
        return classifier.classify([rgb], masks=[mask])[0]

    def _classify_many(self, processed: Sequence[ProcessedPhoto]) -> list[Classification | None]:
        """One forward pass for the batch; if it fails, photo by photo, and a photo the classifier cannot
        take stays unclassified (stored, category to pick by hand) instead of stopping the import."""
        if not processed:  # nothing to classify: the classifier is not even loaded
            return []
        classifier = self._classifier()
        if classifier is None:
            return [None] * len(processed)
        try:
            return list(
                classifier.classify([p.loaded.rgb for p in processed], masks=[p.cutout.mask for p in processed])
            )
        except Exception:
            log.exception("classifying a batch of %d photos failed; trying them one by one", len(processed))
        found: list[Classification | None] = []
        for photo in processed:
            try:
                found.append(classifier.classify([photo.loaded.rgb], masks=[photo.cutout.mask])[0])
            except Exception:
                log.exception("classifying one photo failed; it stays unclassified")
                found.append(None)
        return found


def _feature_row(item_id: int, kind: str, version: str, vector: np.ndarray) -> ItemFeatureRow:
    vec = np.asarray(vector, dtype="<f4").ravel()
    return ItemFeatureRow(item_id=item_id, kind=kind, version=version, dim=int(vec.size), vector=vec.tobytes())
