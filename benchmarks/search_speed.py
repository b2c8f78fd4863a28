"""Query time of the similar-item index at 50,000 items: brute-force matrix product vs scikit-learn.

    python benchmarks/search_speed.py [--items 50000] [--queries 200] [--db]

Synthetic non-negative unit vectors of the real layout (512 CNN + 108 colour values).
``--db`` also stores that many items in a temporary closet database and times building
the in-memory index from item_features and the per-query sync check.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np

from wardrobe_app.search import EmbeddingSpec, VectorIndex, combine_many

GROUPS = ("top", "middle", "bottom", "full", "accessory")


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


def synthetic(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(cnn, colour histogram) rows shaped like real ones: sparse ReLU features, L1 histograms."""
    cnn = np.maximum(rng.standard_normal((n, 512), dtype=np.float32), 0) ** 2
    hist = rng.dirichlet(np.full(108, 0.2), size=n).astype(np.float32)
    return cnn, hist


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", action="store_true", help="also time building the index from a database")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    spec = EmbeddingSpec()
    cnn, hist = synthetic(args.items, rng)
    vectors = combine_many(cnn, hist, spec)
    groups = [GROUPS[i % len(GROUPS)] for i in range(args.items)]
    qcnn, qhist = synthetic(args.queries, rng)
    queries = combine_many(qcnn, qhist, spec)
    print(
        f"{args.items} items x {spec.dim} float32 ({vectors.nbytes / 2**20:.0f} MiB), k=5, "
        f"median of {args.queries} single queries"
    )

    started = time.perf_counter()
    index = VectorIndex(spec.dim)
    index.add(np.arange(args.items), vectors, groups)
    print(f"  VectorIndex build (add all)       {1000 * (time.perf_counter() - started):8.1f} ms")
    print(f"  VectorIndex.search (matrix prod.) {timed(lambda i: index.search(queries[i], 5), args.queries):8.2f} ms")
    print(
        f"  ... restricted to one group       "
        f"{timed(lambda i: index.search(queries[i], 5, group='top'), args.queries):8.2f} ms"
    )
    print(
        f"  ... excluding the query item      "
        f"{timed(lambda i: index.search(queries[i], 5, exclude=[i]), args.queries):8.2f} ms"
    )
    started = time.perf_counter()
    index.remove(range(0, args.items, 100))
    index.add(np.arange(0, args.items, 100), vectors[::100], groups[::100])
    print(f"  remove + re-add 1% of the items   {1000 * (time.perf_counter() - started):8.1f} ms")

    from sklearn.neighbors import NearestNeighbors

    for algorithm, metric in (
        ("brute", "euclidean"),
        ("brute", "cosine"),
        ("ball_tree", "euclidean"),
        ("kd_tree", "euclidean"),
    ):
        started = time.perf_counter()
        nn = NearestNeighbors(n_neighbors=5, algorithm=algorithm, metric=metric).fit(vectors)
        build = 1000 * (time.perf_counter() - started)
        n = max(5, args.queries // (10 if algorithm != "brute" else 1))
        query_ms = timed(lambda i, nn=nn: nn.kneighbors(queries[i : i + 1], 5), n)
        print(f"  sklearn {algorithm:<9} {metric:<9}       {query_ms:8.2f} ms   (build {build:.0f} ms)")

    # exactness: the matrix product and sklearn agree
    ids, _ = index.search_many(queries[:20], 5)
    nn = NearestNeighbors(n_neighbors=5, algorithm="brute").fit(index.vectors)
    ref = index.ids[nn.kneighbors(queries[:20], 5, return_distance=False)]
    print(f"  top-5 identical to sklearn brute force: {np.mean(ids == ref):.3f}")
    if args.db:
        time_database(args.items, vectors, cnn, hist)
    return 0


def time_database(n: int, vectors: np.ndarray, cnn: np.ndarray, hist: np.ndarray) -> None:
    """Store ``n`` synthetic items in a temp closet; time the lazy index build and the sync check."""
    from sqlalchemy import insert

    from wardrobe_app.db.tables import ItemFeatureRow, ItemRow
    from wardrobe_app.services.similar import SimilarSearch
    from wardrobe_app.services.wardrobe import Wardrobe

    with tempfile.TemporaryDirectory() as tmp:
        wardrobe = Wardrobe.open(Path(tmp), classifier="none")
        now = datetime(2026, 1, 1)
        with wardrobe.sessions.begin() as session:
            session.execute(
                insert(ItemRow),
                [
                    {
                        "id": i + 1,
                        "collection_id": 1,
                        "content_hash": f"{i:064x}",
                        "photo_path": f"photos/{i}.jpg",
                        "category": "t-shirt",
                        "group": GROUPS[i % len(GROUPS)],
                        "added_at": now,
                        "archived": False,
                    }
                    for i in range(n)
                ],
            )
            session.execute(
                insert(ItemFeatureRow),
                [
                    {"item_id": i + 1, "kind": kind, "version": version, "dim": vec.size, "vector": vec.tobytes()}
                    for i in range(n)
                    for kind, version, vec in (("cnn", "bench", cnn[i]), ("colour_hist", "hsv-12x3x3", hist[i]))
                ],
            )
        search = SimilarSearch(wardrobe.sessions, wardrobe.data_dir, lambda: None)
        started = time.perf_counter()
        search.index(1, "bench")
        build_ms = 1000 * (time.perf_counter() - started)
        print(f"  index built from the database     {build_ms:8.0f} ms (once per process)")
        print(f"  sync check before each query      {timed(lambda i: search.index(1, 'bench'), 20):8.1f} ms")
        started = time.perf_counter()
        found = search.search(vectors[7], "bench", 1, "closet", 5)
        print(
            f"  Wardrobe-level search (sync + top-5 + 5 items read) "
            f"{1000 * (time.perf_counter() - started):.1f} ms; first hit id {found[0][0].id}"
        )
        wardrobe.close()


if __name__ == "__main__":
    raise SystemExit(main())
