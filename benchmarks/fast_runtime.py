"""The int8 ONNX runtime against the Keras model it was exported from: accuracy, neighbours, speed, memory.

    python benchmarks/fast_runtime.py --data ../shared/datasets/clothing-small/test [--limit 0]

Prints top-1 and group accuracy of both on the folder (class = folder name; for labels outside the
model's, e.g. shoes and pants kinds, the photo's folder class is compared with the model's label), the
share of each photo's 5 nearest neighbours (cosine on the pooled features) that the two agree on, the
time per photo in batches of 8, the load time, and the memory of a process that loaded only the fast
runtime (measured in a child process so TensorFlow is not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from wardrobe_app.ml.classifier import load_classifier
classifier = load_classifier()
loaded = time.perf_counter() - started
print(json.dumps({"seconds": loaded, "tensorflow": "tensorflow" in sys.modules,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "backend": type(classifier._network).__name__}))
"""


def photos(folder: Path, limit: int) -> tuple[list[Path], list[str]]:
    paths, labels = [], []
    for class_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for photo in sorted(class_dir.glob("*.jpg")):
            paths.append(photo)
            labels.append(class_dir.name)
    if limit:
        step = max(1, len(paths) // limit)
        paths, labels = paths[::step][:limit], labels[::step][:limit]
    return paths, labels


def run(runtime: str, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str], float]:
    os.environ["WARDROBE_RUNTIME"] = runtime
    from wardrobe_app.ml.classifier import load_classifier

    classifier = load_classifier()
    classifier.predict_arrays(inputs[:8])  # warm up
    started = time.perf_counter()
    probs, feats = zip(*(classifier.predict_arrays(inputs[i : i + 8]) for i in range(0, len(inputs), 8)), strict=True)
    seconds = time.perf_counter() - started
    return np.concatenate(probs), np.concatenate(feats), list(classifier.labels), 1000 * seconds / len(inputs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    from wardrobe_app.domain import CATEGORY_GROUPS
    from wardrobe_app.ml.preprocess import network_input
    from wardrobe_app.vision.loading import load_photo

    paths, truth = photos(args.data, args.limit)
    inputs = np.stack([network_input(load_photo(p).rgb) for p in paths]).astype(np.float32)
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WARDROBE_RUNTIME": "auto"},
    )
    fast_process = json.loads(child.stdout.strip().splitlines()[-1])
    results = {name: run(name, inputs) for name in ("auto", "keras")}
    print(f"{len(paths)} photos of {args.data}")
    neighbours = {}
    for name, (probs, feats, labels, ms) in results.items():
        predicted = [labels[i] for i in probs.argmax(1)]
        top1 = np.mean([p == t for p, t in zip(predicted, truth, strict=True)])
        group = np.mean([CATEGORY_GROUPS[p] == CATEGORY_GROUPS[t] for p, t in zip(predicted, truth, strict=True)])
        unit = feats / np.maximum(np.linalg.norm(feats, axis=1, keepdims=True), 1e-9)
        sims = unit @ unit.T
        np.fill_diagonal(sims, -np.inf)
        neighbours[name] = np.argsort(-sims, axis=1)[:, :5]
        label = "int8 ONNX (fast runtime)" if name == "auto" else "Keras float32 (source)"
        print(f"  {label:<26} top-1 {top1:.4f}  group {group:.4f}  {ms:6.1f} ms/photo (batches of 8)")
    overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(neighbours["auto"], neighbours["keras"], strict=True)])
    agree = np.mean(results["auto"][0].argmax(1) == results["keras"][0].argmax(1))
    print(f"  same top-1 label: {agree:.4f}; 5 nearest neighbours in common: {overlap:.4f}")
    print(
        f"  a process with only the fast runtime: loads in {fast_process['seconds']:.2f} s, "
        f"TensorFlow imported: {fast_process['tensorflow']}, peak RSS {fast_process['rss_mb']:.0f} MB "
        f"({fast_process['backend']})"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this process (both runtimes loaded): peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
