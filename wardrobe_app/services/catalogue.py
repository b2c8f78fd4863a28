"""Shop catalogues: import a folder of product photos (with an optional CSV), list and remove them."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.db.tables import CollectionRow, ItemRow
from wardrobe_app.domain import AddResult, Change, UnknownCatalogueError, WardrobeError
from wardrobe_app.domain.names import printable
from wardrobe_app.services.catalogue_csv import (  # noqa: F401  (read_catalogue_csv: the public name)
    ProductDetails,
    load_catalogue_csv,
    product_key,
    read_catalogue_csv,
)
from wardrobe_app.services.importing import (
    Cancel,
    Guard,
    ImportTimings,
    PhotoImporter,
    PreparedBatch,
    Progress,
    expand_paths,
)

#: Photos classified in one forward pass of the garment classifier.
BATCH_SIZE = 16
#: Longest catalogue name (the collections table's; a longer one made the closet's backup unrestorable).
MAX_CATALOGUE_NAME = 200


def check_catalogue_name(name: str) -> str:
    """The name stripped; WardrobeError for one that is empty, "closet", too long, not one line of text."""
    name = name.strip() if isinstance(name, str) else ""
    if not name or name.lower() == "closet":
        raise WardrobeError(f"{printable(name)!r} cannot name a catalogue; pick another name")
    if len(name) > MAX_CATALOGUE_NAME:
        raise WardrobeError(f"a catalogue name is at most {MAX_CATALOGUE_NAME} characters, not {len(name)}")
    if printable(name) != name:  # a line break, a terminal escape, bytes that are not text
        raise WardrobeError(f"{printable(name)!r} cannot name a catalogue: it holds control characters")
    return name


@dataclass(frozen=True)
class Catalogue:
    """An imported shop catalogue."""

    name: str
    items: int
    source: str | None
    created_at: datetime


@dataclass
class CatalogueImportReport:
    """What one (possibly resumed) catalogue import did."""

    name: str
    total: int = 0
    added: int = 0
    already_in: int = 0  # skipped: imported by an earlier, interrupted run
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (photo, why): a copy of another one
    failed: list[tuple[str, str]] = field(default_factory=list)  # (photo, why)
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (CSV line, why); a line may have several
    csv_encoding: str | None = None  # how the CSV was read: utf-8, utf-16, cp1252 (Windows), latin-1
    cancelled: bool = False
    seconds: float = 0.0
    timings: ImportTimings = field(default_factory=ImportTimings)

    @property
    def change(self) -> Change:
        return Change(catalogues=(self.name,)) if self.added else Change()

    @property
    def photos_per_second(self) -> float:
        return self.added / self.seconds if self.seconds > 0 else 0.0


def _drop_seen(batch: PreparedBatch, seen: dict[str, Path]) -> tuple[PreparedBatch, set[int]]:
    """Report photos whose content an earlier batch of this run already had (same photo, two names).

    Returns the batch without them, and the positions of every copy it holds (dropped or not).
    """
    results = dict(batch.results)
    copies = set(batch.copies)
    kept = []
    for position, photo in batch.prepared:
        first = seen.get(photo.content_hash)
        if first is not None:
            results[position] = AddResult(printable(photo.path), error=f"the same photo as {printable(first.name)}")
            copies.add(position)
        else:
            seen[photo.content_hash] = photo.path
            kept.append((position, photo))
    return PreparedBatch(batch.size, results, kept, batch.copies), copies


def catalogue_photos(folder: Path) -> list[Path]:
    """The product photos of a catalogue folder (``images/`` inside it when there is one)."""
    try:
        if not folder.is_dir():
            raise WardrobeError(f"{printable(folder)}: not a folder of product photos")
    except (OSError, ValueError) as exc:  # a name too long, a folder that may not be entered
        raise WardrobeError(f"{printable(folder)}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    return expand_paths([folder])


class CatalogueStore:
    """Catalogue collections in the database: create, list, remove, import into."""

    def __init__(
        self, sessions: sessionmaker[Session], files: PhotoFiles, classifier: Any, guard: Guard | None = None
    ) -> None:
        self._sessions = sessions
        self._files = files
        self._classifier = classifier
        self._guard = guard

    def list(self) -> list[Catalogue]:
        with self._sessions() as session:
            counts = {
                int(cid): int(n)
                for cid, n in session.execute(
                    select(ItemRow.collection_id, func.count(ItemRow.id)).group_by(ItemRow.collection_id)
                )
            }
            rows = session.scalars(
                select(CollectionRow).where(CollectionRow.kind == "catalogue").order_by(CollectionRow.name)
            )
            return [Catalogue(r.name, int(counts.get(r.id, 0)), r.source, r.created_at) for r in rows]

    def find(self, name: str) -> int:
        with self._sessions() as session:
            found = session.scalar(
                select(CollectionRow.id).where(CollectionRow.name == name, CollectionRow.kind == "catalogue")
            )
        if found is None:
            raise UnknownCatalogueError(name, [c.name for c in self.list()])
        return int(found)

    def existing(self, name: str) -> int | None:
        """The id of catalogue ``name`` (a resumed import), None when there is none yet; WardrobeError for a name
        that is not a catalogue's."""
        with self._sessions() as session:
            row = session.scalar(select(CollectionRow).where(CollectionRow.name == name))
        if row is None:
            return None
        if row.kind != "catalogue":
            raise WardrobeError(f"{name!r} cannot name a catalogue; pick another name")
        return int(row.id)

    def create(self, name: str, source: str) -> int:
        """The catalogue's collection id, creating it when new (resuming an import reuses it)."""
        name = check_catalogue_name(name)
        guard = self._guard(f"making the catalogue {name}") if self._guard is not None else nullcontext()
        with guard, self._sessions.begin() as session:  # one window at a time: two may import one new name
            row = session.scalar(select(CollectionRow).where(CollectionRow.name == name))
            if row is not None:
                if row.kind != "catalogue":
                    raise WardrobeError(f"{name!r} cannot name a catalogue; pick another name")
                return int(row.id)
            row = CollectionRow(
                name=name, kind="catalogue", source=source, created_at=datetime.now(UTC).replace(tzinfo=None)
            )
            session.add(row)
            session.flush()
            return int(row.id)

    def remove(self, name: str) -> int:
        """Delete a catalogue and its products (their files go with the next orphan collection)."""
        collection_id = self.find(name)
        with self._sessions.begin() as session:
            removed = session.scalar(select(func.count(ItemRow.id)).where(ItemRow.collection_id == collection_id))
            session.execute(delete(CollectionRow).where(CollectionRow.id == collection_id))
        return int(removed or 0)

    def import_folder(
        self,
        name: str,
        folder: Path,
        csv_path: Path | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        batch_size: int | None = None,
    ) -> CatalogueImportReport:
        """Import every photo of ``folder`` into catalogue ``name``, BATCH_SIZE photos per forward pass.

        Resumable: photos already in the catalogue (same content) are skipped, so running the
        same command again after an interruption finishes the job. Each product commits on
        its own (files first, then the row), so a kill leaves whole products only. Raises DiskFullError
        when the disk fills up (the products stored stay; running it again resumes), CollectionGoneError when
        another window removes the catalogue meanwhile.
        """
        name = check_catalogue_name(name)  # as the collection is named: the importer checks it is still there
        folder = Path(folder)
        batch_size = batch_size or BATCH_SIZE
        photos = catalogue_photos(folder)  # first: says plainly when the folder cannot be read
        if csv_path is None and (folder / "styles.csv").is_file():
            csv_path = folder / "styles.csv"  # the Kaggle layout: images/ + styles.csv
        report = CatalogueImportReport(name=name)
        details: dict[str, ProductDetails] = {}
        if csv_path is not None:
            table = load_catalogue_csv(Path(csv_path))
            details, report.bad_rows, report.csv_encoding = table.details, table.bad_rows, table.encoding
        report.total = len(photos)
        source = printable(folder.resolve())
        importer = PhotoImporter(
            self._sessions,
            self._files,
            self._classifier,
            self.existing(name),  # None: made with its first product, under the writer lock
            name,
            guard=self._guard,
            make_collection=lambda: self.create(name, source),
        )
        report.timings = importer.timings

        def entries(start: int) -> list[tuple[Path, str | None, dict[str, Any] | None]]:
            batch = []
            for path in photos[start : start + batch_size]:
                product = details.get(product_key(path.name)) or details.get(product_key(path.stem))
                batch.append((path, product.category if product else None, product.extra() if product else None))
            return batch

        started = time.perf_counter()
        starts = list(range(0, len(photos), batch_size))
        seen: dict[str, Path] = {}  # content hashes of this run (a batch is prepared before the last is stored)
        added: dict[int, str] = {}  # product id -> photo, of this run
        # the next batch is read and cut out on a second thread while this one is classified
        # and stored (OpenCV and TensorFlow release the GIL); items still commit one by one
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalogue-prepare") as pool:
            upcoming = pool.submit(importer.prepare_batch, entries(starts[0])) if starts else None
            for n, start in enumerate(starts):
                assert upcoming is not None
                if cancel is not None and cancel():
                    report.cancelled = True
                    upcoming.cancel()
                    break
                if progress is not None:
                    progress(start, len(photos), printable(photos[start]))
                prepared, copies = _drop_seen(upcoming.result(), seen)
                upcoming = pool.submit(importer.prepare_batch, entries(starts[n + 1])) if n + 1 < len(starts) else None
                for position, result in enumerate(importer.finish_batch(prepared)):
                    if result.ok and result.item is not None:
                        report.added += 1
                        added[result.item.id] = result.path
                    elif result.duplicate_of is not None and result.duplicate_of in added:
                        first = Path(added[result.duplicate_of]).name
                        report.duplicates.append((result.path, f"the same photo as {first}"))
                    elif result.duplicate_of is not None:
                        report.already_in += 1
                    elif position in copies:
                        report.duplicates.append((result.path, result.error or "the same photo twice"))
                    else:
                        report.failed.append((result.path, result.error or "failed"))
                if importer.disk_full is not None:  # no later product could be stored: stop (a rerun resumes)
                    if upcoming is not None:
                        upcoming.cancel()
                    raise importer.disk_full
        report.seconds = time.perf_counter() - started
        if progress is not None and not report.cancelled:
            progress(len(photos), len(photos), "")
        return report
