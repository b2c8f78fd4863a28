"""Ranking speed: `suggest` on synthetic closets of 300 / 1,200 / 2,400 items (exact top-k by branch and bound)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wardrobe_app.domain import Item  # noqa: E402
from wardrobe_app.recommend.context import Context  # noqa: E402
from wardrobe_app.recommend.engine import Wearable  # noqa: E402
from wardrobe_app.recommend.personal import N_FEATURES, prior_taste, taste_terms  # noqa: E402
from wardrobe_app.recommend.rules import expert_rules  # noqa: E402
from wardrobe_app.recommend.samples import synthetic_closet  # noqa: E402
from wardrobe_app.recommend.terms import expert_terms  # noqa: E402
from wardrobe_app.recommend.topk import top_outfits  # noqa: E402

SHARES = {"top": 0.40, "middle": 0.30, "full": 0.05, "bottom": 0.25}
CACHE = Path(os.environ.get("WARDROBE_BENCH_CACHE", ROOT / "work_cache"))


def closet(n: int, seed: int = 0) -> list[Item]:
    counts = {slot: round(share * n) for slot, share in SHARES.items()}
    return synthetic_closet(np.random.default_rng(seed), counts, expert_rules())


def fill_closet(data_dir: Path, items: list[Item]) -> None:
    """Write the synthetic items straight into a fresh closet database (no photos: speed only)."""
    from wardrobe_app.db.tables import ItemColourRow, ItemRow
    from wardrobe_app.services.wardrobe import Wardrobe

    with Wardrobe.open(data_dir, classifier="none") as wardrobe, wardrobe.sessions.begin() as session:
        for item in items:
            colour = item.colours[0]
            session.add(
                ItemRow(
                    content_hash=item.content_hash,
                    photo_path=f"photos/{item.id}.jpg",
                    category=item.category,
                    group=item.group.value if item.group else None,
                    multicolour=item.multicolour,
                    added_at=datetime.now(),
                    corrected=True,
                    colours=[
                        ItemColourRow(
                            rank=0,
                            name=colour.name,
                            hex=colour.hex,
                            hue=colour.hsv[0],
                            saturation=colour.hsv[1],
                            value=colour.hsv[2],
                            share=1.0,
                        )
                    ],
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1200, 2400])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="also time a cold `wardrobe suggest` process")
    args = parser.parse_args()
    from wardrobe_app.services.wardrobe import Wardrobe

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'items':>6} {'outfits (no layer)':>19} {'pairs expanded':>15} {'top-k search':>13} "
        f"{'suggest (API)':>14} {'suggest CPU':>12}"
    )
    rules = expert_rules()
    for n in args.sizes:
        items = closet(n)
        context = Context("work", "mild", None)
        wear = Wearable.of(items, context, rules)
        roles = {r: len(v) for r, v in wear.items.items()}
        outfits = roles["top"] * roles["middle"] * roles["shoes"] + roles["full"] * roles["shoes"]
        theta = prior_taste().draw("work", None)
        start = time.perf_counter()
        total = (
            expert_terms(wear.facts, context, rules)
            .scaled(float(theta[1]))
            .plus(taste_terms(wear.facts, theta[2 : 2 + N_FEATURES]))
        )
        found = top_outfits(total, 32)
        search = time.perf_counter() - start
        pairs = roles["top"] * roles["middle"]
        data_dir = CACHE / f"bench_closet_{n}"
        if not (data_dir / "wardrobe.sqlite3").exists():
            fill_closet(data_dir, items)
        with Wardrobe.open(data_dir, classifier="none") as wardrobe:
            wall, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                shown = wardrobe.suggest("work", k=8, weather="mild")
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        print(
            f"{n:>6} {outfits:>19,} {found.expanded:>7,}/{pairs:<7,} {search:>12.3f}s {np.median(wall):>13.3f}s "
            f"{np.median(cpu):>11.3f}s   ({len(shown)} outfits shown)",
            flush=True,
        )
    if args.cold:
        data_dir = CACHE / f"bench_closet_{args.sizes[-1]}"
        env = {**os.environ, "WARDROBE_CLASSIFIER": "none"}
        command = [
            sys.executable,
            "-m",
            "wardrobe_app",
            "--data-dir",
            str(data_dir),
            "suggest",
            "--occasion",
            "work",
            "--weather",
            "mild",
            "--json",
        ]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - start)
        print(
            f"`wardrobe suggest --occasion work --weather mild --json`, cold process, {args.sizes[-1]} items: "
            f"{np.median(times):.2f} s (median of 3)"
        )


if __name__ == "__main__":
    main()
