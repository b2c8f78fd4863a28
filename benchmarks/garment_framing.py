"""The garment framed by its cut-out against the whole photo: does a garment photographed from afar read right?

    python benchmarks/garment_framing.py ../shared/datasets/clothing-small/validation [--scale 0.5] [--limit N]

For each photo of a folder-per-class set (the class folder is the truth) the active classifier reads:
the whole photo (what 1.0.0 was trained and measured on), the garment framed by its cut-out (what the app now
feeds the network, ``ml.preprocess.frame_garment``), and, to stand for a garment photographed from afar (a
child's top on a wide floor), the garment pasted at ``--scale`` of its size onto its own photo's background
(the garment painted out, ``training.augment.background_plate``) at a random place (fixed seed), read whole
and framed. Prints top-1, group accuracy and dress recall of each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wardrobe_app.domain import CATEGORY_GROUPS


def pasted_far(rgb: np.ndarray, mask: np.ndarray, scale: float, rng: np.random.Generator) -> np.ndarray:
    """The garment (mask 0/255) at ``scale`` of its size on its own background, at a random place."""
    from wardrobe_app.training.augment import background_plate

    height, width = rgb.shape[:2]
    ys, xs = np.nonzero(mask >= 128)
    if not len(ys):
        return rgb
    garment = rgb[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    alpha = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    new_w, new_h = max(4, round(garment.shape[1] * scale)), max(4, round(garment.shape[0] * scale))
    garment = cv2.resize(garment, (new_w, new_h), interpolation=cv2.INTER_AREA).astype(np.float32)
    soft = cv2.GaussianBlur(cv2.resize(alpha, (new_w, new_h)).astype(np.float32) / 255.0, (0, 0), 1.0)[..., None]
    out = background_plate(rgb, mask, (width, height)).astype(np.float32)
    x0, y0 = int(rng.integers(0, width - new_w + 1)), int(rng.integers(0, height - new_h + 1))
    region = out[y0 : y0 + new_h, x0 : x0 + new_w]
    out[y0 : y0 + new_h, x0 : x0 + new_w] = soft * garment + (1.0 - soft) * region
    return np.clip(out, 0, 255).astype(np.uint8)


def figures(truth: list[str], predicted: list[str]) -> str:
    t, p = np.array(truth), np.array(predicted)
    group = np.mean([CATEGORY_GROUPS[a] == CATEGORY_GROUPS[b] for a, b in zip(p, t, strict=True)])
    dresses = t == "dress"
    dress = f"{np.mean(p[dresses] == 'dress'):.3f}" if dresses.any() else "-"
    return f"top-1 {np.mean(p == t):.3f}  group {group:.3f}  dress recall {dress}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a folder of <class>/<photo> (class names as the classifier's)")
    parser.add_argument("--scale", type=float, default=0.5, help="size of the garment pasted from afar")
    parser.add_argument("--limit", type=int, default=None, help="every n-th photo so that at most this many are read")
    args = parser.parse_args()
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.services.importing import expand_paths
    from wardrobe_app.vision.loading import load_photo
    from wardrobe_app.vision.segment import cut_out

    classifier = load_classifier()
    paths = [p for p in expand_paths([args.folder]) if p.parent.name in CATEGORY_GROUPS]
    if args.limit and len(paths) > args.limit:
        paths = paths[:: -(-len(paths) // args.limit)]
    rng = np.random.default_rng(20261126)
    truth: list[str] = []
    read: dict[str, list[str]] = {"whole": [], "framed": [], "far, whole": [], "far, framed": []}
    for n, path in enumerate(paths):
        loaded = load_photo(path)
        mask = cut_out(loaded.rgb, loaded.alpha).mask
        far = pasted_far(loaded.rgb, mask, args.scale, rng)
        far_mask = cut_out(far).mask
        found = classifier.classify([loaded.rgb, loaded.rgb, far, far], masks=[None, mask, None, far_mask])
        for name, result in zip(read, found, strict=True):
            read[name].append(result.category)
        truth.append(path.parent.name)
        if n % 50 == 49:
            print(f"{n + 1}/{len(paths)}", file=sys.stderr, flush=True)
    print(f"{classifier.version}: {len(truth)} photos of {args.folder}; far = garment at {args.scale:g} of its size")
    for name, predicted in read.items():
        print(f"  {name:<12} {figures(truth, predicted)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
