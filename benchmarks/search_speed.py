"""Query time and recall of the similar-item index: exact matrix product vs the approximate IVF-Flat index.

    python benchmarks/search_speed.py [--sizes 44000 1000000] [--queries 200] [--noise 0.3]
        [--features /work/cache/shop/features_garment_classifier_1_0_0_691.npz] [--sweep] [--sklearn] [--db]

Vectors are realistic, not uniform: real product embeddings (the classifier's pooled features and the
HSV histograms of a product-photo set, saved by benchmarks/shop_quality.py) mixed two at a time
(weight ~ Beta(1, 3)) and multiplied by log-normal noise (sigma ``--noise``), then combined as a
catalogue combines them (search/embedding.py, colour weight 0.1). Queries are drawn the same way.

For each size it prints the median time of one query (k=5) for exact search and for the approximate
index, recall@5 (and @60, the pool shop search reranks) of the approximate index against exact, the
same with a group filter, and the time to build, save and load-and-check the approximate index.
``--sweep`` times both at smaller sizes (where the switch-over ``APPROXIMATE_FROM`` comes from);
``--sklearn`` adds scikit-learn's searchers; ``--db`` times building the index from a closet database,
and a shop search through SimilarSearch.search_by_kind over a catalogue of that size with 25 shop kinds
(the first query also learns the catalogue's kinds: search/kinds.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wardrobe_app.search import EmbeddingSpec, VectorIndex, combine_many  # noqa: E402
from wardrobe_app.search.approximate import APPROXIMATE_FROM, ApproximateIndex  # noqa: E402

GROUPS = ("top", "middle", "bottom", "full", "accessory")
FEATURES = Path("/work/cache/shop/features_garment_classifier_1_0_0_691.npz")
SPEC = EmbeddingSpec(colour_weight=0.1)  # as a catalogue weighs them (services/similar.py)


def timed(fn: Callable[[int], object], n: int) -> float:
    """Median milliseconds of ``fn(i)`` over ``n`` calls (after two warm-up calls)."""
    fn(0)
    fn(1)
    times = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - started)
    return 1000 * float(np.median(times))


class Realistic:
    """Embeddings drawn around real ones: mixtures of two products, with multiplicative noise."""

    def __init__(self, features: Path, noise: float, seed: int = 0) -> None:
        if features.is_file():
            saved = np.load(features)
            self.cnn, self.hist = saved["cnn"].astype(np.float32), saved["hist"].astype(np.float32)
            self.source = f"{len(self.cnn)} real product embeddings ({features.name})"
        else:  # no product set at hand: sparse ReLU-like features and peaked histograms
            rng = np.random.default_rng(seed + 1)
            self.cnn = np.maximum(rng.standard_normal((700, 512), dtype=np.float32), 0) ** 2
            self.hist = rng.dirichlet(np.full(108, 0.2), size=700).astype(np.float32)
            self.source = f"700 synthetic bases ({features} not found)"
        self.noise = noise
        self.rng = np.random.default_rng(seed)

    def draw(self, n: int, chunk: int = 100_000) -> np.ndarray:
        out = np.empty((n, SPEC.dim), np.float32)
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            i, j = self.rng.integers(0, len(self.cnn), m), self.rng.integers(0, len(self.cnn), m)
            a = self.rng.beta(1.0, 3.0, m).astype(np.float32)[:, None]
            cnn = ((1 - a) * self.cnn[i] + a * self.cnn[j]) * self.rng.lognormal(0, self.noise, (m, 512)).astype(
                np.float32
            )
            hist = ((1 - a) * self.hist[i] + a * self.hist[j]) * self.rng.lognormal(0, self.noise, (m, 108)).astype(
                np.float32
            )
            out[start : start + m] = combine_many(cnn, hist / hist.sum(1, keepdims=True), SPEC)
        return out


def recall(found: list[list[int]], truth: list[list[int]]) -> float:
    return float(np.mean([len(set(f) & set(t)) / max(1, len(t)) for f, t in zip(found, truth, strict=True)]))


def exact_top(exact: VectorIndex, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> list[list[int]]:
    """The exact ``k`` best ids per query (matrix products over all queries at once, in chunks)."""
    out: list[list[int]] = []
    for start in range(0, len(queries), 25):
        scores = queries[start : start + 25] @ exact.vectors.T
        if allowed is not None:
            scores[:, ~allowed] = -np.inf
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
        out += [[int(i) for i in exact.ids[row]] for row in np.take_along_axis(best, order, axis=1)]
    return out


def measure(n: int, queries: np.ndarray, make: Realistic, sklearn: bool) -> None:
    vectors = make.draw(n)
    ids = np.arange(n, dtype=np.int64) + 1
    groups = [GROUPS[i % len(GROUPS)] for i in range(n)]
    exact = VectorIndex(SPEC.dim, approximate_from=None)
    exact.add(ids, vectors, groups)
    fast = VectorIndex(SPEC.dim, approximate_from=1)
    fast.add(ids, vectors, groups)
    del vectors
    started = time.perf_counter()
    approximate = fast.build_approximate()
    build = time.perf_counter() - started
    print(
        f"{n} vectors x {SPEC.dim} float32 ({n * SPEC.dim * 4 / 2**20:.0f} MiB); approximate: IVF-Flat, "
        f"{approximate.cells} cells, {approximate.nprobe} scanned per query; built in {build:.1f} s"
    )
    nq = len(queries)
    n_exact = nq if n <= 100_000 else min(nq, 40)
    for label, kw in (("", {}), ("group='top'", {"group": "top"})):
        exact_ms = timed(lambda i, kw=kw: exact.search(queries[i], 5, **kw), n_exact)  # type: ignore[misc]
        fast_ms = timed(lambda i, kw=kw: fast.search(queries[i], 5, **kw), nq)  # type: ignore[misc]
        recalls = []
        allowed = np.array([g == kw["group"] for g in groups]) if kw else None
        for k in (5, 60):
            truth = exact_top(exact, queries, k, allowed)
            found = [[x.id for x in fast.search(q, k, **kw)] for q in queries]  # type: ignore[arg-type]
            recalls.append(recall(found, truth))
        print(
            f"  {label or 'any item':<12} exact {exact_ms:7.2f} ms   approximate {fast_ms:6.2f} ms   "
            f"recall@5 {recalls[0]:.3f}  recall@60 {recalls[1]:.3f}   (median of {n_exact} / {nq} queries)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.faiss"
        started = time.perf_counter()
        approximate.save(path, fast.ids, fast.vectors, {"collection": 2})
        saved = time.perf_counter() - started
        started = time.perf_counter()
        loaded = ApproximateIndex.load(path, fast.ids, fast.vectors, {"collection": 2})
        load = time.perf_counter() - started
        print(f"  save {saved:.2f} s ({path.stat().st_size / 2**20:.0f} MiB), load and check {load:.2f} s: ", end="")
        print("accepted" if loaded is not None else "REFUSED")
    again = np.stack([exact.vector(int(i)) for i in ids[::100]])
    started = time.perf_counter()
    fast.remove(ids[::100])
    fast.add(ids[::100], again, groups[::100])
    print(
        f"  remove + re-add 1% of the items (both indexes kept in step) {1000 * (time.perf_counter() - started):.0f} ms"
    )
    if sklearn:
        compare_sklearn(exact, queries)


def compare_sklearn(exact: VectorIndex, queries: np.ndarray) -> None:
    from sklearn.neighbors import NearestNeighbors

    for algorithm in ("brute", "ball_tree"):
        started = time.perf_counter()
        nn = NearestNeighbors(n_neighbors=5, algorithm=algorithm).fit(exact.vectors)
        build = 1000 * (time.perf_counter() - started)
        query_ms = timed(lambda i, nn=nn: nn.kneighbors(queries[i : i + 1], 5), 20)
        print(f"  sklearn {algorithm:<9} {query_ms:8.2f} ms   (build {build:.0f} ms)")


def sweep(make: Realistic, queries: np.ndarray) -> None:
    print(f"switch-over (APPROXIMATE_FROM = {APPROXIMATE_FROM}): median ms per query, exact vs approximate")
    for n in (2_000, 5_000, 10_000, 20_000, 44_000):
        vectors = make.draw(n)
        exact = VectorIndex(SPEC.dim, approximate_from=None)
        exact.add(np.arange(n), vectors)
        fast = VectorIndex(SPEC.dim, approximate_from=1)
        fast.add(np.arange(n), vectors)
        started = time.perf_counter()
        fast.build_approximate()
        build = time.perf_counter() - started
        e = timed(lambda i, ix=exact: ix.search(queries[i], 5), len(queries))
        a = timed(lambda i, ix=fast: ix.search(queries[i], 5), len(queries))
        truth = exact_top(exact, queries, 5, None)
        found = [[x.id for x in fast.search(q, 5)] for q in queries]
        print(
            f"  {n:>7}: exact {e:6.2f}  approximate {a:6.2f}  recall@5 {recall(found, truth):.3f}  build {build:.2f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[44_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--noise", type=float, default=0.3)
    parser.add_argument("--features", type=Path, default=FEATURES)
    parser.add_argument("--sweep", action="store_true", help="also time both at 2k-44k items")
    parser.add_argument("--sklearn", action="store_true", help="also time scikit-learn's searchers")
    parser.add_argument("--db", action="store_true", help="also time building the index from a database")
    args = parser.parse_args()
    make = Realistic(args.features, args.noise)
    queries = make.draw(args.queries)
    print(f"vectors around {make.source}, noise sigma {args.noise}; k=5, one query at a time")
    if args.sweep:
        sweep(make, queries[:100])
    for n in args.sizes:
        measure(n, queries, make, args.sklearn)
    if args.db:
        time_database(min(args.sizes), make)
        time_catalogue(min(args.sizes), make)
    return 0


def store_rows(
    session: Any, collection_id: int, fields: list[dict[str, Any]], cnn: np.ndarray, hist: np.ndarray, now: datetime
) -> None:
    """Insert one item per ``fields`` entry (ids 1..n) with its CNN and colour vectors, as the app stores them."""
    from sqlalchemy import insert

    from wardrobe_app.db.tables import ItemFeatureRow, ItemRow

    session.execute(
        insert(ItemRow),
        [
            {
                "id": i + 1,
                "collection_id": collection_id,
                "content_hash": f"{i:064x}",
                "photo_path": f"photos/{i}.jpg",
                "category": "t-shirt",
                "added_at": now,
                "archived": False,
                **extra,
            }
            for i, extra in enumerate(fields)
        ],
    )
    session.execute(
        insert(ItemFeatureRow),
        [
            {"item_id": i + 1, "kind": kind, "version": version, "dim": vec.size, "vector": vec.tobytes()}
            for i in range(len(fields))
            for kind, version, vec in (("cnn", "bench", cnn[i]), ("colour_hist", "hsv-12x3x3", hist[i]))
        ],
    )


def time_database(n: int, make: Realistic) -> None:
    """Store ``n`` items in a temp closet; time the lazy index build and the sync check."""

    from wardrobe_app.services.similar import SimilarSearch
    from wardrobe_app.services.wardrobe import Wardrobe

    rng = np.random.default_rng(1)
    cnn = make.cnn[rng.integers(0, len(make.cnn), n)]
    hist = make.hist[rng.integers(0, len(make.hist), n)]
    with tempfile.TemporaryDirectory() as tmp:
        wardrobe = Wardrobe.open(Path(tmp), classifier="none")
        now = datetime(2026, 1, 1)
        with wardrobe.sessions.begin() as session:
            store_rows(session, 1, [{"group": GROUPS[i % len(GROUPS)]} for i in range(n)], cnn, hist, now)
        search = SimilarSearch(wardrobe.sessions, wardrobe.data_dir, lambda: None)
        for attempt in ("first (reads the database, builds and saves)", "new process (loads the saved index)"):
            search.invalidate()
            started = time.perf_counter()
            search.index(1, "bench")
            print(f"  index from the database, {attempt}: {1000 * (time.perf_counter() - started):8.0f} ms")
        print(f"  sync check before each query      {timed(lambda i: search.index(1, 'bench'), 20):8.1f} ms")
        query = combine_many(cnn[7:8], hist[7:8], EmbeddingSpec())[0]
        started = time.perf_counter()
        found = search.search(query, "bench", 1, "closet", 5)
        print(
            f"  Wardrobe-level search (sync + top-5 + 5 items read) "
            f"{1000 * (time.perf_counter() - started):.1f} ms; first hit id {found[0][0].id}"
        )
        wardrobe.close()


def time_catalogue(n: int, make: Realistic, kinds: int = 25) -> None:
    """A catalogue of ``n`` products with ``kinds`` shop kinds: time the kind search as shop_for runs it."""

    from wardrobe_app.db.tables import CollectionRow
    from wardrobe_app.services.similar import SimilarSearch
    from wardrobe_app.services.wardrobe import Wardrobe

    rng = np.random.default_rng(2)
    source = rng.integers(0, len(make.cnn), n)
    cnn = make.cnn[source] * rng.lognormal(0, make.noise, (n, 512)).astype(np.float32)
    hist = make.hist[source]
    with tempfile.TemporaryDirectory() as tmp:
        wardrobe = Wardrobe.open(Path(tmp), classifier="none")
        now = datetime(2026, 1, 1)
        with wardrobe.sessions.begin() as session:
            session.add(CollectionRow(id=2, name="shop", kind="catalogue", source=None, created_at=now))
            session.flush()
            fields = [{"group": GROUPS[int(s) % len(GROUPS)], "shop_kind": f"kind {int(s) % kinds}"} for s in source]
            store_rows(session, 2, fields, cnn, hist, now)
        search = SimilarSearch(wardrobe.sessions, wardrobe.data_dir, lambda: None)
        search.index(2, "bench")  # built (and its approximate index saved) as the first query would
        queries = combine_many(make.cnn[:50], make.hist[:50], EmbeddingSpec())
        started = time.perf_counter()
        search.search_by_kind(queries[0], "bench", 2, "shop", 5, None)
        print(f"  catalogue of {n} products, {kinds} shop kinds:")
        print(f"  first kind search (learns the kinds)  {1000 * (time.perf_counter() - started):8.1f} ms")
        per_query = timed(lambda i: search.search_by_kind(queries[i % 50], "bench", 2, "shop", 5, None), 50)
        print(f"  kind search (sync + probe + fetch + rerank + 5 items read) {per_query:8.1f} ms")
        wardrobe.close()


if __name__ == "__main__":
    raise SystemExit(main())
