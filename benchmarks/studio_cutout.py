"""The studio fast path of the segmenter against the full one, on product photos and on home photos.

    python benchmarks/studio_cutout.py --products /tmp/shop/images --home ../shared/datasets/clothing-small/test

Product photos: those benchmarks/shop_quality.py makes (garments on plain studio backdrops). For each
photo: which path the segmenter takes, its time, and the IoU of its mask with the full segmenter's
(GrabCut, forced). Home photos: how often the fast path fires on them, and its IoU there.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wardrobe_app.vision import segment
from wardrobe_app.vision.loading import load_photo


def full_cut(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    saved = segment.studio_cut
    segment.studio_cut = lambda _small: None  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        return segment.cut_out(rgb).mask > 0, time.perf_counter() - started
    finally:
        segment.studio_cut = saved  # type: ignore[assignment]


def measure(paths: list[Path], label: str) -> None:
    fired, ious, fast_ms, full_ms = 0, [], [], []
    for path in paths:
        rgb = load_photo(path).rgb
        started = time.perf_counter()
        cut = segment.cut_out(rgb)
        elapsed = time.perf_counter() - started
        reference, full_seconds = full_cut(rgb)
        full_ms.append(1000 * full_seconds)
        if cut.method == "studio":
            fired += 1
            fast_ms.append(1000 * elapsed)
            mask = cut.mask > 0
            ious.append(np.count_nonzero(mask & reference) / max(1, np.count_nonzero(mask | reference)))
    print(f"{label}: {len(paths)} photos, studio path taken for {fired} ({fired / max(1, len(paths)):.0%})")
    if ious:
        print(
            f"  IoU with the full segmenter: mean {np.mean(ious):.3f}, median {np.median(ious):.3f}, "
            f"under 0.8: {np.mean(np.array(ious) < 0.8):.1%}"
        )
        print(f"  time: studio path {np.mean(fast_ms):.1f} ms/photo, full segmenter {np.mean(full_ms):.1f} ms/photo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=Path, required=True)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    measure(sorted(args.products.glob("*.jpg"))[: args.limit], "product photos")
    if args.home:
        measure(sorted(args.home.rglob("*.jpg"))[: args.limit], "home photos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
