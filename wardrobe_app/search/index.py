"""A nearest-neighbour index over unit embeddings, kept in sync with adds and removes.

Brute force by one matrix-vector product is the default: exact, and faster than scikit-learn's
trees in that many dimensions. From ``APPROXIMATE_FROM`` items on, queries go through an
approximate FAISS IVF-Flat index kept beside the vectors (search/approximate.py); a filtered
query it cannot answer in full falls back to the exact product over the allowed rows.
benchmarks/search_speed.py measures both, and the approximate index's recall against exact.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wardrobe_app.search.approximate import APPROXIMATE_FROM, ApproximateIndex

_NO_LABEL = -1
#: The most candidates a filtered query fetches from the approximate index before going exact.
_MOST_FETCHED = 2048


@functools.cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """One query's matrix-vector product on one BLAS thread: on a busy 2-core machine two threads wait on
    each other (2,000 items: 0.1 ms on one thread, 12 ms on two; benchmarks/search_speed.py)."""
    with _blas().limit(limits=1, user_api="blas"):
        yield


@dataclass(frozen=True)
class Neighbour:
    """One search result: the item id and its distance (0 = identical, 1 = nothing in common).

    ``score``: what a rerank ordered it by (its distance plus kind penalties, on the same scale); None: the distance.
    """

    id: int
    distance: float
    score: float | None = None


class _Labels:
    """Small integer codes for string labels (group, category), so filters are vector compares."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}

    def code(self, label: str | None) -> int:
        if label is None:
            return _NO_LABEL
        return self._codes.setdefault(label, len(self._codes))

    def find(self, label: str) -> int | None:
        return self._codes.get(label)


class VectorIndex:
    """Rows of unit float32 vectors keyed by item id, each with an optional group, category and shop kind."""

    def __init__(self, dim: int, capacity: int = 256, approximate_from: int | None = APPROXIMATE_FROM) -> None:
        """``approximate_from``: size from which queries use the approximate index (None: always exact)."""
        self.dim = dim
        self.approximate_from = approximate_from
        self._approximate: ApproximateIndex | None = None
        #: Counts changes of the contents (adds, removes); a saved approximate index records it.
        self.revision = 0
        self._vectors = np.zeros((max(1, capacity), dim), dtype=np.float32)
        self._ids = np.zeros(max(1, capacity), dtype=np.int64)
        self._groups = np.full(max(1, capacity), _NO_LABEL, dtype=np.int32)
        self._categories = np.full(max(1, capacity), _NO_LABEL, dtype=np.int32)
        self._kinds = np.full(max(1, capacity), _NO_LABEL, dtype=np.int32)
        self._row_of: dict[int, int] = {}
        self._size = 0
        self._group_labels = _Labels()
        self._category_labels = _Labels()
        self._kind_labels = _Labels()

    # -- contents ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._size

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row_of

    @property
    def ids(self) -> np.ndarray:
        """Indexed ids in storage order (a copy)."""
        return self._ids[: self._size].copy()

    @property
    def vectors(self) -> np.ndarray:
        """Indexed vectors in storage order (a read-only view)."""
        view = self._vectors[: self._size]
        view.flags.writeable = False
        return view

    def vector(self, item_id: int) -> np.ndarray:
        return self._vectors[self._row_of[item_id]].copy()

    def add(
        self,
        ids: Sequence[int] | np.ndarray,
        vectors: np.ndarray,
        groups: Sequence[str | None] | None = None,
        categories: Sequence[str | None] | None = None,
        kinds: Sequence[str | None] | None = None,
    ) -> None:
        """Add items (an id already present is replaced); ``kinds``: a catalogue's own word for each product."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        ids = [int(i) for i in ids]
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        groups = list(groups) if groups is not None else [None] * len(ids)
        categories = list(categories) if categories is not None else [None] * len(ids)
        kinds = list(kinds) if kinds is not None else [None] * len(ids)
        self._reserve(self._size + len(ids))
        if self._approximate is not None:
            self._approximate.remove(np.array([i for i in ids if i in self._row_of], np.int64))
            self._approximate.add(np.array(ids, np.int64), vectors)
        self.revision += 1
        for item_id, vector, group, category, kind in zip(ids, vectors, groups, categories, kinds, strict=True):
            row = self._row_of.get(item_id)
            if row is None:
                row = self._size
                self._size += 1
                self._row_of[item_id] = row
                self._ids[row] = item_id
            self._vectors[row] = vector
            self._groups[row] = self._group_labels.code(group)
            self._categories[row] = self._category_labels.code(category)
            self._kinds[row] = self._kind_labels.code(kind)

    def set_labels(self, item_id: int, group: str | None, category: str | None, kind: str | None = None) -> None:
        """Change an item's group, category and shop kind (a user's correction)."""
        row = self._row_of[item_id]
        self._groups[row] = self._group_labels.code(group)
        self._categories[row] = self._category_labels.code(category)
        self._kinds[row] = self._kind_labels.code(kind)

    def remove(self, ids: Iterable[int]) -> int:
        """Remove items (unknown ids are ignored); returns how many were removed."""
        ids = [int(i) for i in ids]
        if self._approximate is not None:
            self._approximate.remove(np.array([i for i in ids if i in self._row_of], np.int64))
        removed = 0
        for item_id in ids:
            row = self._row_of.pop(int(item_id), None)
            if row is None:
                continue
            last = self._size - 1
            if row != last:  # move the last row into the hole
                moved = int(self._ids[last])
                self._vectors[row] = self._vectors[last]
                self._ids[row] = moved
                self._groups[row] = self._groups[last]
                self._categories[row] = self._categories[last]
                self._kinds[row] = self._kinds[last]
                self._row_of[moved] = row
            self._size = last
            removed += 1
        self.revision += 1 if removed else 0
        return removed

    def clear(self) -> None:
        self._row_of.clear()
        self._size = 0
        self._approximate = None
        self.revision += 1

    # -- the approximate index -------------------------------------------------------------------
    @property
    def approximate(self) -> ApproximateIndex | None:
        """The approximate index queries use now (None: exact search)."""
        return self._approximate

    def wants_approximate(self) -> bool:
        """Whether queries should go through an approximate index at this size (with hysteresis)."""
        if self.approximate_from is None:
            return False
        # once in use, it is kept down to half the threshold (no rebuilding back and forth at the edge)
        floor = self.approximate_from // 2 if self._approximate is not None else self.approximate_from
        return self._size >= floor

    def use_approximate(self, approximate: ApproximateIndex | None) -> None:
        """Put an approximate index in place (one built or loaded for exactly these contents), or drop it."""
        if approximate is not None and len(approximate) != self._size:
            raise ValueError(f"an approximate index of {len(approximate)} vectors for {self._size} items")
        self._approximate = approximate

    def build_approximate(self) -> ApproximateIndex:
        """Train and fill a new approximate index over the current contents, and use it."""
        self._approximate = ApproximateIndex.build(self._ids[: self._size], self._vectors[: self._size])
        return self._approximate

    def _accelerator(self) -> ApproximateIndex | None:
        """The approximate index when queries should use it: built (or retrained) on demand, dropped below the floor."""
        if not self.wants_approximate():
            self._approximate = None
            return None
        if self._approximate is None or self._approximate.needs_retraining():
            self.build_approximate()
        return self._approximate

    # -- search -----------------------------------------------------------------------------
    def search(
        self,
        query: np.ndarray,
        k: int = 5,
        *,
        group: str | None = None,
        category: str | None = None,
        exclude: Iterable[int] = (),
        kind: str | None = None,
    ) -> list[Neighbour]:
        """The ``k`` nearest items to ``query``, nearest first, optionally of one group, category or shop kind."""
        query = np.asarray(query, dtype=np.float32).reshape(self.dim)
        exclude = list(exclude)
        allowed = self._allowed(group, category, exclude, kind)
        approximate = self._accelerator() if k > 0 else None
        if approximate is not None:
            found = self._search_approximate(approximate, query, k, allowed)
            if found is not None:
                return found
            if allowed is not None:  # too few allowed items among the candidates: exact over the allowed rows
                rows = np.flatnonzero(allowed)
                with _one_blas_thread():
                    return self._top(self._vectors[rows] @ query, k, rows)
        with _one_blas_thread():
            scores = self._vectors[: self._size] @ query
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        return self._top(scores, k)

    def _search_approximate(
        self, approximate: ApproximateIndex, query: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> list[Neighbour] | None:
        """The ``k`` best allowed items among the approximate index's candidates; None when it has too few."""
        n_allowed = self._size if allowed is None else int(allowed.sum())
        k = min(k, n_allowed)
        if k <= 0:
            return []
        rarity = self._size / n_allowed  # a filter keeping 1 item in 5: 5
        fetch = k if allowed is None else min(_MOST_FETCHED, self._size, int(2 * k * rarity) + 1)
        # deeper queries scan more cells: recall@60 and filtered recall@5 then stay near plain recall@5
        depth = float(np.sqrt(max(1.0, k / 5) * rarity))
        ids, scores = approximate.search(query, fetch, depth)
        if allowed is not None:
            keep = allowed[[self._row_of[int(i)] for i in ids]] if len(ids) else np.zeros(0, bool)
            ids, scores = ids[keep], scores[keep]
        if len(ids) < k:
            return None
        return [Neighbour(int(i), float(max(0.0, 1.0 - s))) for i, s in zip(ids[:k], scores[:k], strict=True)]

    def search_many(self, queries: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """Ids and distances (each (n_queries, k), nearest first) for many queries at once (always exact)."""
        queries = np.asarray(queries, dtype=np.float32).reshape(-1, self.dim)
        scores = queries @ self._vectors[: self._size].T
        k = min(k, self._size)
        if k == 0:
            return np.zeros((len(queries), 0), np.int64), np.zeros((len(queries), 0), np.float32)
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        part_scores = np.take_along_axis(scores, part, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        rows = np.take_along_axis(part, order, axis=1)
        best = np.take_along_axis(part_scores, order, axis=1)
        return self._ids[rows], np.maximum(0.0, 1.0 - best).astype(np.float32)

    def _allowed(
        self, group: str | None, category: str | None, exclude: Iterable[int], kind: str | None = None
    ) -> np.ndarray | None:
        n = self._size
        allowed: np.ndarray | None = None
        for value, labels, codes in (
            (group, self._group_labels, self._groups),
            (category, self._category_labels, self._categories),
            (kind, self._kind_labels, self._kinds),
        ):
            if value is None:
                continue
            code = labels.find(value)
            match = codes[:n] == code if code is not None else np.zeros(n, dtype=bool)
            allowed = match if allowed is None else allowed & match
        rows = [self._row_of[i] for i in exclude if i in self._row_of]
        if rows:
            allowed = np.ones(n, dtype=bool) if allowed is None else allowed.copy()
            allowed[rows] = False
        return allowed

    def _top(self, scores: np.ndarray, k: int, rows_of: np.ndarray | None = None) -> list[Neighbour]:
        """The ``k`` best of ``scores`` (one per row, or per row of ``rows_of``), best first."""
        finite = int(np.isfinite(scores).sum()) if np.isinf(scores).any() else len(scores)
        k = min(k, finite)
        if k <= 0:
            return []
        if k < len(scores):
            rows = np.argpartition(-scores, k - 1)[:k]
        else:
            rows = np.arange(len(scores))
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        stored = rows if rows_of is None else rows_of[rows]
        return [
            Neighbour(int(self._ids[s]), float(max(0.0, 1.0 - scores[r]))) for r, s in zip(rows, stored, strict=True)
        ]

    def _reserve(self, size: int) -> None:
        capacity = len(self._ids)
        if size <= capacity:
            return
        new = max(size, 2 * capacity)
        vectors = np.zeros((new, self.dim), dtype=np.float32)
        vectors[: self._size] = self._vectors[: self._size]
        self._vectors = vectors
        for name, fill in (("_ids", 0), ("_groups", _NO_LABEL), ("_categories", _NO_LABEL), ("_kinds", _NO_LABEL)):
            old = getattr(self, name)
            grown = np.full(new, fill, dtype=old.dtype)
            grown[: self._size] = old[: self._size]
            setattr(self, name, grown)
