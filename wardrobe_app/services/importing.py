"""Adding photos to a collection: load, cut out, colours, classify, store files, commit the row."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.photo_files import PhotoFiles, sha256_bytes
from wardrobe_app.db.tables import ItemColourRow, ItemFeatureRow, ItemRow
from wardrobe_app.domain import (
    AddResult,
    DuplicatePhotoError,
    Item,
    PhotoError,
    WardrobeError,
    group_of,
    normalise_category,
)
from wardrobe_app.services.review import PROBS_KIND, probability_vector
from wardrobe_app.vision.loading import SUPPORTED_SUFFIXES
from wardrobe_app.vision.pipeline import ProcessedPhoto, process_photo
from wardrobe_app.vision.render import hsv_histogram

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import Classification, GarmentClassifier

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, folders searched recursively for photos (sorted, stable order)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            found.append(path)
    return found


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
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PhotoError(str(path), "file not found") from exc
    except IsADirectoryError as exc:
        raise PhotoError(str(path), "is a folder, not a photo") from exc
    except OSError as exc:
        raise PhotoError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise PhotoError(str(path), "empty file (0 bytes)")
    return data


class PhotoImporter:
    """Runs the import pipeline for one collection and commits each item on its own."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        files: PhotoFiles,
        classifier: Callable[[], GarmentClassifier | None],
        collection_id: int,
        collection_name: str = "closet",
    ) -> None:
        self._sessions = sessions
        self._files = files
        self._classifier = classifier
        self._collection_id = collection_id
        self._collection_name = collection_name
        self.timings = ImportTimings()

    def existing_id(self, content_hash: str) -> int | None:
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
        return self.store(prepared, classification)

    def add_batch(
        self, entries: Sequence[tuple[Path, str | None, dict[str, Any] | None]]
    ) -> list[AddResult]:
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
                results[position] = AddResult(str(path), error=str(exc), duplicate_of=exc.existing_id)
                continue
            except WardrobeError as exc:
                results[position] = AddResult(str(path), error=getattr(exc, "reason", None) or str(exc))
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
        for (position, item), classification in zip(batch.prepared, classifications, strict=True):
            results[position] = AddResult(str(item.path), item=self.store(item, classification))
        for position, (first, copy) in batch.copies.items():
            stored = results[first].item
            assert stored is not None  # the first copy was prepared, so it was stored
            results[position] = AddResult(str(copy), error=f"{copy}: already in the closet as item {stored.id}",
                                          duplicate_of=stored.id)
        return [results[position] for position in range(batch.size)]

    def prepare(self, path: Path, category: str | None = None, extra: dict[str, Any] | None = None) -> PreparedPhoto:
        """Read, hash and process one photo (nothing stored); raises PhotoError or DuplicatePhotoError."""
        if category is not None:
            category = normalise_category(category)
        data = read_photo_bytes(path)
        content_hash = sha256_bytes(data)
        existing = self.existing_id(content_hash)
        if existing is not None:
            raise DuplicatePhotoError(str(path), existing)
        processed = process_photo(path)
        for stage, seconds in processed.timings.items():
            self.timings.add(stage, seconds)
        return PreparedPhoto(path, data, content_hash, processed, category, extra)

    def store(self, prepared: PreparedPhoto, classification: Classification | None) -> Item:
        """Write the files, then commit the row, its colours and features in one transaction."""
        path, data, content_hash = prepared.path, prepared.data, prepared.content_hash
        processed, category, extra = prepared.processed, prepared.category, prepared.extra
        started = time.perf_counter()
        suffix = path.suffix.lower() if path.suffix else ".img"
        self._files.begin_writes()  # a crash before the commit leaves orphans the next open collects
        row = ItemRow(
            collection_id=self._collection_id,
            content_hash=content_hash,
            photo_path=self._files.write("photos", content_hash, suffix, data),
            cutout_path=self._files.write("cutouts", content_hash, ".png", processed.cutout_png),
            thumb_path=self._files.write("thumbs", content_hash, ".png", processed.thumbnail_png),
            mask_path=self._files.write("masks", content_hash, ".png", processed.mask_png),
            source_name=path.name,
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
                ItemColourRow(rank=rank, name=colour.name, hex=colour.hex, hue=h, saturation=s, value=v,
                              share=colour.share)
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
                    session.add(_feature_row(row.id, PROBS_KIND, self._classifier_version() or "",
                                             probability_vector(classification, labels)))
            session.flush()
            item = item_from_row(row, self._files.data_dir, self._collection_name)
        self._files.end_writes()
        self.timings.add("store", time.perf_counter() - started)
        self.timings.photos += 1
        return item

    def _classifier_version(self) -> str | None:
        classifier = self._classifier()
        return classifier.version if classifier is not None else None

    def _classify(self, rgb: np.ndarray, mask: np.ndarray) -> Classification | None:
        classifier = self._classifier()
        if classifier is None:
            return None
        return classifier.classify([rgb], masks=[mask])[0]

    def _classify_many(self, processed: Sequence[ProcessedPhoto]) -> list[Classification | None]:
        classifier = self._classifier()
        if classifier is None or not processed:
            return [None] * len(processed)
        return list(classifier.classify([p.loaded.rgb for p in processed], masks=[p.cutout.mask for p in processed]))


def _feature_row(item_id: int, kind: str, version: str, vector: np.ndarray) -> ItemFeatureRow:
    vec = np.asarray(vector, dtype="<f4").ravel()
    return ItemFeatureRow(item_id=item_id, kind=kind, version=version, dim=int(vec.size), vector=vec.tobytes())


def iterate_batch(
    paths: list[Path], progress: Progress | None, cancel: Cancel | None
) -> Iterator[tuple[int, Path]]:
    """Yield (index, path) pairs, reporting progress and stopping early when cancelled."""
    total = len(paths)
    for index, path in enumerate(paths):
        if cancel is not None and cancel():
            return
        if progress is not None:
            progress(index, total, str(path))
        yield index, path
    if progress is not None:
        progress(total, total, "")
