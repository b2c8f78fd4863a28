"""The closet's one serialized background worker: DB and ML jobs off the GUI thread."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from wardrobe_app.domain.progress import Progress

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progressed = Progress  # the domain's one progress shape


class JobSignals(QObject):
    """Signals a job emits from the worker thread; they arrive queued on the GUI thread."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int, str)


class Job(QRunnable):
    """One unit of background work; ``cancel()`` asks a long job to stop at the next photo."""

    def __init__(self, job_id: int, fn: Callable[..., Any], args: tuple[Any, ...], with_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.job_id = job_id
        self.signals = JobSignals()
        self._fn = fn
        self._args = args
        self._with_progress = with_progress
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.signals.progress.emit(self.job_id, done, total, text)

    def run(self) -> None:
        try:
            if self._with_progress:
                result = self._fn(*self._args, progress=self._progress, cancel=self._cancelled.is_set)
            else:
                result = self._fn(*self._args)
        except BaseException as exc:
            log.debug("job %d failed", self.job_id, exc_info=True)
            self.signals.failed.emit(self.job_id, exc)
            return
        self.signals.finished.emit(self.job_id, result)


@dataclass
class _Callbacks:
    job: Job
    done: Done | None
    failed: Failed | None
    progress: Progressed | None


class Worker(QObject):
    """Runs jobs one at a time on a QThreadPool(maxThreadCount=1); callbacks run on the GUI thread."""

    busy_changed = Signal(bool)
    job_failed = Signal(object)  # failures of jobs submitted without their own handler

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Callbacks] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Done | None = None,
        failed: Failed | None = None,
        progress: Progressed | None = None,
    ) -> Job:
        """Queue ``fn(*args)``; with ``progress`` it is called with progress= and cancel= keywords."""
        job = Job(next(self._ids), fn, args, with_progress=progress is not None)
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)
        job.signals.progress.connect(self._on_progress)
        was_busy = self.busy
        self._pending[job.job_id] = _Callbacks(job, done, failed, progress)
        if not was_busy:
            self.busy_changed.emit(True)
        self.pool.start(job)
        return job

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued jobs end (shutdown and tests only)."""
        return self.pool.waitForDone(msecs)

    def _take(self, job_id: int) -> _Callbacks | None:
        callbacks = self._pending.pop(job_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        return callbacks

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: object) -> None:
        callbacks = self._take(job_id)
        if callbacks is not None and callbacks.done is not None:
            callbacks.done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, error: object) -> None:
        callbacks = self._take(job_id)
        if callbacks is not None and callbacks.failed is not None:
            callbacks.failed(error)  # type: ignore[arg-type]
        else:
            self.job_failed.emit(error)

    @Slot(int, int, int, str)
    def _on_progress(self, job_id: int, done: int, total: int, text: str) -> None:
        callbacks = self._pending.get(job_id)
        if callbacks is not None and callbacks.progress is not None:
            callbacks.progress(done, total, text)
