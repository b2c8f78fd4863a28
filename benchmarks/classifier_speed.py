"""Garment classifier speed: model load time (sha256 check included) and batched inference ms per photo.

    python benchmarks/classifier_speed.py [--photos 64] [--batch 16] [--version garment_classifier/1.0.0]

Photos are random 400x533 RGB arrays (the size of the training photos); preprocessing is included in the timing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--version", default=None)
    args = parser.parse_args()

    started = time.perf_counter()
    import keras  # noqa: F401  (framework import timed apart from the model load)

    framework_s = time.perf_counter() - started
    from wardrobe_app.ml.classifier import load_classifier

    started = time.perf_counter()
    classifier = load_classifier(version=args.version)
    load_s = time.perf_counter() - started

    rng = np.random.default_rng(0)
    photos = [rng.integers(0, 256, (533, 400, 3), dtype=np.uint8) for _ in range(args.photos)]
    classifier.classify(photos[: args.batch], batch_size=args.batch)  # warm-up (graph tracing)
    started = time.perf_counter()
    classifier.classify(photos, batch_size=args.batch)
    per_photo_ms = 1000 * (time.perf_counter() - started) / len(photos)

    print(f"classifier {classifier.version}")
    print(f"import keras/tensorflow: {framework_s:.2f} s (once per process, not part of the model load)")
    print(f"model load (sha256 + Keras load): {load_s:.2f} s")
    print(f"batched inference (batch {args.batch}, {len(photos)} photos, 400x533 in): {per_photo_ms:.0f} ms/photo")


if __name__ == "__main__":
    main()
