"""Clean-out's near-duplicate distance: the same garment photographed twice against different garments.

    python benchmarks/duplicate_distance.py --data ../shared/datasets/clothing-small/test --per-class 8

For each sampled photo, a second "photo" of the same garment is made (cropped by a few per cent, moved,
brightened or darkened, slightly rotated) and both go through the import pipeline (cut-out, colour
histogram). Prints the distance (1 - cosine of the closet embedding, colour part only: the features the
CLI has without loading the classifier) between each photo and its re-shot, and between each photo and the
nearest other garment of its class, with the share of each below candidate thresholds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wardrobe_app.search import combine  # noqa: E402
from wardrobe_app.vision.pipeline import process_photo  # noqa: E402
from wardrobe_app.vision.render import hsv_histogram  # noqa: E402


def reshoot(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same garment in another photo: a little crop, shift, rotation and exposure change."""
    h, w = image.shape[:2]
    angle = float(rng.uniform(-6, 6))
    scale = float(rng.uniform(0.95, 1.05))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[:, 2] += rng.uniform(-0.04, 0.04, 2) * (w, h)
    moved = cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REFLECT)
    gain = float(rng.uniform(0.85, 1.15))
    return np.clip(moved.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def embed(path: Path) -> np.ndarray:
    processed = process_photo(path)
    return combine(None, hsv_histogram(processed.loaded.rgb, processed.cutout.mask))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT.parent / "shared/datasets/clothing-small/test"))
    parser.add_argument("--per-class", type=int, default=8)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    same, other = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for folder in sorted(p for p in Path(args.data).iterdir() if p.is_dir()):
            photos = sorted(folder.glob("*.jpg"))
            photos = [photos[i] for i in rng.choice(len(photos), min(args.per_class, len(photos)), replace=False)]
            vectors, twins = [], []
            for n, photo in enumerate(photos):
                copy = Path(tmp) / f"{folder.name}-{n}.jpg"
                cv2.imwrite(str(copy), reshoot(cv2.imread(str(photo)), rng))
                vectors.append(embed(photo))
                twins.append(embed(copy))
            v, t = np.stack(vectors), np.stack(twins)
            own = np.einsum("ij,ij->i", v, v)
            same += list(1 - np.einsum("ij,ij->i", v, t) / own)
            scores = (v @ v.T) / own[:, None]
            np.fill_diagonal(scores, -np.inf)
            other += list(1 - scores.max(axis=1))
    same_a, other_a = np.array(same), np.array(other)
    print(f"{len(same)} photos, {len(list(Path(args.data).iterdir()))} classes (colour embedding)")
    for name, values in (("same garment re-shot", same_a), ("nearest other garment", other_a)):
        q = np.percentile(values, [10, 50, 90])
        print(f"{name:<22} distance p10 {q[0]:.3f}  median {q[1]:.3f}  p90 {q[2]:.3f}")
    for threshold in (0.05, 0.08, 0.1, 0.12, 0.15, 0.2):
        print(
            f"threshold {threshold:.2f}: re-shots found {np.mean(same_a <= threshold):5.0%}, "
            f"other garments taken for duplicates {np.mean(other_a <= threshold):5.0%}"
        )


if __name__ == "__main__":
    main()
