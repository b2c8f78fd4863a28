"""Per-stage import time per photo and photos/s: ``python benchmarks/import_speed.py DIR [--limit N]``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's wardrobe_app, not an installed one
from photo_sample import spread_sample

from wardrobe_app.services.wardrobe import Wardrobe


def cpu_line(cpu_seconds: float, photos: int) -> str:
    """The CPU time the import used (all threads), per photo, and the rate it allows when every core is busy:
    the figure other processes on the machine disturb least."""
    per_photo = cpu_seconds / max(1, photos)
    cores = os.cpu_count() or 1
    return (
        f"CPU (all threads): {1000 * per_photo:.0f} core-ms/photo: at most {cores / max(per_photo, 1e-9):.2f} "
        f"photos/s on {cores} cores"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="photos to import, e.g. ../shared/datasets/clothing-small/test")
    parser.add_argument("--limit", type=int, default=100, help="photos to import (spread over the folder)")
    parser.add_argument("--no-classifier", action="store_true", help="skip the garment classifier")
    args = parser.parse_args()

    paths = spread_sample(args.folder, args.limit)
    if not paths:
        print(f"no photos in {args.folder}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        wardrobe = Wardrobe.open(tmp, classifier="none" if args.no_classifier else "auto")
        started = time.perf_counter()
        classifier = wardrobe.classifier()
        load_s = time.perf_counter() - started
        print(
            f"classifier: {classifier.version if classifier else 'none'} (load {load_s:.2f} s)"
            + (f" [{wardrobe.classifier_error}]" if wardrobe.classifier_error else "")
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        results = wardrobe.add_photos(paths)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        timings = wardrobe.last_import_timings
        ok = sum(r.ok for r in results)
        print(f"imported {ok}/{len(paths)} photos in {elapsed:.1f} s: {ok / elapsed:.2f} photos/s")
        print(cpu_line(cpu, ok))
        for stage, seconds in timings.stages.items():
            print(f"  {stage:<10} {1000 * seconds / max(1, timings.photos):7.1f} ms/photo")
        for r in results:
            if not r.ok:
                print(f"  failed: {r.path}: {r.error}")
        wardrobe.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
