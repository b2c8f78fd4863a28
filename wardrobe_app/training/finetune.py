"""Training loops: the head on frozen pooled features, then block5 + head on cached block4 maps."""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.training.network import BLOCK5_LAYERS, HEAD_LAYER, build_block5_model, build_head, copy_layers

log = logging.getLogger(__name__)


def class_weights(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Balanced weights n / (k * count_c), so rare classes (skirt, hat) weigh as much as t-shirts."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    return (len(labels) / (n_classes * np.maximum(counts, 1))).astype(np.float32)


def _one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    return np.eye(n_classes, dtype=np.float32)[labels]


def _loss(label_smoothing: float) -> Any:
    import keras

    return keras.losses.CategoricalCrossentropy(label_smoothing=label_smoothing)


def train_head(
    train_x: np.ndarray,
    train_y: np.ndarray,
    val_x: np.ndarray,
    val_y: np.ndarray,
    n_classes: int,
    epochs: int = 80,
    learning_rate: float = 1e-3,
    batch_size: int = 64,
    label_smoothing: float = 0.1,
) -> tuple[Any, float]:
    """Fit dropout + dense on frozen pooled features; keep the epoch with the best validation accuracy."""
    import keras

    head = build_head(n_classes, train_x.shape[1])
    head.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=_loss(label_smoothing), metrics=["accuracy"])
    weights = class_weights(train_y, n_classes)
    best = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=epochs, restore_best_weights=True, mode="max")
    history = head.fit(
        train_x,
        _one_hot(train_y, n_classes),
        sample_weight=weights[train_y],
        validation_data=(val_x, _one_hot(val_y, n_classes)),
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[best],
        shuffle=True,
    )
    val_acc = float(max(history.history["val_accuracy"]))
    log.info("head on frozen features: best validation accuracy %.4f", val_acc)
    return head, val_acc


def predict_block5(model: Any, maps: np.ndarray, batch_size: int = 64) -> np.ndarray:
    """Class probabilities of the block5 model over cached block4 maps, batch by batch (float16 -> float32)."""
    out = [
        np.asarray(model(maps[i : i + batch_size].astype(np.float32), training=False))
        for i in range(0, len(maps), batch_size)
    ]
    return np.concatenate(out) if out else np.zeros((0, model.output.shape[-1]), np.float32)


def fine_tune_block5(
    vgg: Any,
    head: Any,
    train_views: Sequence[np.ndarray],
    train_y: np.ndarray,
    val_maps: np.ndarray,
    val_y: np.ndarray,
    n_classes: int,
    state_dir: Path,
    epochs: int = 8,
    learning_rate: float = 3e-5,
    batch_size: int = 32,
    seed: int = 0,
    label_smoothing: float = 0.1,
    deadline: float | None = None,
) -> tuple[Any, list[dict[str, float]]]:
    """Train block5 + head on cached block4 maps, one random augmented view per photo per epoch.

    Cosine learning-rate decay by epoch; after each epoch the weights and history are saved in ``state_dir``
    so an interrupted run resumes; the epoch with the best validation accuracy is kept.
    """
    import keras

    state_dir.mkdir(parents=True, exist_ok=True)
    model = build_block5_model(n_classes)
    copy_layers(vgg, model, BLOCK5_LAYERS)
    model.get_layer(HEAD_LAYER).set_weights(head.get_layer(HEAD_LAYER).get_weights())
    optimizer = keras.optimizers.Adam(learning_rate)
    model.compile(optimizer=optimizer, loss=_loss(label_smoothing))
    history_file, last_file, best_file = (state_dir / n for n in ("history.json", "last.weights.h5", "best.weights.h5"))
    history: list[dict[str, float]] = json.loads(history_file.read_text()) if history_file.exists() else []
    if history and last_file.exists():
        model.load_weights(last_file)
        log.info("resuming fine-tuning after epoch %d", len(history))
    weights = class_weights(train_y, n_classes)
    targets = _one_hot(train_y, n_classes)
    n = len(train_y)
    for epoch in range(len(history), epochs):
        if deadline is not None and time.time() > deadline:
            log.warning("time budget reached: stopping fine-tuning after %d epochs", epoch)
            break
        lr = learning_rate * 0.5 * (1 + math.cos(math.pi * epoch / epochs))
        optimizer.learning_rate.assign(lr)
        rng = np.random.default_rng([seed, epoch])
        order = rng.permutation(n)
        views = rng.integers(0, len(train_views), n)
        started, losses = time.monotonic(), []
        for step, start in enumerate(range(0, n, batch_size)):
            idx = order[start : start + batch_size]
            x = np.stack([train_views[v][i] for i, v in zip(idx, views[idx], strict=True)]).astype(np.float32)
            losses.append(float(model.train_on_batch(x, targets[idx], sample_weight=weights[train_y[idx]])))
            if step % 20 == 0:
                log.info(
                    "epoch %d step %d/%d loss %.4f (%.0f ms/photo)",
                    epoch + 1,
                    step,
                    math.ceil(n / batch_size),
                    np.mean(losses[-20:]),
                    1000 * (time.monotonic() - started) / (start + len(idx)),
                )
        val_acc = float(np.mean(predict_block5(model, val_maps).argmax(1) == val_y))
        record = {
            "epoch": epoch + 1,
            "lr": lr,
            "loss": float(np.mean(losses)),
            "val_accuracy": val_acc,
            "seconds": time.monotonic() - started,
        }
        if not history or val_acc > max(h["val_accuracy"] for h in history):
            model.save_weights(best_file)
        model.save_weights(last_file)
        history.append(record)
        history_file.write_text(json.dumps(history, indent=1))
        log.info(
            "epoch %d: loss %.4f, validation accuracy %.4f, %.0f s",
            epoch + 1,
            record["loss"],
            val_acc,
            record["seconds"],
        )
    if best_file.exists():
        model.load_weights(best_file)
    return model, history
