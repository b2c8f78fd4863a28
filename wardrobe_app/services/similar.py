"""Visually similar items: embed a photo or an item, search a collection's in-memory index."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, CollectionRow, ItemFeatureRow, ItemRow
from wardrobe_app.domain import (
    Group,
    Item,
    ItemNotFoundError,
    UnknownCatalogueError,
    UnsafePathError,
    normalise_category,
)
from wardrobe_app.domain.results import SimilarMatch
from wardrobe_app.search import EmbeddingSpec, VectorIndex, combine, combine_many
from wardrobe_app.search.approximate import APPROXIMATE_FROM
from wardrobe_app.search.embedding import reweight
from wardrobe_app.search.kinds import SHOP_COLOUR_WEIGHT, SHOP_KIND_WEIGHTS, CatalogueKinds, shop_kind_label
from wardrobe_app.search.rerank import KindWeights, kind_belief, rerank_scores
from wardrobe_app.services.similar_index import CommitWatch, forget_saved, keep_approximate, saved_index_path
from wardrobe_app.services.similar_query import (
    PhotoOrItem,
    QueryPhoto,
    _vector,
    as_item_id,
    category_code,
    classifier_word,
)
from wardrobe_app.vision.pipeline import process_photo
from wardrobe_app.vision.render import hsv_histogram

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import GarmentClassifier

log = logging.getLogger(__name__)

#: Share of colour in a shop catalogue's distances (benchmarks/shop_quality.py, chosen on validation queries).
CATALOGUE_COLOUR_WEIGHT = 0.1
#: Item features are read from the database this many ids at a time.
_CHUNK = 500


@dataclass
class _CollectionIndex:
    """One collection's index for one CNN version, and the labels it was last synced with."""

    index: VectorIndex
    #: item id -> (group, category, shop kind)
    labels: dict[int, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    kinds: CatalogueKinds | None = None  # a catalogue's own kinds and their probe, learnt at ``kinds_at``
    kinds_at: tuple[int, tuple[int, ...] | None] | None = None  # (index revision, signature)
    signature: tuple[int, ...] | None = None  # (count, sum of ids, sum of id x category code)
    saved_revision: int | None = None  # the index's revision its approximate index was saved (or loaded) at
    seen: tuple[int, ...] | None = None  # the database's commit mark when last synced


#: Share of a catalogue's products that must carry a shop kind for the search by kinds.
MOST_WITH_KIND = 0.5


class SimilarSearch:
    """Indexes per (collection, CNN version), built lazily from item_features and synced on use."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        data_dir: Path,
        classifier: Callable[[], GarmentClassifier | None],
        spec: EmbeddingSpec | None = None,
    ) -> None:
        self.sessions = sessions
        self._data_dir = data_dir
        self._classifier = classifier
        self.spec = spec or EmbeddingSpec()
        self._indexes: dict[tuple[int, str | None], _CollectionIndex] = {}
        self.kind_weights = KindWeights()
        #: Collections from this size on are searched through a saved approximate index (None: never).
        self.approximate_from: int | None = APPROXIMATE_FROM
        self._commits = CommitWatch(data_dir / DB_FILENAME)

    # -- public ------------------------------------------------------------------------------
    def similar(
        self,
        query: PhotoOrItem,
        k: int = 5,
        collection: str = "closet",
        group: Group | str | None = None,
        category: str | None = None,
        same_category: bool = True,
    ) -> list[SimilarMatch]:
        """The ``k`` items of ``collection`` nearest to a photo file or an item id, best match first.

        With ``same_category`` (and no group or category given) items of the query's own
        category come first (the classifier's word for a photo, the item's category for an
        id), topped up with the nearest of its group, then with the nearest others, when there
        are fewer than ``k`` of them.
        """
        collection_id, collection_name = self.collection(collection)
        exclude: list[int] = []
        item_id = as_item_id(query)
        word: dict[str, float] | None = None  # what the query is said to be, with how sure
        if item_id is not None:
            vector, version = self.item_embedding(item_id)
            exclude.append(item_id)
            word = self.word_of(item_id)
        else:
            photo = self.embed_photo(Path(os.fspath(query)))  # type: ignore[arg-type]  # not an int here
            vector, version = photo.embedding, photo.cnn_version
            word = classifier_word(photo.classification)
        if group is not None or category is not None or not same_category:
            return self.search(vector, version, collection_id, collection_name, k, group, category, exclude)
        return self.search_by_kind(vector, version, collection_id, collection_name, k, word, exclude)

    def search_by_kind(
        self,
        vector: np.ndarray,
        cnn_version: str | None,
        collection_id: int,
        collection_name: str,
        k: int,
        word: Mapping[str, float] | None,
        exclude: Iterable[int] = (),
        weights: KindWeights | None = None,
    ) -> list[SimilarMatch]:
        """The nearest items, those of the query's likely kind first (search/rerank.py): the classifier's
        word counts as much as it is sure, the neighbours' kinds vote; distances are the plain ones.

        A catalogue imported with its own kinds (its CSV's articleType) is searched by those instead
        (search/kinds.py): a probe fitted on its products says which the query likely is, and the
        distances among the candidates weigh colour by SHOP_COLOUR_WEIGHT."""
        index = self.index(collection_id, cnn_version)
        entry = self._indexes[(collection_id, cnn_version)]
        labels = entry.labels
        vector = self._query_for(vector, collection_id)
        squared = float(np.dot(vector, vector))
        vector = vector / squared if squared > 1e-12 else vector
        kinds = self._catalogue_kinds(entry, collection_id)
        if kinds is not None:
            weights = weights or SHOP_KIND_WEIGHTS
            found = kinds.search(index, vector, k, weights, exclude, colour=SHOP_COLOUR_WEIGHT)
            by_id = self._items([n.id for n in found], collection_name)
            worst = weights.worst_score
            return [SimilarMatch(by_id[n.id], n.distance, n.score, worst) for n in found if n.id in by_id]
        weights = weights or self.kind_weights
        pool = index.search(vector, max(60, 8 * k), exclude=exclude)
        if not pool:
            return []
        distances = np.array([n.distance for n in pool])
        groups = [labels.get(n.id, (None, None, None))[0] for n in pool]
        categories = [labels.get(n.id, (None, None, None))[1] for n in pool]
        belief = kind_belief(categories, distances, word, weights)
        scores = rerank_scores(distances, categories, groups, belief, weights)
        order = np.argsort(scores, kind="stable")[:k]
        chosen = [(pool[int(i)], float(scores[int(i)])) for i in order]
        items = self._items([n.id for n, _ in chosen], collection_name)
        return [
            SimilarMatch(items[n.id], n.distance, score, weights.worst_score) for n, score in chosen if n.id in items
        ]

    def _catalogue_kinds(self, entry: _CollectionIndex, collection_id: int) -> CatalogueKinds | None:
        """A catalogue's own kinds with their probe, learnt again when its products changed; None without any."""
        if collection_id == CLOSET_COLLECTION_ID:
            return None
        at = (entry.index.revision, entry.signature)
        if entry.kinds_at != at:
            labels = {i: (group, kind) for i, (group, _, kind) in entry.labels.items()}
            with_kind = sum(kind is not None for _, kind in labels.values())
            spec = self.spec_for(collection_id)
            # the shop's kinds lead only when most products carry one (a catalogue imported before kinds
            # were kept, then topped up, keeps the plain search)
            entry.kinds = (
                CatalogueKinds.learn(entry.index, labels, spec.cnn_dim, spec.colour_weight)
                if with_kind and with_kind >= MOST_WITH_KIND * len(labels)
                else None
            )
            entry.kinds_at = at
        return entry.kinds

    def search(
        self,
        vector: np.ndarray,
        cnn_version: str | None,
        collection_id: int,
        collection_name: str,
        k: int = 5,
        group: Group | str | None = None,
        category: str | None = None,
        exclude: Iterable[int] = (),
    ) -> list[SimilarMatch]:
        index = self.index(collection_id, cnn_version)
        vector = self._query_for(vector, collection_id)
        # a query without a CNN part (no classifier) is a shorter vector: scale it so that
        # its distances still span [0, 1] (then they are the colour distances alone)
        squared = float(np.dot(vector, vector))
        vector = vector / squared if squared > 1e-12 else vector
        found = index.search(
            vector,
            k,
            group=Group(group).value if group is not None else None,
            category=normalise_category(category) if category is not None else None,
            exclude=exclude,
        )
        items = self._items([n.id for n in found], collection_name)
        return [SimilarMatch(items[n.id], n.distance) for n in found if n.id in items]

    def collection(self, name: str | None) -> tuple[int, str]:
        """(id, name) of the closet or of a catalogue; raises UnknownCatalogueError."""
        if name is None or name == "closet":
            return CLOSET_COLLECTION_ID, "closet"
        with self.sessions() as session:
            found = session.scalar(select(CollectionRow.id).where(CollectionRow.name == name))
            if found is None:
                known = session.scalars(
                    select(CollectionRow.name).where(CollectionRow.kind == "catalogue").order_by(CollectionRow.name)
                ).all()
                raise UnknownCatalogueError(name, list(known))
        return int(found), name

    def embed_photo(self, path: Path) -> QueryPhoto:
        """Cut out, read colours and classify a photo as an import would, storing nothing."""
        processed = process_photo(path)
        classifier = self._classifier()
        classification = None
        if classifier is not None:
            classification = classifier.classify([processed.loaded.rgb], masks=[processed.cutout.mask])[0]
        hist = hsv_histogram(processed.loaded.rgb, processed.cutout.mask)
        cnn = classification.features if classification is not None else None
        embedding = combine(cnn, hist, self.spec)
        version = classifier.version if classifier is not None else None
        return QueryPhoto(path, processed, classification, version, embedding)

    def item_embedding(self, item_id: int) -> tuple[np.ndarray, str | None]:
        """An item's embedding (from its stored features) and the CNN version it was made with."""
        with self.sessions() as session:
            if session.get(ItemRow, item_id) is None:
                raise ItemNotFoundError(item_id)
            rows = session.execute(
                select(ItemFeatureRow.kind, ItemFeatureRow.version, ItemFeatureRow.vector).where(
                    ItemFeatureRow.item_id == item_id
                )
            ).all()
        parts = {kind: (version, _vector(blob)) for kind, version, blob in rows}
        cnn_version, cnn = parts.get("cnn", (None, None))
        colour = parts.get("colour_hist", (None, None))[1]
        return combine(cnn, colour, self.spec), cnn_version

    def spec_for(self, collection_id: int) -> EmbeddingSpec:
        """How a collection weighs look and colour: a shop catalogue leans on the look (the kind of product),
        chosen by benchmarks/shop_quality.py on validation queries; the closet keeps the default."""
        if collection_id == CLOSET_COLLECTION_ID:
            return self.spec
        return replace(self.spec, colour_weight=CATALOGUE_COLOUR_WEIGHT)

    def _query_for(self, vector: np.ndarray, collection_id: int) -> np.ndarray:
        """A query embedding (made with ``self.spec``) reweighted for the collection searched."""
        return reweight(vector, self.spec, self.spec_for(collection_id))

    def index(self, collection_id: int, cnn_version: str | None) -> VectorIndex:
        """The collection's index for ``cnn_version``, brought in line with the database."""
        key = (collection_id, cnn_version)
        entry = self._indexes.get(key)
        if entry is None:
            entry = self._indexes[key] = _CollectionIndex(
                VectorIndex(self.spec.dim, approximate_from=self.approximate_from)
            )
        self._sync(entry, collection_id, cnn_version)
        self._keep_approximate(entry, collection_id, cnn_version)
        return entry.index

    def index_path(self, collection_id: int, cnn_version: str | None) -> Path:
        """Where a collection's approximate index is saved (inside the data dir, or UnsafePathError)."""
        return saved_index_path(self._data_dir, collection_id, cnn_version, self.spec_for(collection_id))

    def _keep_approximate(self, entry: _CollectionIndex, collection_id: int, cnn_version: str | None) -> None:
        """Load, build or update a big collection's approximate index, and save it when it changed."""
        index = entry.index
        if not index.wants_approximate():
            return
        if index.approximate is not None and entry.saved_revision == index.revision:
            return
        about = {"collection": int(collection_id), "cnn_version": cnn_version}
        try:
            path: Path | None = self.index_path(collection_id, cnn_version)
        except UnsafePathError as error:  # indexes/ (or the file) links out of the data dir: never follow it
            log.warning("not saving the search index: %s", error)
            path = None
        keep_approximate(self._data_dir, index, path, about)
        entry.saved_revision = index.revision

    def forget_saved_indexes(self, collection_id: int) -> None:
        """Delete a (removed) collection's saved approximate indexes."""
        forget_saved(self._data_dir, collection_id)
        for key in [key for key in self._indexes if key[0] == collection_id]:
            del self._indexes[key]

    def invalidate(self) -> None:
        """Forget every index (after features were recomputed); they rebuild on next use."""
        self._indexes.clear()

    def close(self) -> None:
        """Let go of the database file (before it is replaced by a restore, or the closet closes)."""
        self._commits.close()

    # -- internals -----------------------------------------------------------------------------
    def _sync(self, entry: _CollectionIndex, collection_id: int, cnn_version: str | None) -> None:
        seen = self._commits.mark()  # read before the scan: a commit in between only causes one more scan
        if seen is not None and seen == entry.seen:
            return
        self._scan(entry, collection_id, cnn_version)
        entry.seen = seen  # only once the index is in line (an error above leaves it to the next query)

    def _scan(self, entry: _CollectionIndex, collection_id: int, cnn_version: str | None) -> None:
        """Bring the index in line with the collection's rows: removed, added and relabelled items."""
        with self.sessions() as session:
            signature = tuple(
                session.execute(
                    select(
                        func.count(ItemRow.id),
                        func.coalesce(func.sum(ItemRow.id), 0),
                        func.coalesce(func.sum(ItemRow.id * category_code(ItemRow.category)), 0),
                    ).where(
                        ItemRow.collection_id == collection_id,
                        ItemRow.archived.is_(False),
                        ItemRow.trashed_at.is_(None),
                    )
                ).one()
            )
            if signature == entry.signature:
                return
            entry.signature = signature
            rows = session.execute(
                select(ItemRow.id, ItemRow.group, ItemRow.category, ItemRow.shop_kind).where(
                    ItemRow.collection_id == collection_id, ItemRow.archived.is_(False), ItemRow.trashed_at.is_(None)
                )
            ).all()
            current = {int(i): (g, c, shop_kind_label(k)) for i, g, c, k in rows}
            gone = [i for i in entry.labels if i not in current]
            new = [i for i in current if i not in entry.labels]
            if gone:
                entry.index.remove(gone)
                for item_id in gone:
                    del entry.labels[item_id]
            for item_id, labels in current.items():
                if item_id in entry.labels and entry.labels[item_id] != labels:
                    entry.index.set_labels(item_id, *labels)
                    entry.labels[item_id] = labels
            for start in range(0, len(new), _CHUNK):
                chunk = new[start : start + _CHUNK]
                ids, vectors = self._embeddings(session, chunk, cnn_version, self.spec_for(collection_id))
                groups, categories, kinds = zip(*(current[i] for i in ids), strict=True) if ids else ((), (), ())
                entry.index.add(ids, vectors, list(groups), list(categories), list(kinds))
                for item_id in ids:
                    entry.labels[item_id] = current[item_id]

    def _embeddings(
        self, session: Session, item_ids: list[int], cnn_version: str | None, spec: EmbeddingSpec
    ) -> tuple[list[int], np.ndarray]:
        """Embeddings of items from their stored features; CNN features of another version are left out."""
        rows = session.execute(
            select(ItemFeatureRow.item_id, ItemFeatureRow.kind, ItemFeatureRow.version, ItemFeatureRow.vector).where(
                ItemFeatureRow.item_id.in_(item_ids), ItemFeatureRow.kind.in_(("cnn", "colour_hist"))
            )
        ).all()
        position = {item_id: n for n, item_id in enumerate(item_ids)}
        cnn = np.zeros((len(item_ids), self.spec.cnn_dim), np.float32)
        colour = np.zeros((len(item_ids), self.spec.colour_dim), np.float32)
        for item_id, kind, version, blob in rows:
            vector = _vector(blob)
            if kind == "cnn" and version == cnn_version and vector.size == self.spec.cnn_dim:
                cnn[position[item_id]] = vector
            elif kind == "colour_hist" and vector.size == self.spec.colour_dim:
                colour[position[item_id]] = vector
        return item_ids, combine_many(cnn, colour, spec)

    def word_of(self, item_id: int) -> dict[str, float] | None:
        """An item's category with how sure it is (a user's own word is sure)."""
        with self.sessions() as session:
            row = session.execute(
                select(ItemRow.category, ItemRow.confidence, ItemRow.corrected).where(ItemRow.id == item_id)
            ).one_or_none()
        if row is None or row[0] is None:
            return None
        category, confidence, corrected = row
        sure = 1.0 if corrected or confidence is None else max(0.05, float(confidence))
        return {str(category): sure}

    def collection_items(self, collection_id: int, collection_name: str) -> list[Item]:
        """Every (unarchived) item of a collection, oldest first."""
        with self.sessions() as session:
            rows = session.scalars(
                select(ItemRow)
                .options(selectinload(ItemRow.colours))
                .where(
                    ItemRow.collection_id == collection_id, ItemRow.archived.is_(False), ItemRow.trashed_at.is_(None)
                )
                .order_by(ItemRow.id)
            )
            return [item_from_row(row, self._data_dir, collection_name) for row in rows]

    def _items(self, ids: list[int], collection_name: str) -> dict[int, Item]:
        if not ids:
            return {}
        with self.sessions() as session:
            rows = session.scalars(select(ItemRow).options(selectinload(ItemRow.colours)).where(ItemRow.id.in_(ids)))
            return {row.id: item_from_row(row, self._data_dir, collection_name) for row in rows}
