"""Fixtures of the Keras-backed ml tests: drawn garment photos (RGB) and a tiny two-output network."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from tests.conftest import draw_garment

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture
def drawn_photos() -> list[np.ndarray]:
    """Four drawn garments of different colours, shapes and sizes, as RGB uint8."""
    specs = [
        ((40, 40, 200), (400, 300), "shirt"),
        ((200, 80, 20), (533, 400), "ellipse"),
        ((30, 30, 30), (300, 300), "shirt"),
        ((20, 180, 20), (320, 480), "ellipse"),
    ]
    return [
        cv2.cvtColor(draw_garment(colour, size, seed=i, shape=shape), cv2.COLOR_BGR2RGB)
        for i, (colour, size, shape) in enumerate(specs)
    ]


def tiny_network(n_classes: int = 10):
    """Input 224x224x3 -> [softmax(n_classes), 512-d pooled features], like the shipped network but tiny."""
    import keras

    keras.utils.set_random_seed(1)
    inputs = keras.Input((224, 224, 3))
    x = keras.layers.AveragePooling2D(16)(inputs)
    x = keras.layers.Conv2D(512, 1, activation="relu")(x)
    features = keras.layers.GlobalAveragePooling2D(name="features")(x)
    probabilities = keras.layers.Dense(n_classes, activation="softmax", name="category")(features)
    return keras.Model(inputs, [probabilities, features])
