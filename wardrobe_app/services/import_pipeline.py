"""Importing photos batch by batch, the next batch read and cut out on a second thread while this one is stored."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from wardrobe_app.domain import AddResult
from wardrobe_app.domain.names import printable
from wardrobe_app.domain.progress import Cancel, Progress

if TYPE_CHECKING:
    from wardrobe_app.services.importing import PhotoImporter, PreparedBatch


def import_pipelined(
    importer: PhotoImporter,
    paths: list[Path],
    category: str | None,
    batch_size: int,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[AddResult]:
    """Import ``paths`` batch by batch, reading and cutting out the next batch on a second thread while
    this one is classified and stored (OpenCV and the network release the GIL: both cores work).

    Cancelling stops before the next batch is stored: what was stored is whole, nothing after it is.
    A full disk stops the import and reports every photo not added.
    """
    results: list[AddResult] = []
    total = len(paths)
    batches = [paths[start : start + batch_size] for start in range(0, total, max(1, batch_size))]

    def prepare(n: int) -> Future[PreparedBatch] | None:
        if n >= len(batches):
            return None
        return pool.submit(importer.prepare_batch, [(path, category, None) for path in batches[n]])

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-prepare") as pool:
        upcoming = prepare(0)
        for n, batch in enumerate(batches):
            if cancel is not None and cancel():
                if upcoming is not None:
                    upcoming.cancel()
                return results
            current, upcoming = upcoming, prepare(n + 1)
            assert current is not None
            if progress is not None:  # the photos about to be classified and stored
                for offset, path in enumerate(batch):
                    progress(n * batch_size + offset, total, str(path))
            results.extend(importer.finish_batch(current.result()))
            if importer.disk_full is not None:  # the rest could not be stored either: say so, stop
                if upcoming is not None:
                    upcoming.cancel()
                results.extend(
                    AddResult(printable(p), error=f"{printable(p)}: not added, {importer.disk_full}")
                    for p in paths[len(results) :]
                )
                return results
    if progress is not None:
        progress(total, total, "")
    return results


def iterate_batch(paths: list[Path], progress: Progress | None, cancel: Cancel | None) -> Iterator[tuple[int, Path]]:
    """Yield (index, path) pairs, reporting progress and stopping early when cancelled."""
    total = len(paths)
    for index, path in enumerate(paths):
        if cancel is not None and cancel():
            return
        if progress is not None:
            progress(index, total, printable(path))
        yield index, path
    if progress is not None:
        progress(total, total, "")
