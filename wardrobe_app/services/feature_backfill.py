"""Recompute the stored CNN features of items when the active classifier version changes (resumable)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.photo_files import confined
from wardrobe_app.db.tables import ItemFeatureRow, ItemRow
from wardrobe_app.domain import WardrobeError
from wardrobe_app.domain.progress import Cancel, Progress
from wardrobe_app.vision.loading import load_photo

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import GarmentClassifier

log = logging.getLogger(__name__)


def backfill_cnn_features(
    sessions: sessionmaker[Session],
    data_dir: Path,
    classifier: GarmentClassifier | None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    batch_size: int = 16,
) -> list[int]:
    """Recompute "cnn" features of items (any collection) stored with another classifier version.

    Each batch commits on its own, so an interrupted backfill resumes where it stopped. Only
    the features change; the items' categories stay as they are. Returns the updated ids.
    """
    if classifier is None:
        return []
    version = classifier.version
    with sessions() as session:
        current = select(ItemFeatureRow.item_id).where(ItemFeatureRow.kind == "cnn", ItemFeatureRow.version == version)
        todo = session.execute(
            select(ItemRow.id, ItemRow.photo_path, ItemRow.mask_path)
            .where(ItemRow.id.not_in(current))
            .order_by(ItemRow.id)
        ).all()
    updated: list[int] = []
    for start in range(0, len(todo), batch_size):
        if cancel is not None and cancel():
            break
        if progress is not None:
            progress(start, len(todo), str(todo[start][1]))
        images, masks, ids = [], [], []
        for item_id, photo_path, mask_path in todo[start : start + batch_size]:
            try:  # only files inside the closet (a tampered row, a link out or round a loop: skipped)
                rgb = load_photo(confined(data_dir, photo_path)).rgb
                mask_file = confined(data_dir, mask_path) if mask_path else None
            except WardrobeError as exc:
                log.warning("item %d: cannot read its photo: %s", item_id, exc)
                continue
            mask = cv2.imread(str(mask_file), cv2.IMREAD_GRAYSCALE) if mask_file is not None else None
            if mask is None or mask.shape != rgb.shape[:2]:
                mask = np.full(rgb.shape[:2], 255, np.uint8)
            images.append(rgb)
            masks.append(mask)
            ids.append(item_id)
        if not ids:
            continue
        classifications = classifier.classify(images, masks=masks)
        with sessions.begin() as session:
            for item_id, classification in zip(ids, classifications, strict=True):
                vector = np.asarray(classification.features, dtype="<f4").ravel()
                row = session.scalar(
                    select(ItemFeatureRow).where(ItemFeatureRow.item_id == item_id, ItemFeatureRow.kind == "cnn")
                )
                if row is None:
                    row = ItemFeatureRow(item_id=item_id, kind="cnn")
                    session.add(row)
                row.version, row.dim, row.vector = version, int(vector.size), vector.tobytes()
        updated.extend(ids)
    if progress is not None:
        progress(len(todo), len(todo), "")
    return updated
