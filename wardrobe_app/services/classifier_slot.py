"""The closet's garment classifier: chosen at opening, loaded once on first need, described without loading."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from wardrobe_app.domain import WardrobeError
from wardrobe_app.domain.results import ClassifierInfo

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import GarmentClassifier

log = logging.getLogger(__name__)


class ClassifierSlot:
    """ "auto" (the shipped classifier, if any and intact), "none", or a ready classifier object (tests).

    WARDROBE_CLASSIFIER=none in the environment turns "auto" into "none". ``error`` says why there is none.
    """

    def __init__(self, choice: Any = "auto") -> None:
        self.choice = choice
        self.loaded: GarmentClassifier | None = None
        self.tried = False
        self.error: str | None = None

    def get(self) -> GarmentClassifier | None:
        """The classifier, loaded on the first call; None when unavailable (``error`` says why)."""
        if self.tried:
            return self.loaded
        self.tried = True
        choice = self.choice
        if choice == "auto" and os.environ.get("WARDROBE_CLASSIFIER", "").lower() == "none":
            choice = "none"
        if choice == "none" or choice is None:
            return None
        if choice != "auto":
            self.loaded = choice
            return self.loaded
        try:
            from wardrobe_app.ml.classifier import load_classifier, shipped_versions

            if not shipped_versions():
                self.error = "no trained garment classifier is installed"
                return None
            self.loaded = load_classifier()
        except (WardrobeError, ImportError, OSError) as exc:
            self.error = str(exc)
            log.warning("garment classifier unavailable: %s", exc)
        return self.loaded

    def current(self) -> GarmentClassifier | None:
        """The classifier if it was loaded already (never loads it)."""
        return self.loaded if self.tried else None

    def info(self) -> ClassifierInfo:
        """Version, folder and manifest of the classifier in use or of the shipped one; never loads TensorFlow."""
        from wardrobe_app.ml.registry import locate

        loaded = self.current()
        version = getattr(loaded, "version", None)
        try:
            shipped = locate(version=version.rsplit("/", 1)[-1] if version else None)
        except WardrobeError as exc:
            return ClassifierInfo(version, loaded=loaded is not None, error=self.error or str(exc))
        return ClassifierInfo(shipped.version, shipped.folder, shipped.manifest, loaded is not None, self.error)
