"""Turn weights of ``training.finetune_full`` into a shipped classifier version (calibrated, evaluated, carded).

    python -m wardrobe_app.training.finetune_full_ship --shards OUT/best --device-features OUT/features_best.npz \
        --data ../shared/datasets --cache /work/cache/gpu/cache -- --out models/garment_classifier/2.0.0 \
        --kinds assets/labels/garment_kinds.csv [--evaluate-test]

Writes the 512-d features of the fine-tuned network in the cache layout ``train_classifier_v2`` reads (prefix
"u"): validation and test splits computed here from the original photos through the app's own input path;
training splits taken from the GPU run (the same photos as packed, 224 px WebP), used only for the shoe and
trouser kind heads. Then runs ``train_classifier_v2 --features u --tuned-full SHARDS`` with the remaining
arguments: temperature on validation, needs-review threshold, kind heads, reports, manifest and model card.
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
#: (dataset, split, where its features come from)
SPLITS: tuple[tuple[str, str, str], ...] = (
    ("clothing-small", "train", "device"),
    ("clothing-small", "validation", "here"),
    ("clothing-small", "test", "here"),
    ("clothing-extra", "train", "device"),
    ("clothing-extra", "validation", "here"),
)
#: Split ids of training.photo_pack.
PACK_SPLIT = {("clothing-small", "train"): 0, ("clothing-extra", "train"): 2}


def network_from_shards(prefix: Path) -> Any:
    """The shipped-shape network (sixteen labels) with every block and the head from ``PREFIX_*.npz`` shards."""
    from wardrobe_app.training.finetune_full import SHARDS
    from wardrobe_app.training.network import build_classifier_network
    from wardrobe_app.training.v2_data import LABELS_V2

    arrays: dict[str, np.ndarray] = {}
    for _, suffix in SHARDS:
        with np.load(prefix.parent / f"{prefix.name}_{suffix}.npz") as shard:
            arrays.update({k: shard[k] for k in shard.files})
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
        raise ValueError(f"{prefix}: {len(arrays)} weight arrays in the shards, {loaded} matched the network")
    return network


def write_chunks(folder: Path, features: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(features), CHUNK):
        np.save(folder / f"{PREFIX}0_{start:06d}.npy", features[start : start + CHUNK].astype(np.float32))


def cache_features(network: Any, data: Path, cache: Path, device_features: Path) -> None:
    """Every split's features under ``cache/<dataset>/raw/<split>/u0_*.npy`` (kept if already complete)."""
    import keras

    from wardrobe_app.ml.dataset import list_folder
    from wardrobe_app.training.features import view_input
    from wardrobe_app.training.v2_data import LABELS_V2, load_features

    extractor = keras.Model(network.input, network.outputs[1])
    device = np.load(device_features)
    for dataset, split, source in SPLITS:
        listed = list_folder(data / dataset / split, LABELS_V2)
        folder = cache / dataset / "raw" / split
        if load_features(folder, 0, len(listed.paths), PREFIX) is not None:
            continue
        if source == "device":
            rows = device["splits"] == PACK_SPLIT[(dataset, split)]
            features = device["features"][rows].astype(np.float32)
            if not np.array_equal(device["labels"][rows], listed.labels) or len(features) != len(listed.paths):
                raise ValueError(f"{device_features}: {dataset}/{split} does not match the photos on disk")
        else:
            parts = []
            for start in range(0, len(listed.paths), 32):
                batch = np.stack([view_input(p, 0, 0) for p in listed.paths[start : start + 32]])
                parts.append(np.asarray(extractor.predict_on_batch(batch), np.float32))
                log.info("%s/%s: %d/%d", dataset, split, start + len(batch), len(listed.paths))
            features = np.concatenate(parts)
        write_chunks(folder, features)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=Path, required=True)
    parser.add_argument("--device-features", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="-- then train_classifier_v2's own arguments")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    cache_features(network_from_shards(args.shards), args.data, args.cache, args.device_features)
    from wardrobe_app.training import train_classifier_v2

    rest = [a for a in args.rest if a != "--"]
    return train_classifier_v2.main(
        [
            "--data",
            str(args.data),
            "--cache",
            str(args.cache),
            "--features",
            PREFIX,
            "--tuned-full",
            str(args.shards),
            *rest,
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
