"""Carry a closet forward to the active classifier: re-label items an older version labelled, refresh features.

Items the user corrected or confirmed keep their category (only their features, the model's
probabilities and its confidence are refreshed, so they teach the personal layer in the new
feature space). Each batch commits on its own and items already at the active version are
skipped, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.photo_files import confined
from wardrobe_app.db.tables import ItemFeatureRow, ItemRow
from wardrobe_app.domain import Change, UnsafePathError, WardrobeError
from wardrobe_app.services.importing import Cancel, Progress
from wardrobe_app.services.review import PROBS_KIND, probability_vector
from wardrobe_app.vision.loading import load_photo

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import GarmentClassifier

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReclassifyReport:
    """What a reclassify run did."""

    version: str
    processed: tuple[int, ...] = ()  # items now at ``version`` (features and probabilities refreshed)
    relabelled: tuple[int, ...] = ()  # of those, items whose category changed
    kept: tuple[int, ...] = ()  # of those, items whose category the user set or confirmed (unchanged)
    unreadable: tuple[int, ...] = ()  # items whose photo could not be read (left as they were)
    remaining: int = 0  # items still to do (after a cancel)

    @property
    def cancelled(self) -> bool:
        return self.remaining > 0

    @property
    def change(self) -> Change:
        """The items brought to the new version (labels, probabilities and features refreshed)."""
        return Change(updated=self.processed)

    def summary(self) -> str:
        text = (
            f"{len(self.processed)} items brought to {self.version}: {len(self.relabelled)} re-labelled, "
            f"{len(self.kept)} kept as you set or confirmed them"
        )
        if self.unreadable:
            text += f"; {len(self.unreadable)} photos could not be read"
        if self.remaining:
            text += f"; stopped with {self.remaining} to go (run it again to resume)"
        return text


def items_to_reclassify(session: Session, version: str) -> list[tuple[int, str, str | None]]:
    """(id, photo path, mask path) of items labelled by another version or lacking this version's features."""
    current = select(ItemFeatureRow.item_id).where(ItemFeatureRow.kind == "cnn", ItemFeatureRow.version == version)
    rows = session.execute(
        select(ItemRow.id, ItemRow.photo_path, ItemRow.mask_path)
        .where(
            or_(ItemRow.classifier_version.is_(None), ItemRow.classifier_version != version, ItemRow.id.not_in(current))
        )
        .order_by(ItemRow.id)
    ).all()
    return [(int(i), str(p), m) for i, p, m in rows]


def _inside(data_dir: Path, relative: str) -> Path | None:
    """The file a stored relative path names, or None when it would lead outside the data dir (or round a loop)."""
    try:
        return confined(data_dir, relative)
    except UnsafePathError:
        return None


def _read(data_dir: Path, photo_path: str, mask_path: str | None) -> tuple[np.ndarray, np.ndarray]:
    photo = _inside(data_dir, photo_path)
    if photo is None:
        raise WardrobeError(f"{photo_path} lies outside the closet folder")
    rgb = load_photo(photo).rgb
    mask_file = _inside(data_dir, mask_path) if mask_path else None
    mask = cv2.imread(str(mask_file), cv2.IMREAD_GRAYSCALE) if mask_file is not None else None
    if mask is None or mask.shape != rgb.shape[:2]:
        mask = np.full(rgb.shape[:2], 255, np.uint8)
    return rgb, mask


def _upsert_feature(session: Session, item_id: int, kind: str, version: str, vector: np.ndarray) -> None:
    vec = np.asarray(vector, dtype="<f4").ravel()
    row = session.scalar(select(ItemFeatureRow).where(ItemFeatureRow.item_id == item_id, ItemFeatureRow.kind == kind))
    if row is None:
        row = ItemFeatureRow(item_id=item_id, kind=kind)
        session.add(row)
    row.version, row.dim, row.vector = version, int(vec.size), vec.tobytes()


def reclassify(
    sessions: sessionmaker[Session],
    data_dir: Path,
    classifier: GarmentClassifier,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    batch_size: int = 16,
) -> ReclassifyReport:
    """Bring every item (closet and catalogues) to ``classifier``'s version, never over a user's category."""
    version = classifier.version
    labels = tuple(getattr(classifier, "labels", ()) or ())
    with sessions() as session:
        todo = items_to_reclassify(session, version)
    processed: list[int] = []
    relabelled: list[int] = []
    kept: list[int] = []
    unreadable: list[int] = []
    done = 0
    for start in range(0, len(todo), batch_size):
        if cancel is not None and cancel():
            break
        chunk = todo[start : start + batch_size]
        if progress is not None:
            progress(start, len(todo), chunk[0][1])
        images, masks, ids = [], [], []
        for item_id, photo_path, mask_path in chunk:
            try:
                rgb, mask = _read(data_dir, photo_path, mask_path)
            except WardrobeError as exc:
                log.warning("item %d: cannot read its photo: %s", item_id, exc)
                unreadable.append(item_id)
                continue
            images.append(rgb)
            masks.append(mask)
            ids.append(item_id)
        done = start + len(chunk)
        if not ids:
            continue
        classifications = classifier.classify(images, masks=masks)
        with sessions.begin() as session:
            for item_id, result in zip(ids, classifications, strict=True):
                row = session.get(ItemRow, item_id)
                if row is None:  # removed meanwhile
                    continue
                before = row.category
                _apply(session, row, result, version, labels)
                processed.append(item_id)
                if row.corrected or row.confirmed:
                    kept.append(item_id)
                elif row.category != before:
                    relabelled.append(item_id)
    if progress is not None:
        progress(len(todo), len(todo), "")
    remaining = len(todo) - done if done < len(todo) else 0
    return ReclassifyReport(version, tuple(processed), tuple(relabelled), tuple(kept), tuple(unreadable), remaining)


def _apply(session: Session, row: ItemRow, result: Any, version: str, labels: tuple[str, ...]) -> None:
    """Store the new version's features, probabilities and confidence; the category only if the user left it."""
    _upsert_feature(session, row.id, "cnn", version, result.features)
    if labels:
        _upsert_feature(session, row.id, PROBS_KIND, version, probability_vector(result, labels))
    row.classifier_version, row.confidence = version, float(result.confidence)
    if not (row.corrected or row.confirmed):
        row.category, row.group = result.category, result.group.value
        row.needs_review = bool(result.needs_review)
