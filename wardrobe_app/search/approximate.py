"""An approximate nearest-neighbour index for big collections: FAISS IVF-Flat on inner products.

Exact matrix products stay the default (``VectorIndex``); from ``APPROXIMATE_FROM`` vectors on, a
query scans only the ``nprobe`` k-means cells nearest to it. Vectors are stored unquantised, so the
distances of what it finds are exact; only an item in an unscanned cell can be missed
(benchmarks/search_speed.py reports recall@5 against exact search). FAISS is imported lazily.

A saved index holds only what is costly to compute: the k-means centroids and each id's cell (the
vectors themselves come from the database), with a JSON sidecar holding its sha256, the ids' digest
and a fingerprint of the vectors. ``load`` trusts none of it blindly: any mismatch with the vectors
in memory (or a damaged file) returns None, and the caller rebuilds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

#: From this many vectors on, queries go through the approximate index (benchmarks/search_speed.py:
#: below it the exact product answers in about 2 ms or less and needs no training).
APPROXIMATE_FROM = 20_000
#: Share of the k-means cells a query for 5 neighbours scans (at least MIN_PROBES): recall@5 about 0.99
#: on realistic vectors (benchmarks/search_speed.py); deeper queries scan more (``ApproximateIndex.search``).
PROBE_SHARE = 1 / 64
MIN_PROBES = 8
#: The cells are retrained when the collection has grown this much since they were trained.
RETRAIN_GROWTH = 2.0
#: Training vectors per cell (FAISS warns under 39) and the most used for training.
TRAIN_PER_CELL = 40
FORMAT = 1
_FINGERPRINT_SEED = 20261125


def cells_for(n: int) -> int:
    """Number of k-means cells for ``n`` vectors: about sqrt(n), at most 2048, each trained on 39+ vectors."""
    return int(max(1, min(2048, round(math.sqrt(max(n, 1))), n // 39)))


def probes_for(cells: int) -> int:
    return int(min(cells, max(MIN_PROBES, round(cells * PROBE_SHARE))))


def fingerprint(ids: np.ndarray, vectors: np.ndarray) -> tuple[str, float]:
    """(digest of the sorted ids, a random projection of every vector summed): what a saved index must match."""
    order = np.argsort(ids, kind="stable")
    digest = hashlib.sha256(np.ascontiguousarray(ids[order], dtype="<i8").tobytes()).hexdigest()
    direction = np.random.default_rng(_FINGERPRINT_SEED).standard_normal(vectors.shape[1], dtype=np.float32)
    weights = np.random.default_rng(_FINGERPRINT_SEED + 1).random(len(ids))  # so a swap of two rows shows
    projection = float(np.dot(weights, (vectors[order] @ direction).astype(np.float64))) if len(ids) else 0.0
    return digest, projection


class ApproximateIndex:
    """FAISS IVF-Flat over unit vectors keyed by int64 ids; adds and removes are incremental."""

    def __init__(self, faiss_index: Any, trained_for: int) -> None:
        self._index = faiss_index
        self.trained_for = trained_for
        self.nprobe = probes_for(int(faiss_index.nlist))

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, seed: int = 0) -> ApproximateIndex:
        """Train the cells on (a sample of) ``vectors`` and add them all."""
        faiss = _faiss()
        n, dim = vectors.shape
        cells = cells_for(n)
        quantiser = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantiser, dim, cells, faiss.METRIC_INNER_PRODUCT)
        index.own_fields = True
        quantiser.this.disown()  # the IVF index owns its quantiser from here on
        index.cp.seed = seed
        sample = np.random.default_rng(seed).permutation(n)[: TRAIN_PER_CELL * cells]
        index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # removes and reconstructs by id without scans
        approximate = cls(index, n)
        approximate.add(ids, vectors)
        return approximate

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def cells(self) -> int:
        return int(self._index.nlist)

    def needs_retraining(self) -> bool:
        return len(self) > RETRAIN_GROWTH * self.trained_for

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (their ids must not be in the index: remove a replaced id first)."""
        if len(ids):
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.ascontiguousarray(ids, dtype=np.int64)
            )

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        selector = _faiss().IDSelectorArray(len(ids), _faiss().swig_ptr(ids))
        return int(self._index.remove_ids(selector))

    def reconstruct(self, item_id: int) -> np.ndarray:
        return np.asarray(self._index.reconstruct(int(item_id)), dtype=np.float32)

    # -- search --------------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, depth: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(ids, inner products) of the ``k`` best, best first (fewer when the scanned cells hold fewer).

        ``depth`` scales the cells scanned: a query for more neighbours, or for a few of a filtered
        kind, must look further to find them all.
        """
        params = _faiss().SearchParametersIVF()
        params.nprobe = int(min(self.cells, max(1, round(self.nprobe * depth))))
        scores, ids = self._index.search(np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1), k, params=params)
        found = ids[0] >= 0
        return ids[0][found], scores[0][found]

    # -- persistence ---------------------------------------------------------------------------
    def cells_of(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, the cell of each): with the centroids, all a saved index needs besides the vectors."""
        faiss = _faiss()
        lists = self._index.invlists
        ids, cells = [], []
        for cell in range(self.cells):
            size = int(lists.list_size(cell))
            if size:
                ids.append(np.array(faiss.rev_swig_ptr(lists.get_ids(cell), size), dtype=np.int64))
                cells.append(np.full(size, cell, np.int64))
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(ids), np.concatenate(cells)

    def save(self, path: Path, ids: np.ndarray, vectors: np.ndarray, about: dict[str, Any]) -> None:
        """Save what is costly to compute, atomically and private (0600): the k-means centroids and the
        cell of every id (kilobytes per thousand items), never a second copy of the vectors, which the
        database holds; ``ids``/``vectors`` are the contents, fingerprinted so a stale file shows."""
        held_ids, cells = self.cells_of()
        centroids = self._index.quantizer.reconstruct_n(0, self.cells)
        digest, projection = fingerprint(ids, vectors)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, centroids=centroids, ids=held_ids, cells=cells)
            os.chmod(tmp, 0o600)
            sidecar = {
                "format": FORMAT,
                "kind": "IVF-Flat, inner product: centroids and cells",
                "file_sha256": _sha256_file(Path(tmp)),
                "count": len(ids),
                "dim": int(vectors.shape[1]),
                "ids_sha256": digest,
                "projection": projection,
                "trained_for": self.trained_for,
                **about,
            }
            _write_private(_sidecar(path), json.dumps(sidecar, indent=1))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: Path, ids: np.ndarray, vectors: np.ndarray, about: dict[str, Any]) -> ApproximateIndex | None:
        """The saved index refilled with ``ids``/``vectors`` if it was saved for exactly these; else None (rebuild).

        Checked: the sidecar (format, collection, count, the ids' digest, the vectors' fingerprint), the
        file's sha256, its arrays' shapes and ranges, that it assigns every id once, and that a sample of
        vectors really lies in the cell of its nearest centroid.
        """
        try:
            meta = json.loads(_read_sidecar(_sidecar(path)))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                return None
            if any(meta.get(key) != value for key, value in about.items()):
                return None
            n, dim = vectors.shape
            if meta.get("count") != n or meta.get("dim") != dim:
                return None
            digest, projection = fingerprint(ids, vectors)
            if meta.get("ids_sha256") != digest or not math.isclose(
                float(meta.get("projection", math.nan)), projection, rel_tol=1e-5, abs_tol=1e-3
            ):
                return None
            if path.is_symlink() or not path.is_file() or _sha256_file(path) != meta.get("file_sha256"):
                return None
            with np.load(path, allow_pickle=False) as saved:
                centroids, held_ids, cells = (np.asarray(saved[key]) for key in ("centroids", "ids", "cells"))
            return cls._refill(centroids, held_ids, cells, ids, vectors, int(meta.get("trained_for") or n))
        except (OSError, ValueError, KeyError, RuntimeError, TypeError, zipfile.BadZipFile) as error:
            log.warning("the saved search index %s is unusable (%s): rebuilding it", path.name, error)
            return None

    @classmethod
    def _refill(
        cls,
        centroids: np.ndarray,
        held_ids: np.ndarray,
        cells: np.ndarray,
        ids: np.ndarray,
        vectors: np.ndarray,
        trained_for: int,
        checks: int = 64,
    ) -> ApproximateIndex | None:
        n, dim = vectors.shape
        if centroids.ndim != 2 or centroids.shape[1] != dim or not 1 <= len(centroids) <= 1 << 16:
            return None
        if held_ids.shape != (n,) or cells.shape != (n,) or not np.all(np.isfinite(centroids)):
            return None
        if (
            held_ids.dtype != np.int64
            or cells.dtype != np.int64
            or (n and not 0 <= cells.min() <= cells.max() < len(centroids))
        ):
            return None
        order = np.argsort(held_ids, kind="stable")
        if not np.array_equal(held_ids[order], np.sort(ids)):  # every id exactly once
            return None
        row_of = np.argsort(ids, kind="stable")  # row of each sorted id in ``vectors``
        rows = np.empty(n, np.int64)
        rows[order] = row_of  # rows[i]: the row of held_ids[i]
        faiss = _faiss()
        quantiser = faiss.IndexFlatIP(dim)
        quantiser.add(np.ascontiguousarray(centroids, dtype=np.float32))
        sample = np.random.default_rng().choice(n, size=min(checks, n), replace=False) if n else np.zeros(0, np.int64)
        if len(sample):
            _, nearest = quantiser.search(np.ascontiguousarray(vectors[rows[sample]]), 1)
            if not np.array_equal(nearest[:, 0], cells[sample]):
                return None
        index = faiss.IndexIVFFlat(quantiser, dim, len(centroids), faiss.METRIC_INNER_PRODUCT)
        index.own_fields = True
        quantiser.this.disown()
        index.is_trained = True
        index.set_direct_map_type(faiss.DirectMap.Hashtable)
        if n:
            x = np.ascontiguousarray(vectors[rows], dtype=np.float32)
            xids = np.ascontiguousarray(held_ids)
            assign = np.ascontiguousarray(cells)
            index.add_core(n, faiss.swig_ptr(x), faiss.swig_ptr(xids), faiss.swig_ptr(assign))
        return cls(index, trained_for)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


#: A sidecar bigger than this is damaged (the app writes a few hundred bytes): it is not read.
MAX_SIDECAR_BYTES = 64 * 1024


def _read_sidecar(path: Path) -> str:
    """The sidecar's text, or ValueError when it is a link, not a plain file (a FIFO would hang) or too big."""
    status = path.lstat()
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_SIDECAR_BYTES:
        raise ValueError("the sidecar is a link, not a plain file, or too big")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        raise ValueError("the sidecar is too big")
    return data.decode("utf-8")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_private(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _faiss() -> Any:
    import faiss

    return faiss
