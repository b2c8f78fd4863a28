"""Ranking speed: exact top-10 over 960,000 outfits vs the naive way, cold `wardrobe suggest`, retrain on 500."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wardrobe_app.domain import Item  # noqa: E402
from wardrobe_app.recommend.features import SLOTS, item_facts, outfit_rows  # noqa: E402
from wardrobe_app.recommend.rules import expert_rules  # noqa: E402
from wardrobe_app.recommend.samples import by_slot, synthetic_closet  # noqa: E402
from wardrobe_app.recommend.scoring import score_closet  # noqa: E402
from wardrobe_app.services.outfits import expert_ranker  # noqa: E402

COUNTS = {"top": 120, "middle": 100, "full": 0, "bottom": 80}


def timed(fn, repeat: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    """Median wall seconds, median CPU seconds (what an idle machine would show), last result."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return float(np.median(times)), float(np.median(cpu)), result


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fill_closet(data_dir: Path, items: list[Item]) -> None:
    """Write the synthetic items straight into a fresh closet database (no photos: speed only)."""
    from wardrobe_app.db.tables import ItemColourRow, ItemRow
    from wardrobe_app.services.wardrobe import Wardrobe

    with Wardrobe.open(data_dir, classifier="none") as wardrobe, wardrobe.sessions.begin() as session:
        for item in items:
            colour = item.colours[0]
            session.add(ItemRow(content_hash=item.content_hash, photo_path=f"photos/{item.id}.jpg",
                                category=item.category, group=item.group.value if item.group else None,
                                multicolour=item.multicolour, added_at=datetime.now(), corrected=True,
                                colours=[ItemColourRow(rank=0, name=colour.name, hex=colour.hex, hue=colour.hsv[0],
                                                       saturation=colour.hsv[1], value=colour.hsv[2], share=1.0)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    rules, weights = expert_rules(), expert_ranker()
    items = synthetic_closet(np.random.default_rng(0), COUNTS, rules)
    closet = by_slot(items)
    facts = {s: item_facts(closet[s], s, rules) for s in SLOTS}
    n = COUNTS["top"] * COUNTS["middle"] * COUNTS["bottom"]

    fast_s, fast_cpu, cands = timed(lambda: score_closet(weights, facts, "work", rules, keep=10).best(10),
                                    args.repeat)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"outfits: {n:,} (tops {COUNTS['top']} x middles {COUNTS['middle']} x shoes {COUNTS['bottom']})")
    print(f"fast exact top-10 (numpy, decomposed first layer): {fast_s * 1000:.1f} ms wall, "
          f"{fast_cpu * 1000:.1f} ms CPU (median of {args.repeat})")

    if not args.skip_naive:
        from wardrobe_app.ml.ranker_training import ranker_from_arrays

        model = ranker_from_arrays(weights.arrays)
        model.predict(np.zeros((8, weights.arrays[0].shape[0]), np.float32), verbose=0)  # build/warm up
        start = time.perf_counter()
        t, m, b = np.meshgrid(np.arange(COUNTS["top"]), np.arange(COUNTS["middle"]), np.arange(COUNTS["bottom"]),
                              indexing="ij")
        index = {"top": t.ravel(), "middle": m.ravel(), "full": np.full(n, -1), "bottom": b.ravel()}
        rows = outfit_rows(facts, index, "work", rules)
        built = time.perf_counter() - start
        scores = model.predict(rows, batch_size=8192, verbose=0).reshape(-1)
        top = np.argsort(-scores)[:10]
        naive_s = time.perf_counter() - start
        print(f"naive (build {n:,} feature rows + Keras predict): {naive_s * 1000:.0f} ms "
              f"(rows {built * 1000:.0f} ms); ratio naive/fast: {naive_s / fast_s:.0f}x")
        fast_keys = set(zip(cands.top.tolist(), cands.middle.tolist(), cands.bottom.tolist(), strict=True))  # type: ignore[attr-defined]
        naive_keys = set(zip(index["top"][top].tolist(), index["middle"][top].tolist(), index["bottom"][top].tolist(),
                             strict=True))
        print(f"same top-10 as Keras: {fast_keys == naive_keys} "
              f"(max |score diff| {np.abs(np.sort(scores[top]) - np.sort(1 / (1 + np.exp(-cands.logit)))).max():.2e})")  # type: ignore[attr-defined]

    data_dir = ROOT / "work_cache" / "bench_closet_960k"
    if not (data_dir / "wardrobe.sqlite3").exists():
        fill_closet(data_dir, items)
    env = {**os.environ, "WARDROBE_CLASSIFIER": "none"}
    command = [sys.executable, "-m", "wardrobe_app", "--data-dir", str(data_dir), "suggest", "--occasion", "work",
               "--json"]
    cold, cold_cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), children_cpu()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        cold.append(time.perf_counter() - start)
        cold_cpu.append(children_cpu() - start_cpu)
    print(f"`wardrobe suggest --occasion work --json` cold process on that closet: {np.median(cold):.2f} s wall, "
          f"{np.median(cold_cpu):.2f} s CPU (median of 5; {len(done.stdout)} bytes of JSON)")

    from wardrobe_app.db.tables import FeedbackRow, OutfitRow
    from wardrobe_app.services.outfits import OutfitService
    from wardrobe_app.services.wardrobe import Wardrobe

    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        rng = np.random.default_rng(1)
        ids = {s: [i.id for i in wardrobe.items(group=s)] for s in ("top", "middle", "bottom")}
        with wardrobe.sessions.begin() as session:
            session.query(FeedbackRow).delete()
            session.query(OutfitRow).delete()
            for r in range(500):
                key = [int(rng.choice(ids[s])) for s in ("top", "middle", "bottom")]
                outfit = OutfitRow(key=f"{key[0]}|{key[1]}|{key[2]}|#{r}", top_id=key[0], middle_id=key[1],
                                   bottom_id=key[2], created_at=datetime.now())
                session.add(outfit)
                session.flush()
                liked = bool(rng.random() < 0.5)
                session.add(FeedbackRow(outfit_id=outfit.id, occasion=str(rng.choice(["work", "casual"])),
                                        rating=float(liked), source="like" if liked else "dislike",
                                        created_at=datetime.now()))
        service = OutfitService(wardrobe.sessions, wardrobe.data_dir, lambda a: wardrobe.items(include_archived=a))
        stats = service.retrain()
        print(f"retrain on {stats['n_ratings']} ratings (+{stats['rehearsed']} rehearsed, numpy Adam "
              f"{stats['steps']} steps, in process): {stats['seconds']:.2f} s")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "wardrobe_app", "--data-dir", str(data_dir), "retrain"], cwd=ROOT,
                       env=env, capture_output=True, text=True, check=True)
        print(f"`wardrobe retrain` cold process, 500 ratings: {time.perf_counter() - start:.2f} s")
        service.retrain(reset=True)


if __name__ == "__main__":
    main()
