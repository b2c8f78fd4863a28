"""Tests of the nearest-neighbour index: add, remove, restrict, exact order."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from wardrobe_app.search import VectorIndex


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def data() -> np.ndarray:
    return _unit(np.random.default_rng(0).standard_normal((200, 16)))


def _brute(data: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(ids[i]) for i in np.argsort(-(data @ query), kind="stable")[:k]]


def test_search_matches_brute_force_and_finds_itself_first(data: np.ndarray) -> None:
    index = VectorIndex(16, capacity=4)  # grows as needed
    ids = np.arange(1000, 1200)
    index.add(ids, data)
    assert len(index) == 200
    for row in (0, 57, 199):
        found = index.search(data[row], k=5)
        assert [n.id for n in found] == _brute(data, ids, data[row], 5)
        assert found[0].id == ids[row] and found[0].distance == pytest.approx(0.0, abs=1e-5)
        assert all(a.distance <= b.distance for a, b in itertools.pairwise(found))


def test_remove_keeps_the_rest_searchable(data: np.ndarray) -> None:
    index = VectorIndex(16)
    index.add(range(200), data)
    assert index.remove([0, 5, 199, 12345]) == 3
    assert len(index) == 197 and 5 not in index and 6 in index
    assert index.search(data[5], k=1)[0].id != 5
    for row in (1, 198, 100):  # moved rows still point at their own vectors
        assert index.search(data[row], k=1)[0].id == row
        assert np.allclose(index.vector(row), data[row])
    kept = [i for i in range(200) if i not in (0, 5, 199)]
    assert sorted(index.ids.tolist()) == kept


def test_add_replaces_an_existing_id(data: np.ndarray) -> None:
    index = VectorIndex(16)
    index.add([1, 2], data[:2])
    index.add([1], data[10:11])
    assert len(index) == 2
    assert index.search(data[10], k=1)[0].id == 1


def test_restrict_to_group_category_and_exclude(data: np.ndarray) -> None:
    index = VectorIndex(16)
    groups = ["top" if i % 2 else "middle" for i in range(200)]
    categories = ["shirt" if i % 4 == 1 else None for i in range(200)]
    index.add(range(200), data, groups, categories)
    tops = index.search(data[0], k=10, group="top")
    assert len(tops) == 10 and all(n.id % 2 == 1 for n in tops)
    shirts = index.search(data[0], k=100, category="shirt")
    assert len(shirts) == 50 and all(n.id % 4 == 1 for n in shirts)
    assert index.search(data[0], k=5, group="shoes") == []
    assert index.search(data[0], k=3, group="top", category="shirt")[0].id % 4 == 1
    assert 0 not in [n.id for n in index.search(data[0], k=5, exclude=[0])]
    index.set_labels(0, "top", None)
    assert index.search(data[0], k=1, group="top")[0].id == 0


def test_search_many_agrees_with_search(data: np.ndarray) -> None:
    index = VectorIndex(16)
    index.add(range(200), data)
    ids, distances = index.search_many(data[:7], k=4)
    for row in range(7):
        single = index.search(data[row], k=4)
        assert ids[row].tolist() == [n.id for n in single]
        assert np.allclose(distances[row], [n.distance for n in single], atol=1e-5)


def test_small_and_empty_indexes() -> None:
    index = VectorIndex(4)
    assert index.search(np.ones(4) / 2, k=5) == []
    index.add([7], np.array([[1.0, 0, 0, 0]]))
    assert [n.id for n in index.search(np.array([0, 1.0, 0, 0]), k=5)] == [7]
    index.clear()
    assert len(index) == 0


def test_a_shop_kind_filter_follows_adds_relabels_and_removes() -> None:
    index = VectorIndex(3)
    vectors = np.eye(3, dtype=np.float32)
    index.add(
        [1, 2, 3], vectors, ["top", "top", "bottom"], ["t-shirt", "t-shirt", "sneakers"], ["Tops", "Tshirts", None]
    )
    query = np.array([0.0, 0.6, 0.8], np.float32)
    assert [n.id for n in index.search(query, 5, kind="Tshirts")] == [2]
    assert [n.id for n in index.search(query, 5, kind="Unknown")] == []
    index.set_labels(3, "bottom", "sneakers", "Tshirts")
    assert [n.id for n in index.search(query, 5, kind="Tshirts")] == [3, 2]
    index.remove([1])  # the last row moves into the hole, with its kind
    assert [n.id for n in index.search(query, 5, kind="Tshirts")] == [3, 2]
    assert [n.id for n in index.search(query, 5, kind="Tops")] == []
