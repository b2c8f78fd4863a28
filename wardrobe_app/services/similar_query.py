"""What a similar-items search is asked: a photo or an item id, a photo run through the pipeline, the
classifier's word on it; and the small helpers the search and the shopping advice share."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import func

from wardrobe_app.domain import Group, ItemNotFoundError
from wardrobe_app.vision.pipeline import ProcessedPhoto

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import Classification

PhotoOrItem = str | int | os.PathLike[str]


@dataclass(frozen=True)
class QueryPhoto:
    """A photo run through the import pipeline without storing anything."""

    path: Path
    processed: ProcessedPhoto
    classification: Classification | None
    cnn_version: str | None
    embedding: np.ndarray

    @property
    def group(self) -> Group | None:
        return self.classification.group if self.classification is not None else None

    @property
    def category(self) -> str | None:
        return self.classification.category if self.classification is not None else None


def classifier_word(classification: Classification | None) -> dict[str, float] | None:
    """What the classifier says a photo is: its top categories with their probabilities."""
    if classification is None:
        return None
    top = getattr(classification, "top3", None)
    return dict(top) if top else {classification.category: float(classification.confidence)}


def category_code(column: Any) -> Any:
    """A SQL expression that tells categories apart (a cheap checksum; no hash function in SQLite).

    The sync check sums ``id * category_code`` over a collection, so that a corrected
    category shows without reading every row; tests check that known categories differ.
    """
    text = func.coalesce(column, "")

    def char(position: int) -> Any:
        return func.coalesce(func.unicode(func.substr(text, position)), 0)

    return func.length(text) + 7 * char(1) + 131 * char(2) + 1733 * char(-1) + 22229 * char(-2) + 1


def as_item_id(query: PhotoOrItem) -> int | None:
    """An item id when ``query`` is an int or all digits and no such file exists; else None."""
    if isinstance(query, bool):
        return None
    if isinstance(query, int | np.integer):
        return _in_range(int(query))
    text = os.fspath(query)
    if isinstance(text, str) and text.strip().isdigit() and not os.path.exists(text):  # never raises (a long name)
        return _in_range(int(text))
    return None


def _in_range(item_id: int) -> int:
    """``item_id``, or ItemNotFoundError when SQLite cannot even hold it (its driver would overflow)."""
    if not -(2**63) <= item_id < 2**63:
        raise ItemNotFoundError(item_id)
    return item_id


def _vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)
