"""Simulated users with hidden tastes rate 5 suggestions a round: precision@5 for random, expert, expert+learning."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from personas_closet import fresh_copy  # noqa: E402

from wardrobe_app.domain import Colour, Item, Outfit  # noqa: E402
from wardrobe_app.services.wardrobe import Wardrobe  # noqa: E402

NEUTRAL = {"black", "white", "grey", "beige", "cream", "navy", "khaki", "brown"}
Taste = Callable[[list[Item], str], bool]


def colour(item: Item) -> Colour:
    return item.dominant_colour or Colour("grey", "#808080", (0.0, 0.0, 0.5), 1.0)


def is_dark(item: Item) -> bool:
    return colour(item).hsv[2] <= 0.4


def is_bright(item: Item) -> bool:
    c = colour(item)
    return c.name not in NEUTRAL and c.hsv[1] >= 0.45 and c.hsv[2] >= 0.45


def dark_monochrome(items: list[Item], occasion: str) -> bool:
    """Loves dark monochrome: every piece dark, and no two clearly different hues."""
    hues = [colour(i).hsv[0] for i in items if colour(i).name not in NEUTRAL]
    spread = max(hues) - min(hues) if hues else 0.0
    return all(is_dark(i) for i in items) and min(spread, 360 - spread) <= 30


def colour_at_work(items: list[Item], occasion: str) -> bool:
    """At work: never sneakers, and at least one piece that is not a neutral."""
    return all(i.category != "sneakers" for i in items) and any(colour(i).name not in NEUTRAL for i in items)


def one_bright(items: list[Item], occasion: str) -> bool:
    """Exactly one bright colour per outfit, everything else neutral."""
    bright = [i for i in items if is_bright(i)]
    return len(bright) == 1 and all(colour(i).name in NEUTRAL for i in items if i not in bright)


PERSONAS: dict[str, tuple[tuple[str, ...], Taste]] = {
    "dark monochrome": (("casual", "date"), dark_monochrome),
    "colour at work, never sneakers": (("work",), colour_at_work),
    "one bright colour": (("casual", "party"), one_bright),
}


def random_outfits(wardrobe: Wardrobe, rng: np.random.Generator, k: int) -> list[Outfit]:
    items = {g: [i.id for i in wardrobe.items(group=g)] for g in ("top", "middle", "full", "bottom")}
    n_pairs = len(items["top"]) * len(items["middle"])
    outfits = []
    for _ in range(k):
        shoes = int(rng.choice(items["bottom"]))
        if rng.random() < len(items["full"]) / (len(items["full"]) + n_pairs):
            outfits.append(Outfit(top=None, middle=None, bottom=shoes, full=int(rng.choice(items["full"]))))
        else:
            outfits.append(Outfit(top=int(rng.choice(items["top"])), middle=int(rng.choice(items["middle"])),
                                  bottom=shoes))
    return outfits


def run(persona: str, strategy: str, rounds: int, seed: int = 0) -> list[float]:
    occasions, taste = PERSONAS[persona]
    rng = np.random.default_rng(seed)
    precision = []
    with Wardrobe.open(fresh_copy(f"{persona}-{strategy}".replace(" ", "_").replace(",", "")),
                       classifier="none") as wardrobe:
        closet = {i.id: i for i in wardrobe.items()}
        for r in range(rounds + 1):
            occasion = occasions[r % len(occasions)]
            if strategy == "random":
                outfits = random_outfits(wardrobe, rng, 5)
            else:
                outfits = wardrobe.suggest(occasion, k=5)
            likes = [taste([closet[i] for i in o.item_ids], occasion) for o in outfits]
            precision.append(float(np.mean(likes)))
            if strategy == "learning":
                for outfit, liked in zip(outfits, likes, strict=True):
                    wardrobe.feedback(outfit, occasion, liked)  # the policy retrains every 5 ratings
    return precision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=10, help="random baseline: mean over this many seeds")
    args = parser.parse_args()
    show = [r for r in (0, 5, 10, 20) if r <= args.rounds]
    print(f"{'persona':<32} {'strategy':<18} " + " ".join(f"r{r:<5}" for r in show) + " last5")
    for persona in PERSONAS:
        for strategy in ("random", "expert", "learning"):
            start = time.perf_counter()
            seeds = range(args.seeds) if strategy == "random" else range(1)
            curve = np.mean([run(persona, strategy, args.rounds, seed) for seed in seeds], axis=0)
            print(f"{persona:<32} {strategy:<18} " + " ".join(f"{curve[r]:<6.2f}" for r in show)
                  + f" {np.mean(curve[-5:]):.2f}   ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
