"""Cache for 2.x training: block4 maps, pooled features and base-version probabilities of photos and views.

    python -m wardrobe_app.training.v2_cache --data ../shared/datasets --cache /work/cache/classifier/cache \
        --jobs clothing-small:train:0,clothing-extra:train:2 [--rank 0 --workers 2]

A job is dataset:split:view; view 0 is the photo itself, view 1 the mild view of 1.0.0 (mirrored crop of 75-100 %,
training.features.view_input), views >= 2 heavy augmentations (training.views.HeavyViews, masks
cached next to the cache; with --no-new-masks only photos whose mask is already stored are composited).
Files per chunk of 128 photos:
``v{view}_{start}.npy`` (block4_pool, float16), ``f{view}_{start}.npy`` (512-d pooled features of the base
network), ``p{view}_{start}.npy`` (its probabilities). Several workers (``--rank`` of ``--workers``) split the
chunks between them; an interrupted run resumes at the first missing chunk.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.dataset import list_folder
from wardrobe_app.training.features import CHUNK, view_input
from wardrobe_app.training.v2_data import LABELS_V2
from wardrobe_app.training.views import HeavyViews, MaskStore

log = logging.getLogger("wardrobe_app.training.v2_cache")
BATCH = 16


def networks(base_model: Path) -> tuple[Any, Any]:
    """(photo -> [block4 maps, features, probabilities], block4 maps -> [features, probabilities]) of a version."""
    import keras

    from wardrobe_app.ml.classifier import load_network

    net = load_network(base_model)
    full = keras.Model(
        net.input, [net.get_layer("block4_pool").output, net.get_layer("features").output, net.outputs[0]]
    )
    maps_in = keras.Input((14, 14, 512))
    x = maps_in
    for name in ("block5_conv1", "block5_conv2", "block5_conv3", "block5_pool", "features"):
        x = net.get_layer(name)(x)
    return full, keras.Model(maps_in, [x, net.get_layer("category")(x)])


def run_job(
    data: Path,
    cache: Path,
    job: str,
    full: Any,
    from_maps: Any,
    heavy: HeavyViews,
    rank: int = 0,
    workers: int = 1,
    seed: int = 0,
) -> None:
    """Cache every chunk of one dataset:split:view job that belongs to this worker."""
    dataset, split, view_text = job.split(":")
    view = int(view_text)
    paths = list_folder(data / dataset / split, LABELS_V2).paths
    out = cache / dataset / "raw" / split
    out.mkdir(parents=True, exist_ok=True)
    started, done = time.monotonic(), 0
    for index, start in enumerate(range(0, len(paths), CHUNK)):
        if index % workers != rank:
            continue
        part = paths[start : start + CHUNK]
        maps_file, features_file, probs_file = (out / f"{kind}{view}_{start:06d}.npy" for kind in "vfp")
        if features_file.exists() and maps_file.exists():
            continue
        if maps_file.exists() and np.load(maps_file, mmap_mode="r").shape[0] == len(part):
            maps = np.load(maps_file)
            results = [
                [np.asarray(a) for a in from_maps(maps[i : i + BATCH].astype(np.float32), training=False)]
                for i in range(0, len(maps), BATCH)
            ]
            features, probs = [r[0] for r in results], [r[1] for r in results]
        else:
            batch = np.stack([view_input(p, view, seed) if view <= 1 else heavy(p, view) for p in part])
            results = [
                [np.asarray(a) for a in full(batch[i : i + BATCH], training=False)] for i in range(0, len(batch), BATCH)
            ]
            maps = np.concatenate([r[0] for r in results]).astype(np.float16)
            features, probs = [r[1] for r in results], [r[2] for r in results]
            _save(maps_file, maps)
        np.save(probs_file, np.concatenate(probs))
        _save(features_file, np.concatenate(features))
        done += len(part)
        log.info("%s: chunk %d, %.0f ms/photo", job, start, 1000 * (time.monotonic() - started) / done)
    log.info("DONE %s", job)


def _save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, array)
    tmp.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=Path("models/garment_classifier/1.0.0/garment_classifier.keras"))
    parser.add_argument("--jobs", required=True, help="comma-separated dataset:split:view")
    parser.add_argument("--rank", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-new-masks", action="store_true", help="composite only photos with a stored mask")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s w{args.rank} %(message)s")
    full, from_maps = networks(args.base)
    pool = [
        p for ds in ("clothing-small", "clothing-extra") for p in list_folder(args.data / ds / "train", LABELS_V2).paths
    ]
    heavy = HeavyViews(pool, MaskStore(args.cache.parent / "masks", compute=not args.no_new_masks), seed=args.seed)
    for job in args.jobs.split(","):
        run_job(args.data, args.cache, job, full, from_maps, heavy, args.rank, args.workers, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
