"""Typed background operations on the closet: the GUI's one way into the services (like Anki's CollectionOp).

``ClosetQuery(session, lambda w: w.items()).success(show).run_in_background()`` reads;
``ClosetOp(session, lambda w: w.remove(item_id)).success(done).run_in_background()`` writes, and once it has
succeeded the session emits ``closet_changed(Change)`` so every view can refresh what concerns it.
``ClosetTask`` is a ClosetOp with progress and Cancel (imports, reclassify). The callable receives the
``Wardrobe`` itself, so mypy checks every call from the GUI into the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from wardrobe_app.domain import Change
from wardrobe_app.domain.progress import Cancel, Progress

if TYPE_CHECKING:
    from typing import Self

    from wardrobe_app.services.wardrobe import Wardrobe
    from wardrobe_app.ui.session import ClosetSession
    from wardrobe_app.ui.worker import Job

T = TypeVar("T")

Success = Callable[[T], object]
Failure = Callable[[BaseException], object]


class _Background(Generic[T]):
    """What queries and operations share: the session, the callbacks, the title errors are shown under."""

    def __init__(self, session: ClosetSession, *, title: str = "Something went wrong") -> None:
        self.session = session
        self.title = title
        self._success: Callable[[T], object] | None = None
        self._failure: Failure | None = None

    def success(self, callback: Callable[[T], object]) -> Self:
        """``callback(result)`` runs on the GUI thread once the call returned."""
        self._success = callback
        return self

    def failure(self, callback: Failure) -> Self:
        """``callback(error)`` runs on the GUI thread instead of the default error dialog."""
        self._failure = callback
        return self

    def _failed(self, error: BaseException) -> None:
        if self._failure is not None:
            self._failure(error)
        else:
            self.session.report(self.title, error)

    def _succeeded(self, result: T) -> None:
        if self._success is not None:
            self._success(result)

    def _wardrobe(self) -> Wardrobe | None:
        wardrobe = self.session.wardrobe
        if wardrobe is None:
            self._failed_not_open()
        return wardrobe

    def _failed_not_open(self) -> None:
        from wardrobe_app.domain import WardrobeError

        self._failed(WardrobeError("The closet is still opening; try again in a moment."))


class ClosetQuery(_Background[T]):
    """A read: ``fn(wardrobe)`` runs in the serialized worker and changes nothing."""

    def __init__(self, session: ClosetSession, fn: Callable[[Wardrobe], T], *, title: str = "Something went wrong"):
        super().__init__(session, title=title)
        self.fn = fn

    def run_in_background(self) -> Job | None:
        """Queue the call; None (and the failure callback) when the closet is not open yet."""
        wardrobe = self._wardrobe()
        if wardrobe is None:
            return None
        fn = self.fn
        return self.session.worker.submit(lambda: fn(wardrobe), done=self._succeeded, failed=self._failed)


class ClosetOp(ClosetQuery[T]):
    """A write: after ``success`` the session emits ``closet_changed`` with the Change the result stands for.

    ``changes`` overrides how the result maps to a Change (``Change.of`` by default).
    """

    def __init__(
        self,
        session: ClosetSession,
        fn: Callable[[Wardrobe], T],
        *,
        title: str = "Something went wrong",
        changes: Callable[[T], Change] = Change.of,
    ) -> None:
        super().__init__(session, fn, title=title)
        self.changes = changes

    def _succeeded(self, result: T) -> None:
        try:
            super()._succeeded(result)
        finally:
            change = self.changes(result)
            if not change.empty:
                self.session.closet_changed.emit(change)


class ClosetTask(_Background[T]):
    """A long write with progress and Cancel: ``fn(wardrobe, progress, cancel)``; then as a ClosetOp."""

    def __init__(
        self,
        session: ClosetSession,
        fn: Callable[[Wardrobe, Progress, Cancel], T],
        *,
        progress: Progress,
        title: str = "Something went wrong",
        changes: Callable[[T], Change] = Change.of,
    ) -> None:
        super().__init__(session, title=title)
        self.fn = fn
        self.progress = progress
        self.changes = changes

    def _succeeded(self, result: T) -> None:
        try:
            super()._succeeded(result)
        finally:
            change = self.changes(result)
            if not change.empty:
                self.session.closet_changed.emit(change)

    def run_in_background(self) -> Job | None:
        wardrobe = self._wardrobe()
        if wardrobe is None:
            return None
        fn = self.fn

        def run(progress: Progress, cancel: Cancel) -> T:
            return fn(wardrobe, progress, cancel)

        return self.session.worker.submit(run, done=self._succeeded, failed=self._failed, progress=self.progress)
