"""One item embedding from the classifier's pooled CNN features and the garment's HSV histogram.

Each part is made a unit vector (the CNN part after a signed square root, the colour
histogram by its square root: the Hellinger map) and the two are stacked with weights
``sqrt(1 - w)`` and ``sqrt(w)``. The result is a unit vector whose dot product with
another is ``(1 - w) * cos_cnn + w * cos_colour``, so ``1 - dot`` is a distance in [0, 1]
(for non-negative features) that weighs shape and colour exactly as ``w`` says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Share of the colour histogram in the distance, chosen by benchmarks/similar_quality.py.
DEFAULT_COLOUR_WEIGHT = 0.5
#: Exponent applied to the CNN features before normalising (power normalisation).
DEFAULT_CNN_POWER = 0.5


@dataclass(frozen=True)
class EmbeddingSpec:
    """How the two parts are combined; ``cnn_dim`` and ``colour_dim`` fix the layout."""

    cnn_dim: int = 512
    colour_dim: int = 108  # 12 x 3 x 3 HSV bins
    colour_weight: float = DEFAULT_COLOUR_WEIGHT
    cnn_power: float = DEFAULT_CNN_POWER

    def __post_init__(self) -> None:
        if not 0.0 <= self.colour_weight <= 1.0:
            raise ValueError(f"colour_weight must lie in [0, 1], not {self.colour_weight}")

    @property
    def dim(self) -> int:
        return self.cnn_dim + self.colour_dim


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def cnn_part(features: np.ndarray, power: float = DEFAULT_CNN_POWER) -> np.ndarray:
    """Rows of CNN features, signed-power normalised and scaled to unit length (zeros stay zeros)."""
    x = np.atleast_2d(np.asarray(features, dtype=np.float32))
    if power != 1.0:
        x = (np.sign(x) * np.abs(x) ** power).astype(np.float32)
    return _unit_rows(x.astype(np.float32, copy=False))


def colour_part(histograms: np.ndarray) -> np.ndarray:
    """Rows of HSV histograms mapped by the Hellinger square root to unit length."""
    x = np.atleast_2d(np.asarray(histograms, dtype=np.float32))
    return _unit_rows(np.sqrt(np.maximum(x, 0.0)))


def combine_many(
    cnn: np.ndarray | None, colour: np.ndarray | None, spec: EmbeddingSpec, n: int | None = None
) -> np.ndarray:
    """Embeddings (float32, one row per item) from stacked parts; a missing part is zeros.

    ``cnn`` is (n, cnn_dim) or None, ``colour`` (n, colour_dim) or None; rows of zeros
    stand for an item without that part (say, imported without a classifier).
    """
    if n is None:
        n = len(cnn) if cnn is not None else len(colour) if colour is not None else 0
    out = np.zeros((n, spec.dim), dtype=np.float32)
    if cnn is not None and n:
        if np.shape(cnn)[-1] != spec.cnn_dim:
            raise ValueError(f"CNN features have {np.shape(cnn)[-1]} values, expected {spec.cnn_dim}")
        out[:, : spec.cnn_dim] = cnn_part(cnn, spec.cnn_power) * np.float32(np.sqrt(1.0 - spec.colour_weight))
    if colour is not None and n:
        if np.shape(colour)[-1] != spec.colour_dim:
            raise ValueError(f"colour histograms have {np.shape(colour)[-1]} bins, expected {spec.colour_dim}")
        out[:, spec.cnn_dim :] = colour_part(colour) * np.float32(np.sqrt(spec.colour_weight))
    return out


def combine(cnn: np.ndarray | None, colour: np.ndarray | None, spec: EmbeddingSpec | None = None) -> np.ndarray:
    """The embedding (float32, shape (dim,)) of one item."""
    spec = spec or EmbeddingSpec()
    return combine_many(
        None if cnn is None else np.asarray(cnn).reshape(1, -1),
        None if colour is None else np.asarray(colour).reshape(1, -1),
        spec,
        n=1,
    )[0]


def reweight(vector: np.ndarray, made_with: EmbeddingSpec, wanted: EmbeddingSpec) -> np.ndarray:
    """An embedding made with one colour weight, as if made with another (each part is rescaled)."""
    if made_with.colour_weight == wanted.colour_weight:
        return vector
    out = np.asarray(vector, np.float32).copy()
    cnn_from, colour_from = np.sqrt(1.0 - made_with.colour_weight), np.sqrt(made_with.colour_weight)
    cnn_to, colour_to = np.sqrt(1.0 - wanted.colour_weight), np.sqrt(wanted.colour_weight)
    out[..., : made_with.cnn_dim] *= cnn_to / cnn_from if cnn_from > 0 else 0.0
    out[..., made_with.cnn_dim :] *= colour_to / colour_from if colour_from > 0 else 0.0
    return out
