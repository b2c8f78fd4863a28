"""A catalogue's own kinds: the probe learns them, the neighbours vote without one, the likely kind comes first."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.search import VectorIndex
from wardrobe_app.search.kinds import CatalogueKinds, KindProbe, shop_kind_label
from wardrobe_app.search.rerank import KindWeights

DIM = 8


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / np.linalg.norm(v), np.float32)


def _clusters(rng: np.random.Generator, n: int, spread: float = 0.15) -> tuple[np.ndarray, list[str]]:
    """``n`` products each of three kinds, around the first three axes."""
    rows, labels = [], []
    for axis, kind in enumerate(("Tshirts", "Jeans", "Casual Shoes")):
        centre = np.zeros(DIM)
        centre[axis] = 1.0
        for _ in range(n):
            rows.append(_unit(centre + spread * rng.normal(size=DIM)))
            labels.append(kind)
    return np.array(rows), labels


def test_the_probe_learns_the_catalogues_kinds_and_is_as_sure_as_it_is_right() -> None:
    x, labels = _clusters(np.random.default_rng(0), 40, spread=0.5)  # overlapping kinds: about 85 % separable
    probe = KindProbe.fit(x, labels)
    assert probe is not None and set(probe.kinds) == {"Tshirts", "Jeans", "Casual Shoes"}
    fresh, truth = _clusters(np.random.default_rng(9), 200, spread=0.5)
    p = probe.probabilities(fresh)
    assert np.allclose(p.sum(axis=1), 1.0)
    right = np.mean(np.array(probe.kinds)[p.argmax(axis=1)] == np.array(truth))
    assert right > 0.75
    assert abs(float(p.max(axis=1).mean()) - right) < 0.1  # calibrated on the held-out half
    sure = probe.belief(np.eye(DIM)[1])
    between = probe.belief(_unit(np.eye(DIM)[0] + np.eye(DIM)[1]))
    assert max(sure, key=sure.__getitem__) == "Jeans" and sure["Jeans"] > 0.9
    assert max(between.values()) < 0.9  # halfway between two kinds: unsure


def test_the_probe_needs_two_kinds_of_labelled_products_with_features() -> None:
    x, labels = _clusters(np.random.default_rng(1), 5)
    assert KindProbe.fit(x, [None] * len(labels)) is None
    assert KindProbe.fit(x[:5], labels[:5]) is None  # one kind only
    one_jeans = [*labels[:5], "Jeans"]  # a kind with a single product is left out
    assert KindProbe.fit(x[:6], one_jeans) is None
    blank = x.copy()
    blank[5:] = 0.0  # only the t-shirts have CNN features (the rest imported without a classifier)
    assert KindProbe.fit(blank, labels) is None
    blank = x.copy()
    blank[10:] = 0.0  # the shoes have none
    probe = KindProbe.fit(blank, labels)
    assert probe is not None and probe.kinds == ("Jeans", "Tshirts")


def _catalogue(vectors: np.ndarray, kinds: list[str], groups: dict[str, str]) -> tuple[VectorIndex, dict]:
    index = VectorIndex(DIM)
    ids = list(range(100, 100 + len(vectors)))
    index.add(ids, vectors, [groups[k] for k in kinds], None, kinds)
    return index, {i: (groups[k], k) for i, k in zip(ids, kinds, strict=True)}


GROUPS = {"Tshirts": "top", "Dresses": "full", "Jeans": "middle", "Casual Shoes": "bottom"}


def test_without_a_probe_the_neighbours_vote_and_the_majority_kind_comes_first() -> None:
    """The single nearest product is a dress; the next four are t-shirts: t-shirts first, nearest first within."""
    query = _unit(np.array([1.0, 0, 0, 0, 0, 0, 0, 0]))
    angles = [0.30, 0.35, 0.38, 0.40, 0.42, 1.2, 1.3]
    kinds = ["Dresses", "Tshirts", "Tshirts", "Tshirts", "Tshirts", "Jeans", "Jeans"]
    vectors = np.array([_unit(np.array([np.cos(a), np.sin(a), 0, 0, 0, 0, 0, 0])) for a in angles])
    index, labels = _catalogue(vectors, kinds, GROUPS)
    kinds_of = CatalogueKinds(labels, GROUPS, None, cnn_dim=DIM)
    found = kinds_of.search(index, query, 5, KindWeights())
    assert [labels[n.id][1] for n in found[:4]] == ["Tshirts"] * 4
    assert [n.distance for n in found[:4]] == sorted(n.distance for n in found[:4])
    assert labels[found[4].id][1] == "Dresses"  # then the nearest of the rest
    plain = index.search(query, 5)
    assert {n.id: n.distance for n in found} == pytest.approx({n.id: n.distance for n in plain})  # plain distances


def test_the_probes_kind_is_fetched_even_beyond_the_nearest_products() -> None:
    """70 near dresses and 5 farther jeans; a probe sure the query is jeans brings the jeans (not in the top 60)."""
    rng = np.random.default_rng(2)
    near = [_unit(np.array([1.0, 0, 0, 0, 0, 0, 0, 0]) + 0.05 * rng.normal(size=DIM)) for _ in range(70)]
    far = [_unit(np.array([1.0, 1.0, 0, 0, 0, 0, 0, 0]) + 0.05 * rng.normal(size=DIM)) for _ in range(5)]
    kinds = ["Dresses"] * 70 + ["Jeans"] * 5
    index, labels = _catalogue(np.array(near + far), kinds, GROUPS)
    sure_of_jeans = KindProbe(
        ("Dresses", "Jeans"), np.zeros((DIM, 2), np.float32), np.array([0.0, 8.0], np.float32), 1.0
    )
    query = _unit(np.array([1.0, 0, 0, 0, 0, 0, 0, 0]))
    assert all(labels[n.id][1] == "Dresses" for n in index.search(query, 60))
    found = CatalogueKinds(labels, GROUPS, sure_of_jeans, cnn_dim=DIM).search(index, query, 5, KindWeights())
    assert [labels[n.id][1] for n in found] == ["Jeans"] * 5
    unsure = KindProbe(("Dresses", "Jeans"), np.zeros((DIM, 2), np.float32), np.zeros(2, np.float32), 1.0)
    found = CatalogueKinds(labels, GROUPS, unsure, cnn_dim=DIM).search(index, query, 5, KindWeights())
    assert [labels[n.id][1] for n in found] == ["Dresses"] * 5  # a coin toss: the look decides


def test_learn_fits_on_the_indexed_products_and_excludes_the_query_item() -> None:
    x, labels = _clusters(np.random.default_rng(3), 12)
    index, by_id = _catalogue(x, labels, GROUPS)
    kinds_of = CatalogueKinds.learn(index, by_id, cnn_dim=DIM)
    assert kinds_of.probe is not None and kinds_of.groups["Casual Shoes"] == "bottom"
    query_id = 100 + 12  # the first pair of jeans, as an item query
    found = kinds_of.search(index, x[12], 5, KindWeights(), exclude=[query_id])
    assert query_id not in [n.id for n in found]
    assert all(by_id[n.id][1] == "Jeans" for n in found)


def test_a_product_without_a_shop_kind_keeps_its_place_among_its_group() -> None:
    """A near-identical product the shop gave no kind (a blank cell, or imported before kinds were kept) is not
    pushed behind every product with a kind: it counts as an average kind of its group."""
    x, kinds = _clusters(np.random.default_rng(4), 12)
    index = VectorIndex(DIM)
    ids = list(range(100, 100 + len(x)))
    groups = [GROUPS[k] for k in kinds]
    twin = 999  # the query's own twin, in group "middle" but with no kind
    query = x[12]
    index.add([*ids, twin], np.vstack([x, query[None, :]]), [*groups, "middle"], None, [*kinds, None])
    labels = {i: (GROUPS[k], k) for i, k in zip(ids, kinds, strict=True)} | {twin: ("middle", None)}
    kinds_of = CatalogueKinds.learn(index, labels, cnn_dim=DIM)
    found = kinds_of.search(index, query, 5, KindWeights(), exclude=[112])
    assert twin in [n.id for n in found[:2]]
    assert all(labels[n.id][0] == "middle" for n in found)


def test_shop_kinds_compare_without_case_or_extra_spaces() -> None:
    assert shop_kind_label("Casual  Shoes ") == shop_kind_label("casual shoes") == "casual shoes"
    assert shop_kind_label(None) is None and shop_kind_label("   ") is None


def test_distances_among_the_candidates_weigh_colour_as_asked() -> None:
    """An index made with colour 0.1, searched with colour 0.5: the distances are those of embeddings made at 0.5."""
    from wardrobe_app.search import EmbeddingSpec, combine_many

    rng = np.random.default_rng(4)
    cnn = np.abs(rng.normal(size=(40, 512))).astype(np.float32)
    hist = rng.dirichlet(np.full(108, 0.3), size=40).astype(np.float32)
    indexed, wanted = EmbeddingSpec(colour_weight=0.1), EmbeddingSpec(colour_weight=0.5)
    vectors = combine_many(cnn, hist, indexed)
    kinds = ["Tshirts", "Jeans"] * 20
    index = VectorIndex(indexed.dim)
    index.add(range(40), vectors, None, None, kinds)
    labels = {i: ("top" if k == "Tshirts" else "middle", k) for i, k in enumerate(kinds)}
    catalogue = CatalogueKinds.learn(index, labels, indexed.cnn_dim, indexed.colour_weight)
    assert catalogue.probe is not None
    found = catalogue.search(index, vectors[0], 5, KindWeights(), exclude=[0], colour=0.5)
    at_half = combine_many(cnn, hist, wanted)
    for n in found:
        assert n.distance == pytest.approx(1.0 - float(at_half[0] @ at_half[n.id]), abs=1e-5)
