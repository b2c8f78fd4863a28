"""Fine-tune block5 + a sixteen-label head (garment_classifier 2.x) on cached block4 maps, chosen on validation.

    python -m wardrobe_app.training.finetune_v2 --data ../shared/datasets --cache /work/cache/classifier/cache \
        --state /work/cache/classifier2/run_a [--epochs 8 --lr 4e-5 --views 0,2,3,4 --start block5_conv2]
    python -m wardrobe_app.training.finetune_v2 ... --state DIR --export-features   # h{0}_*.npy of the chosen epoch

Trains the layers after ``--start`` (block4_pool: all of block5; block5_conv2: block5_conv3 only, three times
cheaper on a CPU); the frozen layers before it run once per cached view. Starts from the base version's weights
(1.0.0) and a head fitted on its pooled features (square-root class balance, group cross-entropy); then trains
the layers and the head together on one cached view per photo and epoch (the photo, heavy augmentations) and a
random square crop of its maps, with square-root class balance, label smoothing and the group cross-entropy (a
wrong group costs more than a wrong category within it), cosine-decayed Adam. Every epoch's weights and
validation figures (clothing-small validation + clothing-extra validation, never test) are saved in
``--state``; an interrupted run resumes after its last finished epoch.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.heads import balanced_weights, group_matrix, softmax
from wardrobe_app.training.features import CHUNK
from wardrobe_app.training.v2_data import LABELS_V2, figures, load_maps, load_split, selection_score

log = logging.getLogger("wardrobe_app.training.finetune_v2")
TRAIN = (("clothing-small", "train"), ("clothing-extra", "train"))
VALIDATION = (("clothing-small", "validation"), ("clothing-extra", "validation"))
#: Prefix of the pooled-feature files written for the chosen epoch (see wardrobe_app.training.v2_data.load_features).
FEATURES_PREFIX = "h"


def base_head(data: Path, cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """A sixteen-label head on the base version's pooled features (the start of fine-tuning)."""
    from wardrobe_app.training.v2_data import Split
    from wardrobe_app.training.v2_experiments import HeadConfig

    splits: list[Split] = [load_split(data, cache, d, s) for d, s in TRAIN]
    x = np.concatenate([s.views[0] for s in splits])
    y = np.concatenate([s.labels for s in splits])
    head = HeadConfig(l2=3e-2, balance=0.5, group_weight=1.0, views=False).fit(x, y)
    return head.weights.astype(np.float32), head.bias.astype(np.float32)


def block5_from(start: str) -> tuple[str, ...]:
    """The block5 convolutions after ``start`` (block4_pool: all three; block5_conv2: only block5_conv3)."""
    from wardrobe_app.training.network import BLOCK5_LAYERS

    return BLOCK5_LAYERS if start == "block4_pool" else BLOCK5_LAYERS[BLOCK5_LAYERS.index(start) + 1 :]


def base_widened_head(data: Path, cache: Path, l2: float = 1e-2, balance: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The base version's ten columns unchanged + six new ones fitted with the ten held fixed (start = 1.0.0)."""
    from scipy.optimize import minimize

    from wardrobe_app.training.v2_experiments import base_prior

    splits = [load_split(data, cache, d, s) for d, s in TRAIN]
    x = np.concatenate([s.views[0] for s in splits]).astype(np.float64)
    y = np.concatenate([s.labels for s in splits])
    prior = base_prior(x.shape[1])
    ten = len(LABELS_V2) - 6
    fixed = x @ prior.weights[:, :ten] + prior.bias[:ten]
    weight = balanced_weights(y, len(LABELS_V2), balance)[:, None] / len(y)
    target = np.eye(len(LABELS_V2))[y]
    d = x.shape[1]

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[: d * 6].reshape(d, 6), params[d * 6 :]
        p = softmax(np.concatenate([fixed, x @ w + b], axis=1))
        grad = (weight * (p - target))[:, ten:]
        loss = -float(np.sum(weight * target * np.log(p + 1e-12))) + 0.5 * l2 * float(np.sum(w * w))
        return loss, np.concatenate([(x.T @ grad + l2 * w).ravel(), grad.sum(axis=0)])

    fitted = minimize(objective, np.zeros(d * 6 + 6), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    weights = np.concatenate([prior.weights[:, :ten], fitted[: d * 6].reshape(d, 6)], axis=1)
    bias = np.concatenate([prior.bias[:ten], fitted[d * 6 :]])
    return weights.astype(np.float32), bias.astype(np.float32)


def build_model(base_keras: Path, head: tuple[np.ndarray, np.ndarray], start: str = "block4_pool") -> Any:
    """The layers after ``start`` (weights of the base version) + pooling + dropout + dense softmax over LABELS_V2;
    any spatial size in (a crop of the maps is a cheap crop of the photo)."""
    import keras

    from wardrobe_app.ml.classifier import load_network
    from wardrobe_app.training.network import DROPOUT, FEATURES_LAYER, HEAD_LAYER

    base = load_network(base_keras)
    inputs = keras.Input((None, None, 512), name=f"{start}_maps")
    x = inputs
    for name in block5_from(start):
        x = keras.layers.Conv2D(512, 3, padding="same", activation="relu", name=name)(x)
    x = keras.layers.MaxPooling2D(2, strides=2, name="block5_pool")(x)
    features = keras.layers.GlobalAveragePooling2D(name=FEATURES_LAYER)(x)
    dropped = keras.layers.Dropout(DROPOUT, name="head_dropout")(features)
    outputs = keras.layers.Dense(len(LABELS_V2), activation="softmax", name=HEAD_LAYER)(dropped)
    model = keras.Model(inputs, outputs, name=f"garment_from_{start}")
    for name in block5_from(start):
        model.get_layer(name).set_weights(base.get_layer(name).get_weights())
    model.get_layer(HEAD_LAYER).set_weights(list(head))
    return model


def frozen_prefix(base_keras: Path, start: str) -> Any | None:
    """block4 maps -> the output of ``start`` through the base version's frozen layers (None for block4_pool)."""
    if start == "block4_pool":
        return None
    import keras

    from wardrobe_app.ml.classifier import load_network
    from wardrobe_app.training.network import BLOCK5_LAYERS

    base = load_network(base_keras)
    inputs = keras.Input((14, 14, 512))
    x = inputs
    for name in BLOCK5_LAYERS[: BLOCK5_LAYERS.index(start) + 1]:
        x = base.get_layer(name)(x)
    return keras.Model(inputs, x)


def start_maps(prefix: Any, maps: np.ndarray, file: Path, batch: int = 64) -> np.ndarray:
    """The training input (float16) of block4 maps: the maps themselves or the frozen prefix's output, cached."""
    if prefix is None:
        return maps
    if file.exists():
        return np.load(file)
    out = np.concatenate(
        [
            np.asarray(prefix(maps[i : i + batch].astype(np.float32))).astype(np.float16)
            for i in range(0, len(maps), batch)
        ]
    )
    file.parent.mkdir(parents=True, exist_ok=True)
    np.save(file.with_suffix(".tmp.npy"), out)
    file.with_suffix(".tmp.npy").replace(file)
    return out


def predict(model: Any, maps: np.ndarray, batch: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, pooled features) of the model's input maps."""
    import keras

    from wardrobe_app.training.network import FEATURES_LAYER

    both = keras.Model(model.input, [model.output, model.get_layer(FEATURES_LAYER).output])
    out = [
        [np.asarray(a) for a in both(maps[i : i + batch].astype(np.float32), training=False)]
        for i in range(0, len(maps), batch)
    ]
    return np.concatenate([o[0] for o in out]), np.concatenate([o[1] for o in out])


def train(args: argparse.Namespace) -> None:
    import keras
    import tensorflow as tf

    state: Path = args.state
    state.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    views = [int(v) for v in args.views.split(",")]
    prefix = frozen_prefix(args.base, args.start)
    inputs_dir = args.state.parent / f"inputs_{args.start}"
    train_maps: list[list[np.ndarray]] = []
    labels: list[np.ndarray] = []
    repeats: list[int] = []
    for dataset, split in TRAIN:
        listed = load_split(args.data, args.cache, dataset, split)
        folder = args.cache / dataset / "raw" / split
        found = [
            start_maps(prefix, m, inputs_dir / dataset / split / f"v{v}.npy")
            for v in views
            if (m := load_maps(folder, v, len(listed.paths))) is not None
        ]
        log.info("%s %s: %d photos, %d cached views", dataset, split, len(listed.paths), len(found))
        train_maps.append(found)
        labels.append(listed.labels)
        repeats.append(args.extra_repeat if dataset == "clothing-extra" else 1)
    val = []
    for dataset, split in VALIDATION:
        listed = load_split(args.data, args.cache, dataset, split)
        maps = load_maps(args.cache / dataset / "raw" / split, 0, len(listed.paths))
        assert maps is not None, f"{dataset} {split}: view 0 not cached"
        val.append((start_maps(prefix, maps, inputs_dir / dataset / split / "v0.npy"), listed.labels))
    y_all = np.concatenate(labels)
    sample_weight = balanced_weights(y_all, len(LABELS_V2), args.balance).astype(np.float32)
    weight_of = np.split(sample_weight, np.cumsum([len(y) for y in labels])[:-1])
    groups = tf.constant(group_matrix(LABELS_V2), tf.float32)

    head_file = state / "start_head.npz"
    if not head_file.exists():
        w, b = (base_widened_head if args.start_head == "base" else base_head)(args.data, args.cache)
        np.savez(head_file, w=w, b=b)
    start = np.load(head_file)
    model = build_model(args.base, (start["w"], start["b"]), args.start)
    optimizer = keras.optimizers.Adam(args.lr)
    optimizer.build(model.trainable_variables)
    history_file = state / "history.json"
    history: list[dict[str, Any]] = json.loads(history_file.read_text()) if history_file.exists() else []
    if history:
        model.load_weights(state / f"epoch{len(history):02d}.weights.h5")
        log.info("resuming after epoch %d", len(history))
    k = len(LABELS_V2)
    smoothing, group_weight = args.label_smoothing, args.group_weight

    @tf.function(reduce_retracing=True)
    def step(x: Any, y: Any, w: Any) -> Any:
        target = tf.one_hot(y, k)
        soft = target * (1 - smoothing) + smoothing / k
        with tf.GradientTape() as tape:
            p = model(x, training=True)
            loss_c = -tf.reduce_sum(soft * tf.math.log(p + 1e-7), axis=1)
            in_group = tf.matmul(tf.matmul(target, groups), groups, transpose_b=True)
            loss_g = -tf.math.log(tf.reduce_sum(p * in_group, axis=1) + 1e-7)
            loss = tf.reduce_sum(w * (loss_c + group_weight * loss_g)) / tf.reduce_sum(w)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    for epoch in range(len(history), args.epochs):
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * epoch / args.epochs))
        optimizer.learning_rate.assign(lr)
        rng = np.random.default_rng([args.seed, epoch])
        rows = [
            (d, i, int(rng.integers(len(train_maps[d]))))
            for d in range(len(TRAIN))
            for _ in range(repeats[d])
            for i in range(len(labels[d]))
        ]
        order = rng.permutation(len(rows))
        started, losses = time.monotonic(), []
        for b0 in range(0, len(order), args.batch):
            batch = [rows[j] for j in order[b0 : b0 + args.batch]]
            x = np.stack([train_maps[d][v][i] for d, i, v in batch]).astype(np.float32)
            size = int(rng.choice(args.crop_sizes))
            if size < x.shape[1]:
                x = np.stack(
                    [
                        m[r : r + size, c : c + size]
                        for m, r, c in zip(
                            x,
                            rng.integers(0, x.shape[1] - size + 1, len(x)),
                            rng.integers(0, x.shape[2] - size + 1, len(x)),
                            strict=True,
                        )
                    ]
                )
            if args.map_flip:
                flip = rng.random(len(batch)) < 0.5
                x[flip] = x[flip][:, :, ::-1]
            y = np.array([labels[d][i] for d, i, _ in batch], np.int32)
            w = np.array([weight_of[d][i] for d, i, _ in batch], np.float32)
            losses.append(float(step(tf.constant(x), tf.constant(y), tf.constant(w))))
            if (b0 // args.batch) % 25 == 0:
                log.info(
                    "epoch %d: %d/%d rows, loss %.4f, %.0f ms/row",
                    epoch + 1,
                    b0 + len(batch),
                    len(rows),
                    np.mean(losses[-25:]),
                    1000 * (time.monotonic() - started) / (b0 + len(batch)),
                )
        (p_small, _), (p_extra, _) = (predict(model, m) for m, _ in val)
        small = figures(p_small, val[0][1], new_tops=False)
        extra = figures(p_extra, val[1][1], new_tops=True)
        record = {
            "epoch": epoch + 1,
            "lr": lr,
            "loss": float(np.mean(losses)),
            "seconds": round(time.monotonic() - started, 1),
            "small_validation": small,
            "extra_validation": extra,
            "score": selection_score(small, extra),
        }
        model.save_weights(state / f"epoch{epoch + 1:02d}.weights.h5")
        history.append(record)
        history_file.write_text(json.dumps(history, indent=1))
        log.info(
            "epoch %d: loss %.4f | small val top-1 %.4f group %.4f dress %.4f | extra val top-1 %.4f outside %.4f"
            " | score %.4f (%.0f s)",
            epoch + 1,
            record["loss"],
            small["top1"],
            small["group"],
            small["dress_recall"],
            extra["top1"],
            extra["outside_top"],
            record["score"],
            record["seconds"],
        )


def chosen_epoch(state: Path) -> int:
    """The epoch with the best validation selection score."""
    history = json.loads((state / "history.json").read_text())
    return int(max(history, key=lambda r: r["score"])["epoch"])


def export_features(args: argparse.Namespace, splits: Sequence[tuple[str, str]]) -> None:
    """The chosen epoch as a whole block5 + head (``chosen.weights.h5``, wardrobe_app.training.network's block5 model:
    frozen layers from the base version) and its pooled features (view 0) of every split as ``h0_{start}.npy``."""
    from wardrobe_app.ml.classifier import load_network
    from wardrobe_app.training.network import BLOCK5_LAYERS, HEAD_LAYER, build_block5_model

    epoch = args.epoch or chosen_epoch(args.state)
    start = np.load(args.state / "start_head.npz")
    trained = build_model(args.base, (start["w"], start["b"]), args.start)
    trained.load_weights(args.state / f"epoch{epoch:02d}.weights.h5")
    base = load_network(args.base)
    model = build_block5_model(len(LABELS_V2))
    for name in BLOCK5_LAYERS:
        source = trained if name in block5_from(args.start) else base
        model.get_layer(name).set_weights(source.get_layer(name).get_weights())
    model.get_layer(HEAD_LAYER).set_weights(trained.get_layer(HEAD_LAYER).get_weights())
    model.save_weights(args.state / "chosen.weights.h5")
    (args.state / "chosen.json").write_text(json.dumps({"epoch": epoch, "start": args.start}))
    for dataset, split in splits:
        n = len(load_split(args.data, args.cache, dataset, split).paths)
        maps = load_maps(args.cache / dataset / "raw" / split, 0, n)
        assert maps is not None, f"{dataset} {split}: view 0 not cached"
        _, features = predict(model, maps)
        out = args.state / "features" / dataset / "raw" / split
        out.mkdir(parents=True, exist_ok=True)
        for s in range(0, n, CHUNK):
            np.save(out / f"{FEATURES_PREFIX}0_{s:06d}.npy", features[s : s + CHUNK])
        log.info("features of %s %s (epoch %d) -> %s", dataset, split, epoch, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding clothing-small/ and clothing-extra/")
    parser.add_argument("--cache", type=Path, required=True, help="cache of wardrobe_app.training.v2_cache")
    parser.add_argument("--state", type=Path, required=True, help="run folder (weights per epoch, history)")
    parser.add_argument("--base", type=Path, default=Path("models/garment_classifier/1.0.0/garment_classifier.keras"))
    parser.add_argument("--views", default="0,1,2,3", help="cached views drawn from (one per photo and epoch)")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--group-weight", type=float, default=1.0)
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--extra-repeat", type=int, default=2, help="rows per clothing-extra photo and epoch")
    parser.add_argument("--map-flip", action="store_true", help="also mirror the input maps of half the rows")
    parser.add_argument(
        "--start",
        default="block4_pool",
        choices=("block4_pool", "block5_conv1", "block5_conv2"),
        help="train the layers after this one (the frozen ones before it run once, cached)",
    )
    parser.add_argument(
        "--crop-sizes", type=int, nargs="+", default=[14], help="square crops of the 14x14 maps drawn per batch"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--start-head",
        default="fit",
        choices=("fit", "base"),
        help="fit: a new sixteen-label head; base: the base version's ten columns + six fitted beside them",
    )
    parser.add_argument("--export-features", action="store_true", help="write features of the chosen epoch")
    parser.add_argument("--epoch", type=int, default=0, help="with --export-features: this epoch, not the best")
    parser.add_argument("--test", action="store_true", help="with --export-features: the test split too")
    parser.add_argument(
        "--margins", type=float, nargs="*", default=None, help="validation figures of every epoch at these margins"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.margins is not None:
        from wardrobe_app.training.v2_margins import margin_sweep

        margin_sweep(args, args.margins)
    elif args.export_features:
        splits = [*TRAIN, *VALIDATION, *((("clothing-small", "test"),) if args.test else ())]
        export_features(args, splits)
    else:
        train(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
