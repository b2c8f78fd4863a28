"""Keras training of the outfit ranker (rows -> relu -> relu -> sigmoid); TensorFlow imported lazily."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from wardrobe_app.domain.progress import Cancel, Progress

Arrays = tuple[np.ndarray, ...]  # w1, b1, w2, b2, w3, b3 (w: in x out), float32

DEFAULT_HIDDEN = (32, 16)


def build_ranker(input_dim: int, hidden: Sequence[int] = DEFAULT_HIDDEN, seed: int = 0) -> Any:
    """A small dense network over outfit feature rows, output a score in [0, 1]."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(input_dim,), name="outfit")
    x = inputs
    for i, units in enumerate(hidden):
        x = keras.layers.Dense(units, activation="relu", name=f"hidden{i + 1}")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="score")(x)
    return keras.Model(inputs, outputs, name="outfit_ranker")


def ranker_arrays(model: Any) -> Arrays:
    """The model's weights as float32 arrays in the exported order."""
    return tuple(np.asarray(w, dtype=np.float32) for w in model.get_weights())


def ranker_from_arrays(arrays: Arrays) -> Any:
    """A Keras model holding exported weights (for checks and the naive benchmark)."""
    model = build_ranker(arrays[0].shape[0], (arrays[0].shape[1], arrays[2].shape[1]))
    model.set_weights([np.asarray(a) for a in arrays])
    return model


def train_ranker(
    rows: np.ndarray,
    labels: np.ndarray,
    *,
    sample_weight: np.ndarray | None = None,
    initial: Arrays | None = None,
    hidden: Sequence[int] = DEFAULT_HIDDEN,
    epochs: int = 30,
    batch_size: int = 256,
    learning_rate: float = 3e-3,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> tuple[Arrays, dict[str, list[float]]]:
    """Fit the ranker on (rows, labels in [0, 1]) with binary cross-entropy; returns weights and history."""
    import keras

    model = build_ranker(rows.shape[1], hidden, seed)
    if initial is not None:
        model.set_weights([np.asarray(a) for a in initial])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["mae"])

    class Report(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
            if progress is not None:
                progress(epoch + 1, epochs, f"loss {logs.get('loss', 0.0):.4f}" if logs else "")
            if cancel is not None and cancel():
                self.model.stop_training = True

    history = model.fit(
        rows.astype(np.float32),
        labels.astype(np.float32).reshape(-1, 1),
        sample_weight=None if sample_weight is None else sample_weight.astype(np.float32),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        verbose=0,
        validation_data=None if validation is None else (validation[0], validation[1].reshape(-1, 1)),
        callbacks=[Report()],
    )
    return ranker_arrays(model), {k: [float(x) for x in v] for k, v in history.history.items()}


def keras_scores(arrays: Arrays, rows: np.ndarray, batch_size: int = 8192) -> np.ndarray:
    """Keras' own predict over feature rows (the reference the numpy scorer must equal)."""
    model = ranker_from_arrays(arrays)
    return np.asarray(model.predict(rows.astype(np.float32), batch_size=batch_size, verbose=0)).reshape(-1)
