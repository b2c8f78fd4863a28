"""The GUI's handle on one open closet: every Wardrobe call goes through the serialized worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from wardrobe_app.domain import Change, WardrobeError
from wardrobe_app.ui.worker import Job, Worker

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import ClassifierChoice, Wardrobe

log = logging.getLogger(__name__)

T = TypeVar("T")


def announced(result: object) -> Change:
    """The Change a result is or carries; nothing for anything else (``run`` serves reads too)."""
    carried = result if isinstance(result, Change) else getattr(result, "change", None)
    return carried if isinstance(carried, Change) else Change()


class ClosetSession(QObject):
    """Opens the Wardrobe in the worker and runs calls on it there; reports errors in a person's words.

    Calls go through ``ClosetQuery`` / ``ClosetOp`` (``wardrobe_app.ui.ops``) or ``run``; an op that
    succeeded emits ``closet_changed(Change)``, the one refresh path every view filters.
    """

    opened = Signal()
    error = Signal(str, str)  # title, message
    closet_changed = Signal(object)  # a Change: what an operation added, changed or removed

    def __init__(self, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.wardrobe: Wardrobe | None = None  # set once opened

    def open(self, data_dir: str | Path | None, classifier: ClassifierChoice = "auto") -> Job:
        """Open the closet in the worker (migrations, orphan collection) and emit ``opened``."""

        def open_closet() -> Wardrobe:
            from wardrobe_app.services.wardrobe import Wardrobe

            return Wardrobe.open(data_dir, classifier=classifier)

        def done(wardrobe: Wardrobe) -> None:
            self.wardrobe = wardrobe
            self.opened.emit()

        return self.worker.submit(open_closet, done=done, failed=lambda e: self.report("Cannot open the closet", e))

    def run(
        self,
        fn: Callable[[Wardrobe], T],
        *,
        done: Callable[[T], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
        title: str = "Something went wrong",
        changes: Callable[[T], Change] | None = None,
    ) -> Job | None:
        """Run ``fn(wardrobe)`` in the worker, ``done(result)`` on the GUI thread. None while the closet is opening.

        A ``ClosetOp``: a result that is a Change, or carries one (a diary write, a reclassify report), is
        announced by ``closet_changed``; reads (an item, a list) announce nothing unless ``changes`` says what.
        """
        from wardrobe_app.ui.ops import ClosetOp

        if self.wardrobe is None:
            return None
        op = ClosetOp(self, fn, title=title, changes=changes or announced)
        if done is not None:
            op.success(done)
        if failed is not None:
            op.failure(failed)
        return op.run_in_background()

    def announce(self, change: Change) -> None:
        """Tell every view what changed (an import run outside the ops, say); nothing when nothing did."""
        if not change.empty:
            self.closet_changed.emit(change)

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
