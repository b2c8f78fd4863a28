"""Train, calibrate, evaluate and write garment_classifier 2.x (sixteen labels + shoe/trouser kind heads).

    python -m wardrobe_app.training.v2_cache ...            # block4 maps and pooled features of every photo and view
    python -m wardrobe_app.training.v2_experiments ...      # cross-validated choice of the head
    python -m wardrobe_app.training.train_classifier_v2 --data ../shared/datasets --cache /work/cache/classifier/cache \
        --kinds assets/labels/garment_kinds.csv --out models/garment_classifier/2.0.0 [--evaluate-test]

The convolutions (VGG16 block1-5) are those of the base version (1.0.0: ImageNet block1-4, block5 fine-tuned
on clothing-small), so the 512-d features - and the reverse image search's embeddings - are unchanged; the head
is new: sixteen labels, fitted on cached features of the photos and their augmented views with square-root
class balance and a loss that adds the group cross-entropy, then temperature-scaled on validation.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.evaluate import EvalReport, build_report
from wardrobe_app.ml.heads import LinearHead, expected_calibration_error, fit_temperature, reliability
from wardrobe_app.ml.kinds import KINDS_FILE, save_kind_heads
from wardrobe_app.ml.registry import MODEL_NAME, read_folder
from wardrobe_app.ml.vgg_weights import sha256_of
from wardrobe_app.training.export import (
    choose_review_threshold,
    save_network,
    short_metrics,
    write_manifest,
    write_reports,
)
from wardrobe_app.training.v2_data import LABELS_V2, Split, figures, load_split, per_class_recall
from wardrobe_app.training.v2_experiments import AUGMENTED_VIEWS, HeadConfig, load_all

log = logging.getLogger("wardrobe_app.training.train_classifier_v2")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding clothing-small/ and clothing-extra/")
    parser.add_argument("--cache", type=Path, required=True, help="cache written by wardrobe_app.training.v2_cache")
    parser.add_argument("--base", type=Path, default=Path("models/garment_classifier/1.0.0"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--kinds", type=Path, default=None, help="garment_kinds.csv (split,class,file,kind)")
    parser.add_argument("--experiments", type=Path, default=None, help="JSON of v2_experiments, copied in")
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--balance", type=float, default=0.5)
    parser.add_argument("--group-weight", type=float, default=1.0)
    parser.add_argument("--no-views", action="store_true", help="train on the photos only, not augmented views")
    parser.add_argument("--prior", action="store_true", help="pull the head towards the base version's head")
    parser.add_argument(
        "--new-label-margin",
        type=float,
        default=0.0,
        help="lower the six new labels' logits by this much (chosen on validation by finetune_v2 --margins)",
    )
    parser.add_argument("--evaluate-test", action="store_true", help="measure the test split (do it once)")
    parser.add_argument(
        "--features",
        default="f",
        choices=("f", "fg", "h", "u"),
        help="f: the base version's block5 features; fg: plus a frozen ImageNet block5 branch; h: the features "
        "of a fine-tuned block5 (wardrobe_app.training.finetune_v2 --export-features, give --tuned); u: those of "
        "a network fine-tuned whole (wardrobe_app.training.finetune_full_ship, give --tuned-full)",
    )
    parser.add_argument(
        "--tuned-full",
        type=Path,
        nargs="+",
        default=None,
        help="shard prefix(es) of training.finetune_full (e.g. OUT/best): every block and the head; several "
        "prefixes: their weights averaged (a model soup of runs from the same start)",
    )
    parser.add_argument(
        "--kind-features",
        type=Path,
        default=None,
        help="npz (files, features) of the photos in --kinds, when the training splits' features are not cached",
    )
    parser.add_argument(
        "--tuned",
        type=Path,
        default=None,
        help="chosen.weights.h5 of training.finetune_v2 (block5 + head)",
    )
    parser.add_argument(
        "--refit-head", action="store_true", help="with --tuned: fit a new head on its features, not its own"
    )
    return parser.parse_args(argv)


def train_rows(splits: Sequence[Split], views: bool) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the photos (view 0) plus, if asked, every cached augmented view."""
    xs = [s.views[0] for s in splits]
    ys = [s.labels for s in splits]
    for s in splits:
        for view, features in s.views.items():
            if view != 0 and views:
                xs.append(features)
                ys.append(s.labels)
    return np.concatenate(xs), np.concatenate(ys)


def tuned_block5(weights_file: Path) -> Any:
    """The block5 + head model of wardrobe_app.training.finetune_v2 with the given weights."""
    from wardrobe_app.training.network import build_block5_model

    model = build_block5_model(len(LABELS_V2))
    model.load_weights(weights_file)
    return model


def build_network(
    base_folder: Path, head: LinearHead, imagenet_weights: Path | None = None, tuned: Any = None, full: bool = False
) -> Any:
    """The base version's network with a new (temperature-folded) head.

    Without ``imagenet_weights``: [probabilities, 512-d features] as the base version. With them, a second,
    frozen ImageNet block5 branch runs on the same block4 maps; the head (and the kind heads) see both pooled
    feature sets side by side, a third output (1024-d); the search features stay the base version's 512.
    """
    import keras

    from wardrobe_app.ml.classifier import load_network
    from wardrobe_app.training.network import (
        BLOCK5_LAYERS,
        DROPOUT,
        FEATURES_LAYER,
        HEAD_LAYER,
        build_classifier_network,
    )

    base = load_network(base_folder / "garment_classifier.keras")
    if imagenet_weights is None:
        network = build_classifier_network(head.weights.shape[1])
        for layer in network.layers:
            if layer.name.startswith("block") and layer.weights:
                use_tuned = tuned is not None and (full or layer.name in BLOCK5_LAYERS)
                source = tuned if use_tuned else base
                layer.set_weights(source.get_layer(layer.name).get_weights())
    else:
        imagenet = keras.applications.VGG16(include_top=False, weights=None, input_shape=(224, 224, 3))
        imagenet.load_weights(imagenet_weights)
        inputs = keras.Input((224, 224, 3), name="photo")
        x = inputs
        for layer in base.layers[1:]:
            x = layer(x)
            if layer.name == "block4_pool":
                break
        maps = x
        for name in (*BLOCK5_LAYERS, "block5_pool"):
            x = base.get_layer(name)(x)
        features = keras.layers.GlobalAveragePooling2D(name=FEATURES_LAYER)(x)
        y = maps
        for name in BLOCK5_LAYERS:
            conv = keras.layers.Conv2D(512, 3, padding="same", activation="relu", name=f"imagenet_{name}")
            y = conv(y)
            conv.set_weights(imagenet.get_layer(name).get_weights())
        y = keras.layers.MaxPooling2D(2, strides=2, name="imagenet_block5_pool")(y)
        imagenet_features = keras.layers.GlobalAveragePooling2D(name="imagenet_features")(y)
        both = keras.layers.Concatenate(name="head_features")([features, imagenet_features])
        dropped = keras.layers.Dropout(DROPOUT, name="head_dropout")(both)
        probabilities = keras.layers.Dense(head.weights.shape[1], activation="softmax", name=HEAD_LAYER)(dropped)
        network = keras.Model(inputs, [probabilities, features, both], name="garment_classifier")
    weights, bias = head.folded()
    network.get_layer(HEAD_LAYER).set_weights([weights.astype(np.float32), bias.astype(np.float32)])
    return network


def check_shipped(folder: Path, version: str, splits: Sequence[Split], head: LinearHead, count: int = 24) -> float:
    """Largest probability difference between the shipped file (app code path) and the cached-feature head."""
    from wardrobe_app.ml.classifier import from_shipped
    from wardrobe_app.training.features import view_input

    classifier = from_shipped(read_folder(folder, version))
    paths = [p for s in splits for p in s.paths[:: max(1, len(s.paths) // (count // len(splits)))]][:count]
    expected = np.concatenate([s.views[0][:: max(1, len(s.paths) // (count // len(splits)))] for s in splits])[:count]
    got, _ = classifier.predict_arrays(np.stack([view_input(p, 0, 0) for p in paths]))
    return float(np.abs(got - head.predict_proba(expected)).max())


def report(version: str, split: Split, probabilities: np.ndarray) -> EvalReport:
    return build_report(version, LABELS_V2, split.labels, probabilities.argmax(1))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    started = time.time()
    version = args.out.name
    full_version = f"{MODEL_NAME}/{version}"
    prefixes = tuple(args.features)
    splits = load_all(args.data, args.cache, prefixes)
    config = HeadConfig(
        l2=args.l2, balance=args.balance, group_weight=args.group_weight, views=not args.no_views, prior=args.prior
    )
    trained_whole = args.tuned_full is not None and not args.refit_head
    if trained_whole:  # the head comes with the network; its training rows are in finetune_full's history
        x, y = np.zeros((0, 512)), np.zeros((0,), np.int64)
    else:
        x, y = train_rows([splits["small_train"], splits["extra_train"]], config.views)
    tuned = tuned_block5(args.tuned) if args.tuned is not None else None
    if args.tuned_full is not None:
        from wardrobe_app.training.finetune_full_ship import network_from_shards

        tuned = network_from_shards(args.tuned_full)
    if tuned is not None and not args.refit_head:
        from wardrobe_app.training.network import HEAD_LAYER

        kernel, bias = tuned.get_layer(HEAD_LAYER).get_weights()
        head = LinearHead(kernel.astype(np.float64), bias.astype(np.float64))
        log.info("head: the fine-tuned one (%s)", args.tuned or args.tuned_full)
    else:
        log.info("fitting the head on %d rows (%s)", len(y), config)
        head = config.fit(x, y)

    if args.new_label_margin:
        from wardrobe_app.training.v2_data import NEW_TOPS

        bias = head.bias.copy()
        bias[len(LABELS_V2) - len(NEW_TOPS) :] -= args.new_label_margin
        head = LinearHead(head.weights, bias, head.temperature)
    val_splits = [splits["small_val"], splits["extra_val"]]
    val_x = np.concatenate([s.views[0] for s in val_splits])
    val_y = np.concatenate([s.labels for s in val_splits])
    temperature = fit_temperature(head.logits(val_x), val_y)
    uncalibrated = head
    head = head.with_temperature(temperature)
    val_p = head.predict_proba(val_x)
    threshold = choose_review_threshold(val_p.max(1), val_p.argmax(1) == val_y)
    log.info("temperature %.3f, needs-review threshold %.2f", temperature, threshold)

    evaluated: dict[str, Split] = {"validation": splits["small_val"], "extra_validation": splits["extra_val"]}
    if args.evaluate_test:
        evaluated["test"] = load_split(args.data, args.cache, "clothing-small", "test", (0,), prefixes)
    probs = {name: head.predict_proba(s.views[0]) for name, s in evaluated.items()}
    reports = {name: report(full_version, evaluated[name], p) for name, p in probs.items()}
    figures_by_split = {
        name: figures(p, evaluated[name].labels, new_tops=name == "extra_validation") for name, p in probs.items()
    }
    calibration = {
        "temperature": round(temperature, 4),
        "validation_ece_before": round(
            expected_calibration_error(uncalibrated.predict_proba(val_x).max(1), val_p.argmax(1) == val_y), 4
        ),
        "validation_ece_after": round(expected_calibration_error(val_p.max(1), val_p.argmax(1) == val_y), 4),
        "reliability": {
            name: [
                [round(c, 3), round(a, 3), n]
                for c, a, n in reliability(p.max(1), p.argmax(1) == evaluated[name].labels, bins=4)
            ]
            for name, p in probs.items()
        },
    }

    imagenet = None
    if "g" in prefixes:
        from wardrobe_app.ml.vgg_weights import imagenet_notop_weights

        imagenet = imagenet_notop_weights(args.cache)
    network = build_network(args.base, head, imagenet, tuned, full=args.tuned_full is not None)
    save_network(network, args.out)
    kinds_entry: dict[str, Any] | None = None
    kinds_info: dict[str, Any] = {}
    if args.kinds is not None:
        from wardrobe_app.training.v2_kinds import train_kind_heads

        if args.kind_features is not None:
            with np.load(args.kind_features) as stored:
                by_file = dict(zip(stored["files"].tolist(), stored["features"].astype(np.float32), strict=True))
        else:
            by_file = {
                p.name: f
                for name in ("small_train", "small_val")
                for p, f in zip(splits[name].paths, splits[name].views[0], strict=True)
            }
            test_split = load_split(args.data, args.cache, "clothing-small", "test", (0,), prefixes)
            if 0 in test_split.views:
                by_file.update({p.name: f for p, f in zip(test_split.paths, test_split.views[0], strict=True)})
        heads = train_kind_heads(args.kinds, by_file)
        path = save_kind_heads(args.out, heads)
        kinds_entry = {"file": KINDS_FILE, "sha256": sha256_of(path), "labels_csv": str(args.kinds)}
        kinds_info = {h.parent: {"kinds": list(h.kinds), "threshold": h.threshold, **h.info} for h in heads}

    write_manifest(args.out, LABELS_V2, {"name": MODEL_NAME, "version": version})
    drift = check_shipped(args.out, full_version, val_splits, head)
    log.info("shipped file vs cached-feature head: max probability difference %.5f", drift)
    write_reports(args.out, reports)
    experiments = json.loads(args.experiments.read_text()) if args.experiments else None
    base_manifest = json.loads((args.base / "manifest.json").read_text(encoding="utf-8"))
    fields: dict[str, Any] = {
        "name": MODEL_NAME,
        "version": version,
        "input_size": base_manifest["input_size"],
        "input_kind": "raw",
        "preprocessing": base_manifest["preprocessing"],
        "outputs": [
            "softmax over labels.json (temperature-scaled)",
            "512-d global-average-pooled VGG16 block5_pool features"
            + (
                " (fine-tuned block3-5: not comparable with the base version's)"
                if args.tuned_full
                else " (fine-tuned block5: not comparable with the base version's)"
                if tuned
                else " (the base version's)"
            ),
            *(["1024-d head features: those 512 + frozen ImageNet block5 pooled features"] if imagenet else []),
        ],
        "head_features": "base block5 + frozen ImageNet block5 (1024-d)" if imagenet else "base block5 (512-d)",
        "weights_storage": "float16 (cast to float32 on load)",
        "needs_review_threshold": threshold,
        "needs_review_share": {name: round(float(np.mean(p.max(1) < threshold)), 4) for name, p in probs.items()},
        "base_weights": base_manifest["base_weights"],
        "convolutions_from": f"{MODEL_NAME}/{args.base.name} "
        + (
            "(block3-5 and the head fine-tuned on heavy views: training.finetune_full, "
            + " + ".join(f"{p.parent.name}/{p.name}" for p in args.tuned_full)
            + ")"
            if args.tuned_full
            else f"(block5 fine-tuned: {args.tuned.name})"
            if args.tuned
            else "(block1-5 unchanged)"
        ),
        "kinds": kinds_entry,
        "training": {
            "head": config.__dict__,
            "rows": len(y) if not trained_whole else "the network's own head (finetune_full history)",
            "augmented_views": list(AUGMENTED_VIEWS),
            "minutes": round((time.time() - started) / 60, 1),
            "shipped_vs_cached_max_probability_difference": round(drift, 5),
        },
        "calibration": calibration,
        "figures": {name: {k: round(v, 4) for k, v in f.items()} for name, f in figures_by_split.items()},
        "per_class_recall": {
            name: {
                c: {"photos": n, "recall": round(r, 4)}
                for c, (n, r) in per_class_recall(p, evaluated[name].labels).items()
            }
            for name, p in probs.items()
        },
        "metrics": {name: short_metrics(r) for name, r in reports.items()},
        "kind_heads": kinds_info,
        "cross_validation": experiments,
        "split_sizes": {name: len(s.paths) for name, s in {**splits, **evaluated}.items()},
    }
    if kinds_entry is None:
        fields.pop("kinds")
    manifest = write_manifest(args.out, LABELS_V2, fields)
    from wardrobe_app.training.v2_card import comparison, render

    render(args.out, args.base)
    for row in comparison(manifest, base_manifest):
        log.info(
            "%s: base %.4f, new %.4f%s",
            row["figure"],
            row["base"],
            row["new"],
            "" if row["not_worse"] else "  <- worse",
        )
    for name, f in figures_by_split.items():
        log.info("%s: %s", name, {k: round(v, 4) for k, v in f.items()})
    for name, r in reports.items():
        log.info("%s:\n%s", name, r.format_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
