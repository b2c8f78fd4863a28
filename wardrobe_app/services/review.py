"""The review queue and the personal layer: confirm a guess, and let corrections re-score the rest.

An item is *user-labelled* when the user set its category (``corrected``) or accepted the
classifier's guess (``confirmed``); such an item is never re-labelled by anything. Every other
classified closet item is re-scored by ml.personal from the user-labelled items of the same
classifier version, starting from the shipped model's probabilities stored at import
(``class_probs`` feature). The queue is the closet's unchecked items that the classifier
flagged as unsure (``needs_review``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, ItemFeatureRow, ItemRow
from wardrobe_app.domain import CLASSIFIER_CATEGORIES, Item, ItemNotFoundError, WardrobeError, group_of
from wardrobe_app.ml.kinds import keep_kind
from wardrobe_app.ml.personal import PersonalLayer, PersonalSettings, probabilities_from_guess

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import GarmentClassifier

log = logging.getLogger(__name__)

#: Feature kind of the shipped model's probabilities over its labels, stored at import.
PROBS_KIND = "class_probs"
#: Needs-review threshold when neither the classifier nor its manifest names one.
DEFAULT_THRESHOLD = 0.5
#: A re-scored guess that keeps its category and moves its confidence less than this is left as it is.
SETTLED = 0.02


@dataclass(frozen=True)
class ModelFacts:
    """What re-scoring needs to know of one classifier version: its labels and review threshold."""

    labels: tuple[str, ...]
    threshold: float
    known: bool = True  # False: the version is not shipped, the labels are a guess


def probability_vector(classification: Any, labels: Sequence[str]) -> np.ndarray:
    """The model's probabilities over ``labels``: the full vector when the classification has one, else its top-3."""
    full = getattr(classification, "probabilities", None)
    if full is not None and np.size(full) == len(labels):
        return np.asarray(full, np.float32).ravel()
    top = getattr(classification, "top3", None) or [(classification.category, classification.confidence)]
    return probabilities_from_guess(labels, [(str(name), float(p)) for name, p in top])


def model_facts(version: str, loaded: GarmentClassifier | None) -> ModelFacts:
    """Labels and threshold of ``version``: from the loaded classifier, else its shipped manifest (no TensorFlow)."""
    if loaded is not None and loaded.version == version and getattr(loaded, "labels", None):
        return ModelFacts(tuple(loaded.labels), float(getattr(loaded, "review_threshold", DEFAULT_THRESHOLD)))
    from wardrobe_app.ml.registry import locate

    try:
        shipped = locate(version=version)
    except WardrobeError:
        return ModelFacts(CLASSIFIER_CATEGORIES, DEFAULT_THRESHOLD, known=False)
    return ModelFacts(shipped.labels, float(shipped.manifest.get("needs_review_threshold", DEFAULT_THRESHOLD)))


def _vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


def _closet_item(session: Session, item_id: int) -> ItemRow:
    row = session.get(ItemRow, item_id)
    if row is None or row.collection_id != CLOSET_COLLECTION_ID or row.trashed_at is not None:
        raise ItemNotFoundError(item_id)
    return row


class ReviewDesk:
    """The closet's review queue, confirmations and personal re-scoring; each call opens its own Session."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        data_dir: Path,
        loaded_classifier: Callable[[], GarmentClassifier | None] = lambda: None,
        settings: PersonalSettings | None = None,
    ) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self._loaded = loaded_classifier
        self.settings = settings or PersonalSettings()

    # -- the queue -----------------------------------------------------------------------------
    def _queue_query(self) -> Any:
        return (
            select(ItemRow)
            .where(
                ItemRow.collection_id == CLOSET_COLLECTION_ID,
                ItemRow.archived.is_(False),
                ItemRow.trashed_at.is_(None),
                ItemRow.needs_review.is_(True),
                ItemRow.corrected.is_(False),
                ItemRow.confirmed.is_(False),
                ItemRow.category.is_not(None),
            )
            .order_by(ItemRow.id)
        )

    def queue(self) -> list[Item]:
        """Closet items the classifier was unsure of and the user has not checked yet, oldest first."""
        with self.sessions() as session:
            rows = session.scalars(self._queue_query().options(selectinload(ItemRow.colours)))
            return [item_from_row(row, self.data_dir) for row in rows]

    def confirm(self, item_id: int) -> Item:
        """Accept the classifier's guess: the category is kept from now on, like a correction."""
        with self.sessions.begin() as session:
            row = _closet_item(session, item_id)
            if row.category is None:
                raise WardrobeError(
                    f"item {item_id} has no category to confirm: set one with `wardrobe set {item_id} --category ...`"
                )
            row.confirmed, row.needs_review = True, False
            session.flush()
            return item_from_row(row, self.data_dir)

    # -- the personal layer ------------------------------------------------------------------------
    def rescore(self, item_ids: Iterable[int] | None = None) -> list[int]:
        """Re-score unchecked closet items (all, or ``item_ids``) from the user's labelled items.

        Only items the user neither corrected nor confirmed change; returns the ids whose
        category, confidence or review flag changed.
        """
        wanted = None if item_ids is None else set(item_ids)
        with self.sessions() as session:
            rows = session.execute(
                select(
                    ItemRow.id,
                    ItemRow.category,
                    ItemRow.confidence,
                    ItemRow.classifier_version,
                    ItemRow.corrected,
                    ItemRow.confirmed,
                    ItemRow.needs_review,
                ).where(
                    ItemRow.collection_id == CLOSET_COLLECTION_ID,
                    ItemRow.trashed_at.is_(None),
                    ItemRow.category.is_not(None),
                )
            ).all()
            labelled = {r.id: r.category for r in rows if r.corrected or r.confirmed}
            targets: dict[str, list[Any]] = defaultdict(list)
            for r in rows:
                if not (r.corrected or r.confirmed) and r.classifier_version and (wanted is None or r.id in wanted):
                    targets[r.classifier_version].append(r)
            if not targets:
                return []
            features = session.execute(
                select(ItemFeatureRow.item_id, ItemFeatureRow.kind, ItemFeatureRow.version, ItemFeatureRow.vector)
                .join(ItemRow, ItemRow.id == ItemFeatureRow.item_id)
                .where(
                    ItemRow.collection_id == CLOSET_COLLECTION_ID,
                    ItemRow.trashed_at.is_(None),
                    ItemFeatureRow.kind.in_(("cnn", PROBS_KIND)),
                )
            ).all()
        stored: dict[tuple[str, str], dict[int, np.ndarray]] = defaultdict(dict)
        for item_id, kind, version, blob in features:
            stored[(kind, version)][item_id] = _vector(blob)
        updated: list[int] = []
        for version, items in targets.items():
            updated += self._rescore_version(version, items, labelled, stored)
        return updated

    def _rescore_version(
        self,
        version: str,
        items: list[Any],
        labelled: dict[int, str],
        stored: dict[tuple[str, str], dict[int, np.ndarray]],
    ) -> list[int]:
        facts = model_facts(version, self._loaded())
        cnn = stored.get(("cnn", version), {})
        probs = stored.get((PROBS_KIND, version), {})
        examples = [i for i in labelled if i in cnn and cnn[i].size]
        dim = next(iter(cnn.values())).size if cnn else 0
        examples = [i for i in examples if cnn[i].size == dim]
        layer = PersonalLayer(
            np.stack([cnn[i] for i in examples]) if examples else np.zeros((0, dim), np.float32),
            [labelled[i] for i in examples],
            self.settings,
        )
        items = [r for r in items if r.id in cnn and cnn[r.id].size == dim]
        if not items:
            return []
        base, missing = [], []
        for r in items:
            vector = probs.get(r.id)
            if vector is None or vector.size != len(facts.labels):
                # an item from before the probabilities were stored: its own guess stands for them, once
                vector = probabilities_from_guess(facts.labels, [(r.category, float(r.confidence or 0.0))])
                missing.append((r.id, vector))
            base.append(vector)
        results = layer.blend(np.stack([cnn[r.id] for r in items]), np.stack(base), facts.labels)
        changes = {}
        for r, result in zip(items, results, strict=True):
            if result.category != r.category and keep_kind(r.category, result.category) == r.category:
                result = replace(result, category=r.category)  # the plain label of the item's kind: the kind stays
            if (
                result.category == r.category
                and r.confidence is not None
                and abs(result.confidence - r.confidence) < SETTLED
            ):
                continue  # the same guess, about as sure: leave the classifier's own review flag alone
            changes[r.id] = result, result.confidence < facts.threshold
        if not changes and not missing:
            return []
        with self.sessions.begin() as session:
            for item_id, vector in missing:  # one row per item and kind: one of another version is replaced
                stored_row = session.scalar(
                    select(ItemFeatureRow).where(ItemFeatureRow.item_id == item_id, ItemFeatureRow.kind == PROBS_KIND)
                )
                if stored_row is None:
                    stored_row = ItemFeatureRow(item_id=item_id, kind=PROBS_KIND)
                    session.add(stored_row)
                stored_row.version, stored_row.dim = version, int(vector.size)
                stored_row.vector = np.asarray(vector, "<f4").tobytes()
            for item_id, (result, review) in changes.items():
                row = session.get(ItemRow, item_id)
                if row is None or row.corrected or row.confirmed:  # the user spoke meanwhile: their word stands
                    continue
                row.category, row.group = result.category, group_of(result.category).value
                row.confidence, row.needs_review = result.confidence, review
        if changes:
            log.info("personal layer (%d examples) re-scored %d items of %s", len(layer), len(changes), version)
        return sorted(changes)
