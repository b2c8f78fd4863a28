"""Adding photos in the GUI's worker thread (when no helper process runs them) and loading the classifier there."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from wardrobe_app.domain import AddResult
from wardrobe_app.domain.progress import Cancel, Progress

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe


FEED_SECONDS = 1.0


class ImportFeed(QObject):
    """Carries the items added so far from the worker (or the helper process) to the grid while an import runs."""

    items = Signal(object)


def add_photos_live(
    wardrobe: Wardrobe, paths: list[str], category: str | None, feed: ImportFeed, progress: Progress, cancel: Cancel
) -> list[AddResult]:
    """Wardrobe.add_photos, showing the photos added so far in the grid about once a second (runs in the worker)."""
    last = 0.0  # the first photo shows at once, then about once a second
    newest = wardrobe.newest_item_id()  # only the items added since are sent, never the whole closet

    def report(done: int, total: int, path: str) -> None:
        nonlocal last, newest
        progress(done, total, path)
        if done and time.monotonic() - last >= FEED_SECONDS:
            last = time.monotonic()
            added = wardrobe.items(after=newest)
            if added:
                newest = added[-1].id
                feed.items.emit(added)

    return wardrobe.add_photos(paths, category, progress=report, cancel=cancel)


def load_classifier(wardrobe: Wardrobe) -> tuple[str | None, str | None]:
    """Load the garment classifier (TensorFlow) in the worker; (version, None) or (None, why)."""
    try:
        classifier = wardrobe.classifier()
    except ImportError:
        return None, "the garment classifier is not installed"
    except Exception as exc:
        return None, str(exc) or type(exc).__name__
    if classifier is None:
        return None, wardrobe.classifier_error or "switched off"
    return str(getattr(classifier, "version", "?")), None
