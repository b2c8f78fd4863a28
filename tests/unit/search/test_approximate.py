"""Tests of the approximate (FAISS IVF-Flat) index: exact on easy data, the size switch, saving and checking."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.search import VectorIndex
from wardrobe_app.search.approximate import ApproximateIndex, cells_for, probes_for

DIM = 32


def clustered(n: int, seed: int = 0, clusters: int = 20) -> np.ndarray:
    """Unit vectors in tight, well separated clusters: easy data, where approximate search must be exact."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, DIM))
    rows = centres[rng.integers(0, clusters, n)] + 0.05 * rng.standard_normal((n, DIM))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def ids_of(found: list) -> list[int]:  # type: ignore[type-arg]
    return [n.id for n in found]


def test_approximate_search_gives_the_exact_answer_on_easy_data() -> None:
    data, ids = clustered(3000), np.arange(3000) + 100
    groups = ["top" if i % 3 else "bottom" for i in range(3000)]
    fast, exact = VectorIndex(DIM, approximate_from=1000), VectorIndex(DIM, approximate_from=None)
    for index in (fast, exact):
        index.add(ids, data, groups)
    for row in range(0, 3000, 150):
        assert ids_of(fast.search(data[row], 5)) == ids_of(exact.search(data[row], 5))
        kw = {"group": "bottom", "exclude": [int(ids[row])]}
        assert ids_of(fast.search(data[row], 5, **kw)) == ids_of(exact.search(data[row], 5, **kw))  # type: ignore[arg-type]
    assert fast.approximate is not None and exact.approximate is None
    assert fast.approximate.nprobe < fast.approximate.cells  # it really skips cells
    found = fast.search(data[7], 3)
    assert found[0].id == ids[7] and found[0].distance == pytest.approx(0.0, abs=1e-5)


def test_a_rare_filter_falls_back_to_exact_over_the_allowed_items() -> None:
    data = clustered(2000, seed=1)
    categories = ["sock" if i in (5, 900, 1999) else "shirt" for i in range(2000)]
    index = VectorIndex(DIM, approximate_from=500)
    index.add(range(2000), data, categories=categories)
    assert sorted(ids_of(index.search(data[0], 5, category="sock"))) == [5, 900, 1999]


def test_the_size_switches_between_exact_and_approximate_with_hysteresis() -> None:
    data = clustered(1200, seed=2)
    index = VectorIndex(DIM, approximate_from=1000)
    index.add(range(999), data[:999])
    index.search(data[0], 5)
    assert index.approximate is None  # below the threshold: exact
    index.add(range(999, 1200), data[999:])
    index.search(data[0], 5)
    assert index.approximate is not None and len(index.approximate) == 1200
    index.remove(range(300))  # 900 left: still above half the threshold, kept and updated
    assert ids_of(index.search(data[0], 1)) != [0]
    assert index.approximate is not None and len(index.approximate) == 900
    index.remove(range(300, 800))  # 400 left: back to exact
    index.search(data[900], 5)
    assert index.approximate is None


def test_adds_removes_and_replacements_reach_the_approximate_index() -> None:
    data = clustered(1500, seed=3)
    index = VectorIndex(DIM, approximate_from=1000)
    index.add(range(1500), data)
    index.search(data[0], 5)
    index.remove([10])
    assert 10 not in ids_of(index.search(data[10], 5))
    index.add([11], data[20:21])  # item 11 now looks like item 20
    assert index.approximate is not None and len(index.approximate) == 1499
    assert set(ids_of(index.search(data[20], 2))) == {11, 20}


def _saved(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray, ApproximateIndex]:
    data, ids = clustered(1000, seed=4), np.arange(1000, dtype=np.int64) * 3
    approximate = ApproximateIndex.build(ids, data)
    path = tmp_path / "index.ivf"
    approximate.save(path, ids, data, {"collection": 2})
    return path, ids, data, approximate


def test_a_saved_index_is_private_and_loads_back_when_it_matches(tmp_path: Path) -> None:
    path, ids, data, _ = _saved(tmp_path)
    for saved in (path, path.with_name(path.name + ".json")):
        assert saved.stat().st_mode & 0o777 == 0o600
    loaded = ApproximateIndex.load(path, ids, data, {"collection": 2})
    assert loaded is not None and len(loaded) == 1000
    found, _ = loaded.search(data[5], 1)
    assert list(found) == [ids[5]]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_a_stale_saved_index_is_refused(tmp_path: Path) -> None:
    path, ids, data, _ = _saved(tmp_path)
    assert ApproximateIndex.load(path, ids, data, {"collection": 3}) is None  # another collection's
    assert ApproximateIndex.load(path, ids[:-1], data[:-1], {"collection": 2}) is None  # an item removed since
    other_ids = ids.copy()
    other_ids[0] = 1
    assert ApproximateIndex.load(path, other_ids, data, {"collection": 2}) is None  # an item replaced
    changed = data.copy()
    changed[[3, 4]] = changed[[4, 3]]  # two items' features swapped (say, a restore)
    assert ApproximateIndex.load(path, ids, changed, {"collection": 2}) is None


def _rewrite(path: Path, **arrays: np.ndarray) -> None:
    """Replace arrays in a saved index and make its sidecar's sha256 match again (a careful forgery)."""
    import hashlib
    import json

    with np.load(path) as saved:
        content = {key: saved[key] for key in saved.files}
    content.update(arrays)
    with path.open("wb") as handle:
        np.savez(handle, **content)
    sidecar = path.with_name(path.name + ".json")
    meta = json.loads(sidecar.read_text())
    meta["file_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    sidecar.write_text(json.dumps(meta))


def test_a_saved_index_holds_no_copy_of_the_vectors(tmp_path: Path) -> None:
    path, _, data, _ = _saved(tmp_path)
    assert path.stat().st_size < data.nbytes / 4


@pytest.mark.parametrize(
    "forged",
    [
        {"cells": "shuffled"},  # ids in the wrong cells
        {"ids": "one twice"},
        {"centroids": "wrong shape"},
        {"cells": "out of range"},
    ],
)
def test_a_forged_saved_index_with_a_matching_checksum_is_refused(tmp_path: Path, forged: dict[str, str]) -> None:
    path, ids, data, _ = _saved(tmp_path)
    with np.load(path) as saved:
        cells, held, centroids = saved["cells"], saved["ids"], saved["centroids"]
    change = {
        "shuffled": lambda: {"cells": np.random.default_rng(0).permutation(cells)},
        "one twice": lambda: {"ids": np.concatenate([held[:1], held[:-1]])},
        "wrong shape": lambda: {"centroids": centroids[:, :-1]},
        "out of range": lambda: {"cells": cells + len(centroids)},
    }[next(iter(forged.values()))]()
    _rewrite(path, **change)
    assert ApproximateIndex.load(path, ids, data, {"collection": 2}) is None


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage with a matching sidecar", "sidecar", "missing"])
def test_a_damaged_saved_index_is_refused_not_a_crash(tmp_path: Path, damage: str) -> None:
    path, ids, data, _ = _saved(tmp_path)
    blob = bytearray(path.read_bytes())
    if damage == "flip":
        blob[len(blob) // 2] ^= 0xFF
        path.write_bytes(bytes(blob))
    elif damage == "truncate":
        path.write_bytes(bytes(blob[: len(blob) // 3]))
    elif damage == "garbage with a matching sidecar":
        sidecar = path.with_name(path.name + ".json")
        path.write_bytes(os.urandom(4096))
        import hashlib
        import json

        meta = json.loads(sidecar.read_text())
        meta["file_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        sidecar.write_text(json.dumps(meta))
    elif damage == "sidecar":
        path.with_name(path.name + ".json").write_text("{not json")
    else:
        path.unlink()
    assert ApproximateIndex.load(path, ids, data, {"collection": 2}) is None


def test_cells_and_probes_fit_the_size() -> None:
    assert cells_for(5) == 1 and probes_for(1) == 1  # tiny: one cell, searched whole (exact)
    assert cells_for(44_000) == 210 and probes_for(210) == 8
    assert cells_for(1_000_000) == 1000 and probes_for(1000) == 16
