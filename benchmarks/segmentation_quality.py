"""Measure the garment segmenter: composite IoU / failure rate and a contact sheet of real photos.

Usage (from the project root, by hand; not part of the test suite):

    nice .venv/bin/python benchmarks/segmentation_quality.py ../shared/datasets/clothing-small/test \
        --composites 200 --sheet 50 --out /tmp/wardrobe-seg

(a) Composites: garment-like shapes (t-shirt, trousers, dress, skirt, shoe pair, cap)
filled with fabric cut from the centre of one shared photo, laid with a soft
shadow on a background mirror-tiled from a corner of another shared photo; the
shape is the ground truth.  Reports mean IoU and the failure rate (IoU < 0.7).
(b) Contact sheet: the first N photos (sorted, spread over classes) with their
cut-out outlined and ms per photo, as PNG sheets of 25 under --out, for a
person to count the visually correct cut-outs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wardrobe_app.vision.loading import load_photo
from wardrobe_app.vision.segment import cut_out

SIZE = (400, 533)  # width, height of the shared photos


def _shape(kind: str, rng: random.Random) -> np.ndarray:
    width, height = SIZE
    mask = np.zeros((height, width), np.uint8)
    s = rng.uniform(0.55, 0.85)
    cx, cy = width / 2 + rng.uniform(-30, 30), height / 2 + rng.uniform(-30, 30)

    def poly(points: list[tuple[float, float]]) -> None:
        pts = np.array([(cx + x * s * width / 2, cy + y * s * height / 2) for x, y in points], np.int32)
        cv2.fillPoly(mask, [pts], 255)

    if kind == "t-shirt":
        poly(
            [
                (-0.35, -0.6),
                (-0.1, -0.65),
                (0.1, -0.65),
                (0.35, -0.6),
                (0.9, -0.3),
                (0.7, 0.0),
                (0.45, -0.15),
                (0.45, 0.7),
                (-0.45, 0.7),
                (-0.45, -0.15),
                (-0.7, 0.0),
                (-0.9, -0.3),
            ]
        )
    elif kind == "trousers":
        poly([(-0.45, -0.8), (0.45, -0.8), (0.55, 0.85), (0.1, 0.85), (0.0, -0.2), (-0.1, 0.85), (-0.55, 0.85)])
    elif kind == "dress":
        poly([(-0.25, -0.85), (0.25, -0.85), (0.3, -0.2), (0.7, 0.8), (-0.7, 0.8), (-0.3, -0.2)])
    elif kind == "skirt":
        poly([(-0.4, -0.45), (0.4, -0.45), (0.8, 0.5), (-0.8, 0.5)])
    elif kind == "shoes":
        for side in (-1, 1):
            centre = (int(cx + side * 0.3 * s * width), int(cy))
            axes = (int(0.18 * s * width), int(0.42 * s * height))
            cv2.ellipse(mask, centre, axes, rng.uniform(-10, 10), 0, 360, 255, -1)
    else:  # cap
        cv2.ellipse(mask, (int(cx), int(cy)), (int(0.4 * s * width), int(0.3 * s * height)), 0, 0, 360, 255, -1)
        cv2.ellipse(
            mask,
            (int(cx), int(cy + 0.25 * s * height)),
            (int(0.45 * s * width), int(0.1 * s * height)),
            0,
            0,
            360,
            255,
            -1,
        )
    return mask


def _background(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    """A full-frame background mirror-tiled from a corner of a real photo (corners are rarely garment)."""
    height, width = photo.shape[:2]
    ph, pw = int(height * 0.16), int(width * 0.22)
    y = rng.choice([0, height - ph])
    x = rng.choice([0, width - pw])
    patch = photo[y : y + ph, x : x + pw]
    tile = np.hstack([patch, patch[:, ::-1]])
    tile = np.vstack([tile, tile[::-1]])
    reps = (SIZE[1] // tile.shape[0] + 1, SIZE[0] // tile.shape[1] + 1, 1)
    return np.tile(tile, reps)[: SIZE[1], : SIZE[0]].copy()


def _fabric(photo: np.ndarray) -> np.ndarray:
    height, width = photo.shape[:2]
    patch = photo[int(height * 0.43) : int(height * 0.57), int(width * 0.43) : int(width * 0.57)]
    return cv2.resize(patch, SIZE, interpolation=cv2.INTER_CUBIC)


def composite_benchmark(photos: list[Path], count: int, seed: int = 1) -> list[float]:
    """Return the IoU of each composite."""
    rng = random.Random(seed)
    kinds = ["t-shirt", "trousers", "dress", "skirt", "shoes", "cap"]
    ious = []
    for index in range(count):
        a, b = rng.sample(photos, 2)
        truth = _shape(kinds[index % len(kinds)], rng)
        back = _background(cv2.resize(load_photo(a).rgb, SIZE), rng)
        cloth = _fabric(cv2.resize(load_photo(b).rgb, SIZE))
        shadow = cv2.GaussianBlur(np.roll(truth, (6, 6), axis=(0, 1)), (21, 21), 0)[..., None] / 255.0
        back = (back * (1 - 0.35 * shadow)).astype(np.uint8)
        soft = cv2.GaussianBlur(truth, (3, 3), 0)[..., None] / 255.0
        image = (cloth * soft + back * (1 - soft)).astype(np.uint8)
        found = cut_out(image).mask > 0
        inter = np.logical_and(found, truth > 0).sum()
        union = np.logical_or(found, truth > 0).sum()
        ious.append(float(inter / union) if union else 0.0)
    return ious


def contact_sheet(photos: list[Path], out: Path, per_sheet: int = 25) -> list[tuple[Path, float, float, str]]:
    """Write sheets of photos with their cut-out outlined; return (path, wall ms, CPU ms, method) per photo."""
    tiles, rows = [], []
    for number, path in enumerate(photos):
        photo = load_photo(path)
        start, cpu_start = time.perf_counter(), time.process_time()
        cut = cut_out(photo.rgb, photo.alpha)
        ms = (time.perf_counter() - start) * 1000
        rows.append((path, ms, (time.process_time() - cpu_start) * 1000, cut.method))
        view = cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2BGR)
        dim = (view * 0.5).astype(np.uint8)
        view = np.where(cut.mask[..., None] > 0, view, dim)
        contours, _ = cv2.findContours(cut.mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        cv2.drawContours(view, contours, -1, (0, 255, 0), 3)
        view = cv2.resize(view, (240, 320), interpolation=cv2.INTER_AREA)
        label = f"{number} {ms:.0f}ms {cut.method.replace('fallback-', 'fb-')}"
        cv2.putText(view, label, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 3)
        cv2.putText(view, label, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1)
        tiles.append(view)
    out.mkdir(parents=True, exist_ok=True)
    blank = np.zeros_like(tiles[0])
    for sheet, first in enumerate(range(0, len(tiles), per_sheet)):
        chunk = tiles[first : first + per_sheet]
        chunk += [blank] * (per_sheet - len(chunk))
        grid = [np.hstack(chunk[i : i + 5]) for i in range(0, per_sheet, 5)]
        cv2.imwrite(str(out / f"contact_sheet_{sheet + 1}.png"), np.vstack(grid))
    return rows


def _spread(photos: list[Path], count: int) -> list[Path]:
    """Pick ``count`` photos round-robin over classes, deterministic."""
    by_class: dict[str, list[Path]] = {}
    for path in photos:
        by_class.setdefault(path.parent.name, []).append(path)
    picked: list[Path] = []
    while len(picked) < count and any(by_class.values()):
        for name in sorted(by_class):
            if by_class[name] and len(picked) < count:
                picked.append(by_class[name].pop(0))
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split_dir", type=Path)
    parser.add_argument("--composites", type=int, default=200)
    parser.add_argument("--sheet", type=int, default=50)
    parser.add_argument("--skip", type=int, default=0, help="start the sheet after this many photos per class")
    parser.add_argument("--out", type=Path, default=Path("/tmp/wardrobe-seg"))
    args = parser.parse_args()
    photos = sorted(args.split_dir.glob("*/*.jpg"))
    if not photos:
        parser.error(f"no */*.jpg under {args.split_dir}")
    if args.composites:
        ious = composite_benchmark(photos, args.composites)
        failures = sum(iou < 0.7 for iou in ious)
        print(
            f"composites: {len(ious)}  mean IoU {statistics.mean(ious):.3f}  "
            f"median {statistics.median(ious):.3f}  failures (IoU<0.7) {failures} "
            f"({100 * failures / len(ious):.1f}%)"
        )
    if args.sheet:
        rng = random.Random(args.skip)
        shuffled = photos[:]
        rng.shuffle(shuffled)
        rows = contact_sheet(_spread(shuffled, args.sheet), args.out)
        times = [ms for _, ms, _, _ in rows]
        cpu = [ms for _, _, ms, _ in rows]
        methods: dict[str, int] = {}
        for _, _, _, method in rows:
            methods[method] = methods.get(method, 0) + 1
        print(f"contact sheet: {len(rows)} photos -> {args.out}/contact_sheet_*.png")
        print(
            f"cut_out ms/photo: mean {statistics.mean(times):.1f}  median {statistics.median(times):.1f}  "
            f"max {max(times):.1f}   CPU ms (all threads) mean {statistics.mean(cpu):.1f}  "
            f"max {max(cpu):.1f}   methods {methods}"
        )
        for number, (path, ms, cpu_ms, method) in enumerate(rows):
            print(f"  {number:2d} {ms:6.1f} ms  {cpu_ms:6.1f} cpu-ms  {method:18s} {path.parent.name}/{path.name}")


if __name__ == "__main__":
    main()
