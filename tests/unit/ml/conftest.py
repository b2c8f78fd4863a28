"""Fixtures of the ml unit tests: a numpy stand-in for the network, so no TensorFlow is needed."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.domain import CLASSIFIER_CATEGORIES


class ColourNetwork:
    """Fake network: scores classes from the mean colour of the input, features are channel statistics."""

    def __call__(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, np.ndarray]:
        means = inputs.mean(axis=(1, 2))  # (n, 3) BGR minus ImageNet means
        logits = np.stack([means @ np.cos(np.arange(3) + k) / 20 for k in range(len(CLASSIFIER_CATEGORIES))], 1)
        logits = logits - logits.max(1, keepdims=True)
        probabilities = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
        features = np.tile(means, (1, 171))[:, :512]
        return probabilities.astype(np.float32), features.astype(np.float32)


@pytest.fixture
def colour_network() -> ColourNetwork:
    return ColourNetwork()
