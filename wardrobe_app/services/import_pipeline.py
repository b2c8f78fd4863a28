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

    The first batches are smaller (1, 2, 4, ... photos up to ``batch_size``): the first item is in the
    closet, and on screen, after one photo's work instead of a whole batch's.
    Cancelling stops before the next batch is stored: what was stored is whole, nothing after it is.
    A full disk stops the import and reports every photo not added.
    """
    results: list[AddResult] = []
    total = len(paths)
    starts = ramped_starts(total, batch_size)
    batches = [paths[a:b] for a, b in zip(starts, [*starts[1:], total], strict=True)]

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
                    progress(starts[n] + offset, total, str(path))
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


def ramped_starts(total: int, batch_size: int) -> list[int]:
    """Where each batch starts: sizes 1, 2, 4, ... doubling up to ``batch_size``, then ``batch_size``."""
    starts, start, size = [], 0, 1
    while start < total:
        starts.append(start)
        start += size
        size = min(max(1, batch_size), size * 2)
    return starts


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
