"""Catalogue import speed (photos/s, ms per stage) into a temporary data dir.

    python benchmarks/catalogue_speed.py ../shared/datasets/clothing-small/test [--limit 100]
        [--classifier shipped|imagenet|none] [--batch 16]

``imagenet`` stands in for a classifier that is not shipped yet: frozen ImageNet VGG16 with
a random 10-class head, the same network size and forward pass as the garment classifier.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's wardrobe_app, not an installed one
from import_speed import cpu_line
from photo_sample import spread_sample

from wardrobe_app.services import catalogue as catalogue_module
from wardrobe_app.services.wardrobe import Wardrobe


def imagenet_stand_in() -> Any:
    """A GarmentClassifier over frozen ImageNet VGG16 (GAP features, random head)."""
    import keras

    from wardrobe_app.domain import CLASSIFIER_CATEGORIES
    from wardrobe_app.ml.classifier import GarmentClassifier
    from wardrobe_app.ml.vgg_weights import imagenet_vgg16

    vgg = imagenet_vgg16(Path("work_cache"))
    features = keras.layers.GlobalAveragePooling2D()(vgg.output)
    probabilities = keras.layers.Dense(len(CLASSIFIER_CATEGORIES), activation="softmax")(features)
    return GarmentClassifier(
        keras.Model(vgg.input, [probabilities, features]), CLASSIFIER_CATEGORIES, "imagenet-stand-in"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--classifier", choices=["shipped", "imagenet", "none"], default="shipped")
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()

    paths = spread_sample(args.folder, args.limit)
    if not paths:
        print(f"no photos in {args.folder}", file=sys.stderr)
        return 1
    catalogue_module.BATCH_SIZE = args.batch
    with tempfile.TemporaryDirectory() as tmp:
        shop = Path(tmp) / "shop"
        shop.mkdir()
        for n, path in enumerate(paths):
            (shop / f"{n:05d}{path.suffix}").symlink_to(path.resolve())
        choice: Any = {"shipped": "auto", "none": "none"}.get(args.classifier)
        started = time.perf_counter()
        if choice is None:
            choice = imagenet_stand_in()
        wardrobe = Wardrobe.open(Path(tmp) / "data", classifier=choice)
        classifier = wardrobe.classifier()
        print(
            f"classifier: {classifier.version if classifier else 'none'} "
            f"(load {time.perf_counter() - started:.1f} s){' ' + (wardrobe.classifier_error or '')}"
        )
        if classifier is not None:  # the first forward pass builds the graph: not part of the import
            classifier.classify([np.zeros((64, 64, 3), np.uint8)])
        cpu_started = time.process_time()
        report = wardrobe.import_catalogue("bench", shop)
        cpu = time.process_time() - cpu_started
        print(
            f"imported {report.added}/{report.total} photos in {report.seconds:.1f} s: "
            f"{report.photos_per_second:.2f} photos/s (batches of {args.batch})"
        )
        print(cpu_line(cpu, report.added))
        for stage, seconds in report.timings.stages.items():
            print(f"  {stage:<10} {1000 * seconds / max(1, report.timings.photos):7.1f} ms/photo")
        started = time.perf_counter()
        again = wardrobe.import_catalogue("bench", shop)
        print(f"re-run (resume, nothing left): {again.already_in} skipped in {time.perf_counter() - started:.1f} s")
        wardrobe.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
