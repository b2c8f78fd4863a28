"""The GUI's handle on one open closet: every Wardrobe call goes through the serialized worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from wardrobe_app.domain import WardrobeError
from wardrobe_app.ui.worker import Job, Progressed, Worker

log = logging.getLogger(__name__)


class ClosetSession(QObject):
    """Opens the Wardrobe in the worker and runs its methods there; reports errors in a person's words."""

    opened = Signal()
    error = Signal(str, str)  # title, message
    closet_changed = Signal()  # items were added, removed or changed: views reload

    def __init__(self, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.wardrobe: Any = None  # wardrobe_app.services.wardrobe.Wardrobe, set once opened

    def open(self, data_dir: str | Path | None, classifier: object = "auto") -> Job:
        """Open the closet in the worker (migrations, orphan collection) and emit ``opened``."""

        def open_closet() -> Any:
            from wardrobe_app.services.wardrobe import Wardrobe

            return Wardrobe.open(data_dir, classifier=classifier)

        def done(wardrobe: Any) -> None:
            self.wardrobe = wardrobe
            self.opened.emit()

        return self.worker.submit(open_closet, done=done, failed=lambda e: self.report("Cannot open the closet", e))

    def has(self, method: str) -> bool:
        """Whether the services offer a feature (outfits, similar, ...); the UI hides what is not there."""
        from wardrobe_app.services.wardrobe import Wardrobe

        return callable(getattr(Wardrobe, method, None))

    def call(
        self,
        method: str,
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        progress: Progressed | None = None,
        title: str = "Something went wrong",
        **kwargs: Any,
    ) -> Job | None:
        """Run ``wardrobe.<method>(*args, **kwargs)`` in the worker; ``done(result)`` runs on the GUI thread."""
        if self.wardrobe is None:
            self.error.emit(title, "The closet is still opening; try again in a moment.")
            return None
        fn = getattr(self.wardrobe, method)

        def run(*_a: Any, **extra: Any) -> Any:
            return fn(*args, **kwargs, **extra)

        return self.worker.submit(run, done=done, failed=failed or (lambda e: self.report(title, e)), progress=progress)

    def run(
        self,
        fn: Callable[[Any], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        title: str = "Something went wrong",
    ) -> Job | None:
        """Run ``fn(wardrobe)`` in the worker (several facade calls in one job)."""
        if self.wardrobe is None:
            return None
        wardrobe = self.wardrobe
        return self.worker.submit(lambda: fn(wardrobe), done=done, failed=failed or (lambda e: self.report(title, e)))

    def report(self, title: str, exc: BaseException) -> None:
        """Typed wardrobe errors are shown as they are; anything else is logged and summarised."""
        if isinstance(exc, WardrobeError):
            message = str(exc)
        else:
            log.error("%s", title, exc_info=exc)
            message = f"An unexpected error happened ({type(exc).__name__}: {exc}). Nothing already saved was lost."
        self.error.emit(title, message)

    def close(self) -> None:
        self.worker.wait(5000)
        if self.wardrobe is not None:
            self.wardrobe.close()
