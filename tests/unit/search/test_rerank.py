"""The kind belief and the rerank: an unsure classifier never picks the shelf alone."""

from __future__ import annotations

import numpy as np

from wardrobe_app.search.rerank import KindWeights, category_fit, kind_belief, rerank


def test_a_sure_classifier_brings_its_kind_first() -> None:
    distances = np.array([0.10, 0.12, 0.30, 0.31])
    categories = ["dress", "dress", "t-shirt", "t-shirt"]
    groups = ["full", "full", "top", "top"]
    belief = kind_belief(categories, distances, {"t-shirt": 0.97, "shirt": 0.02}, KindWeights())
    order = rerank(distances, categories, groups, belief, KindWeights())
    assert [categories[i] for i in order[:2]] == ["t-shirt", "t-shirt"]


def test_an_unsure_classifier_leaves_the_shelf_to_the_neighbours() -> None:
    """A t-shirt worn by a model, read as a dress at 40 %: the nearest products, all t-shirts, win."""
    distances = np.array([0.08, 0.09, 0.10, 0.11, 0.12, 0.35, 0.36])
    categories = ["t-shirt"] * 5 + ["dress"] * 2
    groups = ["top"] * 5 + ["full"] * 2
    belief = kind_belief(categories, distances, {"dress": 0.4, "t-shirt": 0.35, "top": 0.25}, KindWeights())
    assert belief["t-shirt"] > belief["dress"]
    order = rerank(distances, categories, groups, belief, KindWeights())
    assert all(categories[i] == "t-shirt" for i in order[:5])


def test_without_any_word_the_order_is_the_distance() -> None:
    distances = np.array([0.3, 0.1, 0.2])
    order = rerank(distances, [None, None, None], [None, None, None], {}, KindWeights())
    assert list(order) == [1, 2, 0]


def test_a_broad_guess_half_fits_the_finer_kinds() -> None:
    assert category_fit("jeans", {"pants": 1.0}) == 0.5
    assert category_fit("pants", {"jeans": 0.8}) == 0.4
    assert category_fit("sneakers", {"sneakers": 0.6, "shoes": 0.4}) == 0.8
    assert category_fit("dress", {"pants": 1.0}) == 0.0
