"""Tests of the embedding: unit length, part weights, missing parts."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.search import EmbeddingSpec, cnn_part, colour_part, combine, combine_many


def _hist(bin_: int, dim: int = 108) -> np.ndarray:
    h = np.zeros(dim, np.float32)
    h[bin_] = 1.0
    return h


def test_embedding_is_a_unit_float32_vector() -> None:
    rng = np.random.default_rng(0)
    vec = combine(rng.random(512), rng.dirichlet(np.ones(108)))
    assert vec.dtype == np.float32 and vec.shape == (620,)
    assert np.linalg.norm(vec) == pytest.approx(1.0, abs=1e-5)


def test_dot_product_is_the_weighted_sum_of_part_cosines() -> None:
    rng = np.random.default_rng(1)
    spec = EmbeddingSpec(colour_weight=0.25)
    a_cnn, b_cnn = rng.random(512), rng.random(512)
    a_col, b_col = rng.dirichlet(np.ones(108)), rng.dirichlet(np.ones(108))
    a, b = combine(a_cnn, a_col, spec), combine(b_cnn, b_col, spec)
    cos_cnn = float(cnn_part(a_cnn)[0] @ cnn_part(b_cnn)[0])
    cos_col = float(colour_part(a_col)[0] @ colour_part(b_col)[0])
    assert float(a @ b) == pytest.approx(0.75 * cos_cnn + 0.25 * cos_col, abs=1e-5)


def test_weight_zero_ignores_colour_and_weight_one_ignores_shape() -> None:
    shape = np.ones(512)
    no_colour = EmbeddingSpec(colour_weight=0.0)
    assert np.allclose(combine(shape, _hist(0), no_colour), combine(shape, _hist(50), no_colour))
    only_colour = EmbeddingSpec(colour_weight=1.0)
    assert np.allclose(combine(shape, _hist(3), only_colour), combine(2 * shape + 1, _hist(3), only_colour))


def test_missing_part_is_zeros_and_wrong_sizes_are_refused() -> None:
    spec = EmbeddingSpec()
    rows = combine_many(None, np.stack([_hist(1), _hist(2)]), spec)
    assert rows.shape == (2, spec.dim) and not rows[:, :512].any()
    assert np.allclose(np.linalg.norm(rows, axis=1), np.sqrt(spec.colour_weight))
    with pytest.raises(ValueError):
        combine_many(np.ones((1, 100)), None, spec)
    with pytest.raises(ValueError):
        EmbeddingSpec(colour_weight=1.5)
