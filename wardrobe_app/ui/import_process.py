"""Photo imports in a helper process, so the import's Python work never holds the GUI's interpreter lock.

Measured on a busy 2-core machine: with the import pipeline in a worker thread the GUI thread stalled up to
230 ms (it waits for the interpreter lock while the worker thread is descheduled holding it); with the same
import in this process it stalled at most 11 ms. The helper process is started once per window, loads the
garment classifier once (in the background, right after the window shows), and runs one import at a time
through the same ``Wardrobe.add_photos`` as the CLI; the GUI's serialized worker waits for it, so no other
closet job runs meanwhile.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import multiprocessing as mp
import os
import queue as queues
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.context import SpawnProcess
from pathlib import Path
from typing import Any

from wardrobe_app.domain import AddResult, Item, WardrobeError
from wardrobe_app.domain.progress import Cancel, Progress

log = logging.getLogger(__name__)

ItemsSeen = Callable[[list[Item]], None]
FEED_SECONDS = 1.0


#: Seconds an orphaned helper (its window gone, however it went) may take to finish the photo in hand.
ORPHAN_GRACE_SECONDS = 10.0


def _end_with_parent(busy: threading.Event, orphaned: threading.Event, grace: float) -> None:
    """End this helper process when the window's process ends, even by kill -9 (no clean close ever comes).

    A thread waits on the parent's sentinel (a pipe the kernel closes when the parent dies); then the
    import in progress is cancelled at its next photo (each photo commits whole), and the process
    leaves with os._exit: a normal exit would wait forever on queue threads whose reader is gone.
    """
    parent = mp.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        orphaned.set()
        deadline = time.monotonic() + grace
        while busy.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        os._exit(0)

    threading.Thread(target=watch, name="wardrobe-import-parent-watch", daemon=True).start()


def give_back_freed_memory() -> None:
    """Hand the heap pages freed since the last call back to the system (glibc keeps them otherwise).

    The classifier's passes allocate and free large activation buffers; without this the idle helper
    keeps them resident (benchmarks/app_memory.py: about 110 MB after an import, 40 MB after loading).
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _serve(
    data_dir: str, classifier_choice: str, inbox: Any, outbox: Any, stop: Any, grace: float = ORPHAN_GRACE_SECONDS
) -> None:
    """The helper process: report the classifier's state, then run imports until told to stop."""
    busy, orphaned = threading.Event(), threading.Event()
    busy.set()  # opening the closet and loading the classifier
    _end_with_parent(busy, orphaned, grace)
    from wardrobe_app.services.wardrobe import Wardrobe

    def cancelled() -> bool:
        return bool(stop.is_set() or orphaned.is_set())

    classifier: Any = None
    with Wardrobe.open(data_dir, classifier=classifier_choice) as closet:
        try:
            classifier = closet.classifier()
            state = (getattr(classifier, "version", None), None if classifier else closet.classifier_error)
        except Exception as exc:  # no classifier module, damaged model ...: the closet stays usable
            state = (None, str(exc) or type(exc).__name__)
        outbox.put(("classifier", state[0], state[1] or ("switched off" if classifier_choice == "none" else None)))
    give_back_freed_memory()
    while True:
        busy.clear()
        job = inbox.get()
        if job is None:
            return
        busy.set()
        if orphaned.is_set():
            return
        paths, category = job
        try:
            with Wardrobe.open(data_dir, classifier=classifier or "none") as closet:
                last, newest = 0.0, closet.newest_item_id()  # only items added since are sent, never the closet

                def report(done: int, total: int, path: str, closet: Wardrobe = closet) -> None:
                    nonlocal last, newest
                    outbox.put(("progress", done, total, path))
                    if done and time.monotonic() - last >= FEED_SECONDS:
                        last = time.monotonic()
                        added = closet.items(after=newest)
                        if added:
                            newest = added[-1].id
                            outbox.put(("items", added))

                results = closet.add_photos(paths, category, progress=report, cancel=cancelled)
            outbox.put(("done", results))  # the results carry the items as stored: the GUI needs no reload
        except Exception as exc:  # typed wardrobe errors keep their words; exceptions may not pickle
            outbox.put(("error", isinstance(exc, WardrobeError), f"{exc}" or type(exc).__name__))
        give_back_freed_memory()


class ImportProcess:
    """A helper process that adds photos to one closet; methods are called from the GUI's worker thread."""

    def __init__(self, data_dir: str | Path, classifier_choice: str) -> None:
        context = mp.get_context("spawn")  # never fork a process that runs Qt threads
        self._inbox: Any = context.Queue()
        self._outbox: Any = context.Queue()
        self._stop: Any = context.Event()
        self.process: SpawnProcess = context.Process(
            target=_serve,
            args=(str(data_dir), classifier_choice, self._inbox, self._outbox, self._stop),
            name="wardrobe-import",
            daemon=True,
        )
        self.process.start()
        self.classifier_state: tuple[str | None, str | None] | None = None

    def _next(self) -> tuple[Any, ...]:
        while True:
            try:
                return tuple(self._outbox.get(timeout=0.1))
            except queues.Empty:
                if not self.process.is_alive():
                    exit_code = self.process.exitcode
                    raise WardrobeError(f"the photo import stopped unexpectedly (exit code {exit_code})") from None

    def wait_for_classifier(self) -> tuple[str | None, str | None]:
        """(version, None) once the classifier is loaded in the helper, or (None, why)."""
        while self.classifier_state is None:
            message = self._next()
            if message[0] == "classifier":
                self.classifier_state = (message[1], message[2])
        return self.classifier_state

    def add_photos(
        self,
        paths: list[str],
        category: str | None,
        progress: Progress,
        cancel: Cancel,
        items_seen: ItemsSeen | None = None,
    ) -> list[AddResult]:
        """Wardrobe.add_photos in the helper; progress, cancel and the items added so far pass through."""
        self.wait_for_classifier()
        self._stop.clear()
        self._inbox.put((list(paths), category))
        while True:
            if cancel():
                self._stop.set()
            message = self._next()
            kind = message[0]
            if kind == "progress":
                progress(*message[1:])
            elif kind == "items" and items_seen is not None:
                items_seen(message[1])
            elif kind == "done":
                return list(message[1])
            elif kind == "error":
                typed, text = message[1], message[2]
                raise WardrobeError(text) if typed else RuntimeError(text)

    def close(self, timeout: float = 3.0) -> None:
        if self.process.is_alive():
            self._stop.set()
            self._inbox.put(None)
            self.process.join(timeout)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(1.0)
