"""Fine-tune the whole garment network (VGG16 block3-5 + a sixteen-label head) on heavy views, on a GPU or the CPU.

    python -m wardrobe_app.training.photo_pack --data ../shared/datasets --out .gpu/pack
    KERAS_BACKEND=jax python -m wardrobe_app.training.finetune_full --pack .gpu/pack \
        --base models/garment_classifier/1.0.0 --out OUT [--minutes 5] [--epochs 40]

Backend-neutral Keras 3 (the GPU machine has JAX, not TensorFlow): the network is the one the app ships
(``training.network.build_classifier_network``: same layer names), started from the base version's weights, the
six new columns of the head started from the mean of the three sleeved tops'. Stage 1 trains the head alone;
stage 2 also trains block3-5 with AdamW, a warm-up and a cosine decay, label smoothing, and the group
cross-entropy added to the label cross-entropy (a dress read as a top costs more than a t-shirt read as a
shirt). Every step draws a class-balanced batch (square-root balance; clothing-extra drawn three times as often)
of heavy views (``training.augment.heavy_view``: garments composited onto other photos' backgrounds or studio
plates, crops, rotation, scale, colour jitter, blur, mirror), made by worker processes forked before the backend
starts. Each epoch is scored on clothing-small and clothing-extra validation with a mirrored second pass; the
best epoch by ``v2_data.selection_score`` and the last are written as float16 weight shards (each under 16 MB),
with ``history.json``. ``training.finetune_full_ship`` turns a shard set into a shipped model version.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from wardrobe_app.ml.preprocess import caffe

log = logging.getLogger("wardrobe_app.training.finetune_full")

#: Shards of the weights written per checkpoint: layer-name prefixes -> file suffix.
SHARDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("block1", "block2", "block3"), "b123"),
    (("block4",), "b4"),
    (("block5", "category"), "b5h"),
)
TRAINED_BLOCKS = ("block3", "block4", "block5")
SPLIT_SMALL_TRAIN, SPLIT_SMALL_VAL, SPLIT_EXTRA_TRAIN, SPLIT_EXTRA_VAL = range(4)
_PACK: dict[str, Any] = {}


def load_pack(folder: Path) -> dict[str, Any]:
    """Decoded 224 px photos (uint8), 224 px masks (0/255, None when absent), labels and split ids."""
    raw = np.load(folder / "pack.npz")
    meta = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    photos, masks = [], []
    p_off = np.concatenate([[0], np.cumsum(raw["photo_sizes"])])
    m_off = np.concatenate([[0], np.cumsum(raw["mask_sizes"])])
    for i in range(len(raw["labels"])):
        bgr = cv2.imdecode(raw["photos"][p_off[i] : p_off[i + 1]], cv2.IMREAD_COLOR)
        photos.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        if m_off[i + 1] > m_off[i]:
            small = cv2.imdecode(raw["masks"][m_off[i] : m_off[i + 1]], cv2.IMREAD_GRAYSCALE)
            masks.append(cv2.resize(small, (224, 224), interpolation=cv2.INTER_LINEAR))
        else:
            masks.append(None)
    return {
        "photos": np.stack(photos),
        "masks": masks,
        "labels": raw["labels"].astype(np.int64),
        "splits": raw["splits"].astype(np.int64),
        "label_names": tuple(meta["labels"]),
    }


def make_batch(job: tuple[int, np.ndarray]) -> np.ndarray:
    """Heavy views (network inputs) of the pack's photos ``indices``; runs in a worker process."""
    from wardrobe_app.training.augment import heavy_view

    seed, indices = job
    rng = np.random.default_rng(seed)
    photos, masks = _PACK["photos"], _PACK["masks"]
    with_mask = _PACK["with_mask"]
    out = np.empty((len(indices), 224, 224, 3), np.uint8)
    for k, i in enumerate(indices):
        if rng.random() < 0.15:  # a clean photo now and then, only mirrored
            view = photos[i][:, ::-1] if rng.random() < 0.5 else photos[i]
        else:
            j = int(with_mask[rng.integers(len(with_mask))]) if len(with_mask) else i
            view = heavy_view(photos[i], rng, masks[i], photos[j], masks[j])
        if view.shape[:2] != (224, 224):
            view = cv2.resize(view, (224, 224), interpolation=cv2.INTER_AREA)
        out[k] = view
    return caffe(out)


def epoch_order(labels: np.ndarray, splits: np.ndarray, rng: np.random.Generator, balance: float) -> np.ndarray:
    """Indices of one epoch: training photos drawn with class weights n_c**-balance, clothing-extra three times."""
    train = np.flatnonzero((splits == SPLIT_SMALL_TRAIN) | (splits == SPLIT_EXTRA_TRAIN))
    counts = np.bincount(labels[train], minlength=labels.max() + 1).astype(np.float64)
    weights = counts[labels[train]] ** -balance
    weights[splits[train] == SPLIT_EXTRA_TRAIN] *= 3.0
    size = int(np.sum(splits == SPLIT_SMALL_TRAIN) + 3 * np.sum(splits == SPLIT_EXTRA_TRAIN))
    return rng.choice(train, size=size, p=weights / weights.sum())


def group_matrix(label_names: Sequence[str]) -> np.ndarray:
    """(labels, groups) 0/1 matrix: which group each label belongs to."""
    from wardrobe_app.domain import CATEGORY_GROUPS, Group

    groups = list(Group)
    matrix = np.zeros((len(label_names), len(groups)), np.float32)
    for i, name in enumerate(label_names):
        matrix[i, groups.index(CATEGORY_GROUPS[name])] = 1.0
    return matrix


def build(base: Path, n_labels: int, new_from: Sequence[int]) -> tuple[Any, Any]:
    """(training model: photo -> probabilities, the shipped-shape network) started from the base version."""
    import keras

    from wardrobe_app.training.network import HEAD_LAYER, build_classifier_network

    source = keras.saving.load_model(base / "garment_classifier.keras", compile=False, safe_mode=True)
    network = build_classifier_network(n_labels)
    for layer in network.layers:
        if layer.name.startswith("block") and layer.weights:
            layer.set_weights([w.astype(np.float32) for w in source.get_layer(layer.name).get_weights()])
    kernel, bias = (w.astype(np.float32) for w in source.get_layer(HEAD_LAYER).get_weights())
    n_base = kernel.shape[1]
    new_kernel = np.zeros((kernel.shape[0], n_labels), np.float32)
    new_bias = np.zeros((n_labels,), np.float32)
    new_kernel[:, :n_base], new_bias[:n_base] = kernel, bias
    rng = np.random.default_rng(0)
    for j in range(n_base, n_labels):
        new_kernel[:, j] = kernel[:, list(new_from)].mean(1) + rng.normal(0, 0.01, kernel.shape[0])
        new_bias[j] = bias[list(new_from)].mean() - 1.0
    network.get_layer(HEAD_LAYER).set_weights([new_kernel, new_bias])
    trainer = keras.Model(network.input, network.outputs[0], name="garment_trainer")
    return trainer, network


def loss_fn(groups: np.ndarray, smoothing: float, group_weight: float) -> Any:
    from keras import ops

    g = ops.convert_to_tensor(groups)
    n = groups.shape[0]

    def loss(y_true: Any, y_pred: Any) -> Any:
        y_pred = ops.cast(y_pred, "float32")
        onehot = ops.one_hot(ops.cast(ops.reshape(y_true, (-1,)), "int32"), n)
        soft = onehot * (1 - smoothing) + smoothing / n
        p = ops.clip(y_pred, 1e-7, 1.0)
        label_ce = -ops.sum(soft * ops.log(p), axis=-1)
        group_p = ops.clip(ops.matmul(y_pred, g), 1e-7, 1.0)
        group_ce = -ops.sum(ops.matmul(onehot, g) * ops.log(group_p), axis=-1)
        return label_ce + group_weight * group_ce

    return loss


def set_trainable(network: Any, blocks: Sequence[str]) -> None:
    for layer in network.layers:
        layer.trainable = layer.name == "category" or any(layer.name.startswith(b) for b in blocks)


def predict_tta(trainer: Any, x: np.ndarray, batch: int = 64) -> np.ndarray:
    """Mean probabilities of the photo and its mirror image."""
    outs = []
    for start in range(0, len(x), batch):
        chunk = caffe(x[start : start + batch])
        p = trainer.predict_on_batch(chunk) + trainer.predict_on_batch(chunk[:, :, ::-1])
        outs.append(np.asarray(p, np.float32) / 2)
    return np.concatenate(outs)


def save_shards(network: Any, out: Path, tag: str) -> list[str]:
    """float16 weights of every block and the head, as a few .npz files under 16 MB each."""
    names = []
    for prefixes, suffix in SHARDS:
        arrays = {
            f"{layer.name}/{k}": np.asarray(w, np.float32).astype(np.float16)
            for layer in network.layers
            if layer.weights and layer.name.startswith(prefixes)
            for k, w in enumerate(layer.get_weights())
        }
        path = out / f"{tag}_{suffix}.npz"
        np.savez(path, **arrays)  # type: ignore[arg-type]
        names.append(path.name)
    return names


def save_features(network: Any, path: Path, batch: int = 128) -> None:
    """The 512-d pooled features of every packed photo (pack order, float16): for the kind heads."""
    import keras

    extractor = keras.Model(network.input, network.outputs[1])
    photos = _PACK["photos"]
    parts = [
        np.asarray(extractor.predict_on_batch(caffe(photos[s : s + batch])), np.float32)
        for s in range(0, len(photos), batch)
    ]
    np.savez(path, features=np.concatenate(parts).astype(np.float16), splits=_PACK["splits"], labels=_PACK["labels"])


def run(args: argparse.Namespace) -> dict[str, Any]:
    import keras

    if args.mixed:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    names = _PACK["label_names"]
    labels, splits = _PACK["labels"], _PACK["splits"]
    groups = group_matrix(names)
    new_from = [names.index(n) for n in ("t-shirt", "longsleeve", "shirt")]
    trainer, network = build(args.base, len(names), new_from)
    loss = loss_fn(groups, args.smoothing, args.group_weight)
    val = {k: np.flatnonzero(splits == s) for k, s in (("small", SPLIT_SMALL_VAL), ("extra", SPLIT_EXTRA_VAL))}
    rng = np.random.default_rng(args.seed)
    pool = _PACK["pool"]
    started = time.monotonic()
    history: list[dict[str, Any]] = []
    best = (-1.0, -1)

    def evaluate(epoch: int, stage: str) -> float:
        from wardrobe_app.training.v2_data import figures, selection_score

        scored = {}
        for key, idx in val.items():
            p = predict_tta(trainer, _PACK["photos"][idx])
            scored[key] = figures(p, labels[idx], new_tops=key == "extra")
        score = selection_score(scored["small"], scored["extra"])
        history.append(
            {"epoch": epoch, "stage": stage, "score": score, **scored, "seconds": round(time.monotonic() - started, 1)}
        )
        (args.out / "history.json").write_text(json.dumps({"history": history}, indent=1), encoding="utf-8")
        log.info("epoch %d (%s) %s score %.4f", epoch, stage, json.dumps(scored), score)
        return score

    def epoch_batches(epoch: int) -> Any:
        order = epoch_order(labels, splits, rng, args.balance)
        jobs = [
            (args.seed * 100003 + epoch * 1009 + b, order[s : s + args.batch])
            for b, s in enumerate(range(0, len(order) - args.batch + 1, args.batch))
        ]
        return len(jobs), order, pool.imap(make_batch, jobs, chunksize=1)

    # Stage 1: the head alone.
    set_trainable(network, ())
    trainer.compile(optimizer=keras.optimizers.Adam(args.head_lr), loss=loss)
    evaluate(0, "base")
    for epoch in range(1, args.head_epochs + 1):
        n, order, batches = epoch_batches(epoch)
        for b, x in enumerate(batches):
            trainer.train_on_batch(x, labels[order[b * args.batch : (b + 1) * args.batch]])
        evaluate(epoch, "head")
    # Stage 2: block3-5 and the head, warm-up then cosine decay over a budget fitted to the time left.
    set_trainable(network, TRAINED_BLOCKS)
    optimizer = keras.optimizers.AdamW(args.lr, weight_decay=args.weight_decay)
    trainer.compile(optimizer=optimizer, loss=loss)
    deadline = started + args.minutes * 60
    epochs = args.epochs
    step, total = 0, None
    epoch = args.head_epochs
    while epoch < args.head_epochs + epochs:
        epoch += 1
        t0 = time.monotonic()
        n, order, batches = epoch_batches(epoch)
        if total is None:
            total = n * epochs
        for b, x in enumerate(batches):
            if b == 1:
                t0 = time.monotonic()  # the first step of a stage compiles: not counted
            warm = min(1.0, (step + 1) / max(1, n))
            cosine = 0.5 * (1 + np.cos(np.pi * min(1.0, step / max(1, total))))
            optimizer.learning_rate.assign(args.lr * warm * (0.02 + 0.98 * cosine))
            trainer.train_on_batch(x, labels[order[b * args.batch : (b + 1) * args.batch]])
            step += 1
        score = evaluate(epoch, "full")
        if score > best[0]:
            best = (score, epoch)
            save_shards(network, args.out, "best")
            save_features(network, args.out / "features_best.npz")
        spent = (time.monotonic() - t0) * n / max(1, n - 1)
        left = deadline - time.monotonic()
        fits = int(left // (spent * 1.1))
        if epoch - args.head_epochs == 1 and fits < epochs - 1:
            epochs = max(2, fits + 1)  # shrink the schedule to the time left; the cosine follows
            total = n * epochs
            log.info("epoch takes %.1f s: %d epochs fit, schedule shortened", spent, epochs)
        if left < spent * 1.1:
            break
    save_shards(network, args.out, "last")
    result = {
        "best_epoch": best[1],
        "best_score": best[0],
        "epochs_run": epoch,
        "history": history,
        "settings": {k: str(v) for k, v in vars(args).items()},
    }
    (args.out / "history.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=Path("models/garment_classifier/1.0.0"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=5.0, help="wall-clock budget; the schedule shrinks to fit")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--head-epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--smoothing", type=float, default=0.1)
    parser.add_argument("--group-weight", type=float, default=1.0)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    parser.add_argument("--limit", type=int, default=0, help="use only every k-th photo (a smoke test)")
    parser.add_argument("--mixed", action="store_true", help="bfloat16 compute (GPUs)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    pack = load_pack(args.pack)
    if args.limit:
        keep = np.arange(0, len(pack["labels"]), args.limit)
        pack = {
            **pack,
            "photos": pack["photos"][keep],
            "masks": [pack["masks"][i] for i in keep],
            "labels": pack["labels"][keep],
            "splits": pack["splits"][keep],
        }
    _PACK.update(pack)
    _PACK["with_mask"] = np.array([i for i, m in enumerate(pack["masks"]) if m is not None], np.int64)
    log.info("%d photos (%d with a mask)", len(pack["labels"]), len(_PACK["with_mask"]))
    # Fork the augmentation workers before the backend starts its threads.
    _PACK["pool"] = multiprocessing.get_context("fork").Pool(args.workers)
    try:
        result = run(args)
    finally:
        _PACK["pool"].terminate()
    log.info("best epoch %d (score %.4f) of %d", result["best_epoch"], result["best_score"], result["epochs_run"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
