"""Measure kind heads on a kind branch's features, and write a garment_classifier version that carries the branch.

    # figures only (block4 maps cached by training.v2_cache; no photo is read):
    python -m wardrobe_app.training.kind_version measure --cache work_cache/classifier/cache \
        --data ../shared/datasets [--branch imagenet|kinds_best.npz] [--pooling avg] [--with-base] --out FIG.json
    # a new version = the base network unchanged + the branch + kinds.json (then training.onnx_export):
    python -m wardrobe_app.training.kind_version build --base models/garment_classifier/1.0.0 \
        --out models/garment_classifier/1.1.0 --data ../shared/datasets [--branch ...] [--pooling avg]

Two protocols, both printed and written to the version's ``kinds.json``: heads fitted on the labels csv's train +
validation rows and measured on its test rows (honest for any branch that never trained on the test rows, e.g. one
fine-tuned by training.finetune_kinds), and 5-fold cross-validation over every labelled photo with the fitting and
calibration nested inside each fold (honest only for a branch that never trained on these labels, such as
ImageNet's own block5). ``--with-base`` puts the base version's 512 pooled features beside the branch's.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.kinds import KINDS
from wardrobe_app.training.kind_branch import BRANCH_CONVS, BRANCH_POOL, POOLINGS, BranchWeights

log = logging.getLogger("wardrobe_app.training.kind_version")
LABELS_CSV = Path("assets/labels/garment_kinds.csv")
FIT_SPLITS = ("train", "validation")
DATASET = "clothing-small"


def branch_weights(spec: str, cache: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """'imagenet' (ImageNet's block5) or a ``finetune_kinds`` npz; rounded through float16 as the shipped file
    stores them, so that the features measured here are the shipped network's."""
    from wardrobe_app.training.kind_branch import block5_from_npz, imagenet_block5

    weights = imagenet_block5(cache) if spec == "imagenet" else block5_from_npz(Path(spec))
    return {
        k: (w.astype(np.float16).astype(np.float32), b.astype(np.float16).astype(np.float32))
        for k, (w, b) in weights.items()
    }


def features_from_maps(
    rows: Sequence[dict[str, str]],
    data: Path,
    cache: Path,
    block5: BranchWeights | None,
    pooling: str,
    with_base: bool,
) -> dict[str, np.ndarray]:
    """Kind features of the labelled photos from block4 maps cached by ``training.v2_cache`` (view 0); without a
    branch (``block5`` None), the base version's own pooled features alone (what 1.0.0's kind heads saw)."""
    from wardrobe_app.ml.dataset import list_folder
    from wardrobe_app.training.features import CHUNK
    from wardrobe_app.training.kind_branch import branch_from_maps
    from wardrobe_app.training.v2_data import LABELS_V2, load_features

    branch = branch_from_maps(block5, pooling) if block5 is not None else None
    with_base = with_base or branch is None
    wanted = {(r["split"], r["file"]) for r in rows}
    out: dict[str, np.ndarray] = {}
    for split in sorted({r["split"] for r in rows}):
        paths = list_folder(data / DATASET / split, LABELS_V2).paths
        folder = cache / DATASET / "raw" / split
        base = load_features(folder, 0, len(paths), "f") if with_base else None
        if with_base and base is None:
            raise FileNotFoundError(f"the base features of {folder} are not cached")
        for start in range(0, len(paths), CHUNK):
            index = [i for i in range(start, min(start + CHUNK, len(paths))) if (split, paths[i].name) in wanted]
            if not index:
                continue
            if branch is None:
                out.update({paths[i].name: base[i] for i in index})  # type: ignore[index]
                continue
            maps = np.load(folder / f"v0_{start:06d}.npy", mmap_mode="r")
            chunk = np.asarray(maps[[i - start for i in index]], np.float32)
            pooled = np.concatenate(
                [np.asarray(branch(chunk[b : b + 16], training=False)) for b in range(0, len(chunk), 16)]
            )
            for i, f in zip(index, pooled, strict=True):
                out[paths[i].name] = np.concatenate([base[i], f]) if base is not None else f
    return out


def features_from_photos(rows: Sequence[dict[str, str]], data: Path, network: Any) -> dict[str, np.ndarray]:
    """Kind features (the network's third output) of the labelled photos, read and prepared as the app does."""
    from wardrobe_app.training.features import view_input

    out: dict[str, np.ndarray] = {}
    for start in range(0, len(rows), 16):
        part = rows[start : start + 16]
        batch = np.stack([view_input(data / DATASET / r["split"] / r["class"] / r["file"], 0, 0) for r in part])
        kind = np.asarray(network(batch, training=False)[2], np.float32)
        out.update({r["file"]: f for r, f in zip(part, kind, strict=True)})
        log.info("kind features: %d / %d photos", start + len(part), len(rows))
    return out


def measure(labels_csv: Path, features: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """Both protocols' recall tables (see the module docstring)."""
    from wardrobe_app.training.v2_kinds import nested_cv_tables, train_kind_heads

    heads = train_kind_heads(labels_csv, features, fit_splits=FIT_SPLITS)
    return {
        "fit_train_validation_measure_test": {h.parent: h.info["held_out_validation_test"] for h in heads},
        "nested_5fold_cv_all_labels": nested_cv_tables(labels_csv, features),
    }


def table_lines(figures: dict[str, Any]) -> list[str]:
    """Markdown tables of a ``measure`` result: per kind, photos and recall forced / with the fall-back."""
    lines = []
    for protocol, by_parent in figures.items():
        lines.append(f"{protocol}:")
        for parent, table in by_parent.items():
            lines += [
                "",
                f"| {parent} | photos | recall forced | recall with fall-back | fall-back |",
                "|---|---:|---:|---:|---:|",
            ]
            for kind in KINDS[parent]:
                row = table.get(kind)
                if row and "photos" in row:
                    figures_ = (row["recall_forced"], row["recall"], row["fallback"])
                    lines.append(f"| {kind} | {row['photos']} | " + " | ".join(f"{v:.2f}" for v in figures_) + " |")
            overall = table.get("_overall", {})
            slippers = table.get("slippers", {}).get("called formal shoes")
            named = f"named {overall.get('named', 0):.2f}, right when named {overall.get('right_when_named', 0):.2f}"
            lines.append(f"| all | {overall.get('photos')} | {overall.get('accuracy_forced', 0):.2f} | {named} | |")
            if slippers is not None:
                lines.append(f"\nslippers called formal shoes: {slippers}")
        lines.append("")
    return lines


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Write the new version: network with the branch (float16 storage), kinds.json fitted on ``--fit-splits``
    rows, the base's labels and figures (its outputs are checked unchanged), the manifest and a model card."""
    from wardrobe_app.ml.classifier import load_network
    from wardrobe_app.ml.kinds import KINDS_FILE, save_kind_heads
    from wardrobe_app.ml.vgg_weights import sha256_of
    from wardrobe_app.training.export import save_network
    from wardrobe_app.training.features import view_input
    from wardrobe_app.training.kind_branch import with_kind_branch
    from wardrobe_app.training.v2_kinds import read_kind_labels, train_kind_heads

    base_manifest = json.loads((args.base / "manifest.json").read_text(encoding="utf-8"))
    base = load_network(args.base / base_manifest["model_file"])
    network = with_kind_branch(base, branch_weights(args.branch, args.cache), args.pooling)
    args.out.mkdir(parents=True, exist_ok=True)
    save_network(network, args.out)
    shipped = load_network(args.out / "garment_classifier.keras")
    rows = read_kind_labels(args.kinds)
    probe = np.stack([view_input(args.data / DATASET / r["split"] / r["class"] / r["file"], 0, 0) for r in rows[::97]])
    before, after = base(probe, training=False), shipped(probe, training=False)
    gap = max(float(np.abs(np.asarray(a) - np.asarray(b)).max()) for a, b in zip(before, after[:2], strict=True))
    if gap > 1e-5:
        raise ValueError(f"the base network's outputs moved by {gap} with the branch added")
    store = args.work / f"kind_features_{args.out.name}.npz"
    if store.exists():
        with np.load(store) as saved:
            features = dict(zip(saved["files"].tolist(), saved["features"], strict=True))
    else:
        features = features_from_photos(rows, args.data, shipped)
        args.work.mkdir(parents=True, exist_ok=True)
        np.savez(store, files=np.array(list(features)), features=np.stack(list(features.values())))
    figures = measure(args.kinds, features)
    heads = train_kind_heads(args.kinds, features, fit_splits=tuple(args.fit_splits.split(",")))
    for head in heads:
        head.info["nested_5fold_cv_all_labels"] = figures["nested_5fold_cv_all_labels"].get(head.parent, {})
    kinds_path = save_kind_heads(args.out, heads)
    for name in (
        "labels.json",
        "metrics_test.json",
        "metrics_validation.json",
        "confusion_test.json",
        "confusion_validation.json",
        "confusion_test.png",
        "confusion_validation.png",
    ):
        if (args.base / name).exists():
            shutil.copy2(args.base / name, args.out / name)
    manifest = {
        **{k: v for k, v in base_manifest.items() if k != "fast_runtime"},
        "model_file": "garment_classifier.keras",
        "sha256": sha256_of(args.out / "garment_classifier.keras"),
        "version": args.out.name,
        "based_on": f"garment_classifier/{args.base.name} (network, labels, head and search features unchanged)",
        "outputs": [*base_manifest.get("outputs", [])[:2], f"kind features ({args.pooling}-pooled kind branch)"],
        "kind_branch": {
            "block5": args.branch if args.branch == "imagenet" else f"fine-tuned ({Path(args.branch).name})",
            "pooling": args.pooling,
            "input": "block4_pool of the base network (frozen ImageNet block1-4)",
            "layers": [*BRANCH_CONVS, BRANCH_POOL],
        },
        "kinds": {
            "file": KINDS_FILE,
            "sha256": sha256_of(kinds_path),
            "labels_csv": str(args.kinds),
            "fit_splits": args.fit_splits.split(","),
        },
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return figures


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("measure", "build"))
    parser.add_argument("--data", type=Path, required=True, help="the folder holding clothing-small/")
    parser.add_argument("--kinds", type=Path, default=LABELS_CSV)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("work_cache/classifier/cache"),
        help="block4 maps of training.v2_cache, and the converted ImageNet weights",
    )
    parser.add_argument(
        "--branch",
        default="imagenet",
        help="'imagenet', a finetune_kinds npz, or (measure) 'none': the base's features alone",
    )
    parser.add_argument("--pooling", choices=POOLINGS, default="avg")
    parser.add_argument("--with-base", action="store_true", help="measure: the base's 512 features beside the branch's")
    parser.add_argument("--out", type=Path, required=True, help="measure: a JSON file; build: the version folder")
    parser.add_argument("--base", type=Path, default=Path("models/garment_classifier/1.0.0"))
    parser.add_argument("--fit-splits", default=",".join(FIT_SPLITS), help="build: csv splits the heads learn from")
    parser.add_argument("--work", type=Path, default=Path("work_cache/kinds"), help="build: resumable feature store")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.action == "measure":
        from wardrobe_app.training.v2_kinds import read_kind_labels

        rows = read_kind_labels(args.kinds)
        block5 = None if args.branch == "none" else branch_weights(args.branch, args.cache)
        features = features_from_maps(rows, args.data, args.cache, block5, args.pooling, args.with_base)
        figures = measure(args.kinds, features)
        args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    else:
        figures = build(args)
    print("\n".join(table_lines(figures)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
