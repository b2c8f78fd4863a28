"""Turn weights of ``training.finetune_full`` into a shipped classifier version (calibrated, evaluated, carded).

    python -m wardrobe_app.training.finetune_full_ship --shards RUN1/last RUN2/last --data ../shared/datasets \
        --cache /work/cache/gpu/ship --kinds assets/labels/garment_kinds.csv -- \
        --out models/garment_classifier/2.0.0 [--evaluate-test]

Computes the 512-d features of the fine-tuned network (several shard prefixes: the mean of their weights) from
the original photos through the app's own input path: validation and test splits in the cache layout
``train_classifier_v2`` reads (prefix "u"), and the photos of the shoe/trouser kind labels. Then runs
``train_classifier_v2 --features u --tuned-full SHARDS`` with the remaining arguments: temperature on
validation, needs-review threshold, kind heads, reports, manifest and model card.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.training.features import CHUNK

log = logging.getLogger("wardrobe_app.training.finetune_full_ship")

PREFIX = "u"
#: Splits whose features are cached for evaluation and calibration (the training splits are not needed: the head
#: comes with the network).
SPLITS: tuple[tuple[str, str], ...] = (
    ("clothing-small", "validation"),
    ("clothing-small", "test"),
    ("clothing-extra", "validation"),
)


def network_from_shards(prefixes: Sequence[Path]) -> Any:
    """The shipped-shape network (sixteen labels) with every block and the head from ``PREFIX_*.npz`` shards;
    several prefixes (runs fine-tuned from the same start) give the mean of their weights (a model soup)."""
    from wardrobe_app.training.finetune_full import SHARDS
    from wardrobe_app.training.network import build_classifier_network
    from wardrobe_app.training.v2_data import LABELS_V2

    arrays: dict[str, np.ndarray] = {}
    for prefix in prefixes:
        for _, suffix in SHARDS:
            with np.load(prefix.parent / f"{prefix.name}_{suffix}.npz") as shard:
                for k in shard.files:
                    arrays[k] = arrays.get(k, 0) + shard[k].astype(np.float32) / len(prefixes)
    network = build_classifier_network(len(LABELS_V2))
    loaded = 0
    for layer in network.layers:
        if not layer.weights:
            continue
        keys = [f"{layer.name}/{k}" for k in range(len(layer.weights))]
        if all(k in arrays for k in keys):
            layer.set_weights([arrays[k].astype(np.float32) for k in keys])
            loaded += len(keys)
    if loaded != len(arrays):
        raise ValueError(f"{prefixes}: {len(arrays)} weight arrays in the shards, {loaded} matched the network")
    return network


def write_chunks(folder: Path, features: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(features), CHUNK):
        np.save(folder / f"{PREFIX}0_{start:06d}.npy", features[start : start + CHUNK].astype(np.float32))


def extract(extractor: Any, paths: Sequence[Path], what: str) -> np.ndarray:
    """512-d features of photos through the app's own input path (whole photo, 224 px, caffe)."""
    from wardrobe_app.training.features import view_input

    parts = []
    for start in range(0, len(paths), 32):
        batch = np.stack([view_input(p, 0, 0) for p in paths[start : start + 32]])
        parts.append(np.asarray(extractor.predict_on_batch(batch), np.float32))
        log.info("%s: %d/%d", what, start + len(batch), len(paths))
    return np.concatenate(parts) if parts else np.zeros((0, 512), np.float32)


def cache_features(network: Any, data: Path, cache: Path, kinds_csv: Path | None) -> Path | None:
    """Validation and test features under ``cache/<dataset>/raw/<split>/u0_*.npy``, and those of the photos of
    ``kinds_csv`` in ``cache/kind_features.npz`` (each kept if already complete)."""
    import keras

    from wardrobe_app.ml.dataset import list_folder
    from wardrobe_app.training.v2_data import LABELS_V2, load_features

    extractor = keras.Model(network.input, network.outputs[1])
    by_path: dict[Path, np.ndarray] = {}
    for dataset, split in SPLITS:
        listed = list_folder(data / dataset / split, LABELS_V2)
        folder = cache / dataset / "raw" / split
        features = load_features(folder, 0, len(listed.paths), PREFIX)
        if features is None:
            features = extract(extractor, listed.paths, f"{dataset}/{split}")
            write_chunks(folder, features)
        by_path.update(zip(listed.paths, features, strict=True))
    if kinds_csv is None:
        return None
    out = cache / "kind_features.npz"
    if out.exists():
        return out
    from wardrobe_app.training.v2_kinds import read_kind_labels

    paths = [data / "clothing-small" / r["split"] / r["class"] / r["file"] for r in read_kind_labels(kinds_csv)]
    missing = [p for p in paths if p not in by_path]
    by_path.update(zip(missing, extract(extractor, missing, "kind-labelled photos"), strict=True))
    tmp = cache / "kind_features.tmp.npz"
    np.savez(tmp, files=np.array([p.name for p in paths]), features=np.stack([by_path[p] for p in paths]))
    tmp.replace(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=Path, nargs="+", required=True, help="prefix(es); several: a model soup")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True, help="one folder per candidate network")
    parser.add_argument("--kinds", type=Path, default=None, help="garment_kinds.csv")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="-- then train_classifier_v2's own arguments")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    kind_features = cache_features(network_from_shards(args.shards), args.data, args.cache, args.kinds)
    from wardrobe_app.training import train_classifier_v2

    rest = [a for a in args.rest if a != "--"]
    extra = ["--kinds", str(args.kinds), "--kind-features", str(kind_features)] if kind_features else []
    common = ["--data", str(args.data), "--cache", str(args.cache), "--features", PREFIX]
    return train_classifier_v2.main([*common, *extra, *rest, "--tuned-full", *map(str, args.shards)])


if __name__ == "__main__":
    raise SystemExit(main())
