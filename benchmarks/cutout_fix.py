"""Measure "Fix cut-out": how much one simulated brush stroke repairs a wrong cut-out, and how long Apply takes.

Usage (from the project root, by hand; not part of the test suite):

    nice .venv/bin/python benchmarks/cutout_fix.py --scenes 40

Drawn scenes (seeded): a garment (rectangle or ellipse, random colour) on a noisy floor, with a patch of
"bedsheet" of another colour touching it. Two kinds of wrong cut-out, as the segmenter makes them:
  leak: the sheet was kept with the garment; the user paints one "remove" stroke down the sheet's middle;
  loss: a part of the garment was lost; the user paints one "keep" stroke down the lost part's middle.
Prints the mean IoU with the true garment before and after one Apply, the share of scenes that reach
IoU >= 0.95, and the median milliseconds of one Apply (GrabCut at a long side of 512 px at most).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wardrobe_app.vision.refine import Stroke, refine_mask


def scene(seed: int, size: tuple[int, int] = (480, 640)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rgb, true garment mask, sheet mask)."""
    rng = np.random.default_rng(seed)
    h, w = size
    floor = rng.uniform(150, 230, 3)
    rgb = (rng.normal(0, 6, (h, w, 3)) + floor).clip(0, 255)
    truth = np.zeros((h, w), np.uint8)
    cx, cy = int(w * rng.uniform(0.4, 0.6)), int(h * rng.uniform(0.4, 0.6))
    gw, gh = int(w * rng.uniform(0.15, 0.25)), int(h * rng.uniform(0.25, 0.35))
    if seed % 2:
        cv2.ellipse(truth, (cx, cy), (gw, gh), 0, 0, 360, 255, -1)
    else:
        cv2.rectangle(truth, (cx - gw, cy - gh), (cx + gw, cy + gh), 255, -1)
    colour = rng.uniform(20, 230, 3)
    while np.abs(colour - floor).max() < 60:
        colour = rng.uniform(20, 230, 3)
    rgb[truth > 0] = colour + rng.normal(0, 8, (int((truth > 0).sum()), 3))
    sheet = np.zeros((h, w), np.uint8)
    sx = cx + gw - 10  # the sheet starts under the garment's right edge and runs to the right
    cv2.rectangle(sheet, (sx, cy - gh // 2), (min(w - 1, sx + int(w * 0.2)), cy + gh // 2), 255, -1)
    sheet[truth > 0] = 0
    sheet_colour = rng.uniform(20, 230, 3)
    while np.abs(sheet_colour - colour).max() < 60 or np.abs(sheet_colour - floor).max() < 40:
        sheet_colour = rng.uniform(20, 230, 3)
    rgb[sheet > 0] = sheet_colour + rng.normal(0, 6, (int((sheet > 0).sum()), 3))
    return rgb.clip(0, 255).astype(np.uint8), truth, sheet


def centre_stroke(region: np.ndarray, keep: bool) -> Stroke:
    """A vertical stroke down the middle of a region, a quarter of its width thick (what a person paints)."""
    ys, xs = np.nonzero(region)
    x = int(np.median(xs))
    column = ys[xs == x]
    top, bottom = int(column.min()), int(column.max())
    width = int(xs.max() - xs.min() + 1)
    margin = (bottom - top) // 8
    return Stroke(((x, top + margin), (x, bottom - margin)), max(2, width // 8), keep)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a > 0, b > 0
    return float((a & b).sum() / max(1, (a | b).sum()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=40)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"leak": [], "loss": []}
    times: list[float] = []
    for seed in range(args.scenes):
        rgb, truth, sheet = scene(seed)
        leak = np.maximum(truth, sheet)
        lost = np.zeros_like(truth)
        ys, xs = np.nonzero(truth)
        x0, x1, y0 = xs.min(), xs.max(), ys.min()
        lost[y0 : y0 + (ys.max() - y0) // 3, x0 : x0 + (x1 - x0) // 2] = 255  # the top-left third is lost
        lost[truth == 0] = 0
        loss = truth.copy()
        loss[lost > 0] = 0
        for kind, bad, stroke in (
            ("leak", leak, centre_stroke(sheet, keep=False)),
            ("loss", loss, centre_stroke(lost, keep=True)),
        ):
            start = time.perf_counter()
            fixed = refine_mask(rgb, bad, [stroke])
            times.append(time.perf_counter() - start)
            results[kind].append((iou(bad, truth), iou(fixed, truth)))
    for kind, pairs in results.items():
        before = statistics.mean(p[0] for p in pairs)
        after = statistics.mean(p[1] for p in pairs)
        good = sum(p[1] >= 0.95 for p in pairs) / len(pairs)
        print(f"{kind}: {len(pairs)} scenes, mean IoU {before:.3f} -> {after:.3f} after one stroke; "
              f"IoU >= 0.95 in {good:.0%}")  # fmt: skip
    print(f"Apply (refine_mask, 640x480): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
