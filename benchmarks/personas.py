"""Simulated people rate 5 suggestions a round for 20 rounds; their taste is judged on ground truth the
app never sees (the raw photo's lightness and colourfulness, the dataset folder). Prints P@5 over rounds
11-20, distinct liked outfits, calibration (ECE on held-out outfits) and the Work -> Party leak."""

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

from personas_closet import build_closet, fresh_copy, load_truth  # noqa: E402

from wardrobe_app.domain import Outfit  # noqa: E402
from wardrobe_app.services.wardrobe import Wardrobe  # noqa: E402

Truth = dict[int, dict[str, object]]
Taste = Callable[[Outfit, Truth], bool]


def pieces(outfit: Outfit) -> list[int]:
    """The garments (accessories are not judged)."""
    return [i for i in (outfit.layer, outfit.top, outfit.full, outfit.middle, outfit.bottom) if i is not None]


def light(truth: Truth, item_id: int) -> float:
    return float(truth[item_id]["lightness"])  # type: ignore[arg-type]


def sat(truth: Truth, item_id: int) -> float:
    return float(truth[item_id]["saturation"])  # type: ignore[arg-type]


def dark_only(outfit: Outfit, truth: Truth) -> bool:
    """Wears only dark clothes: every garment's photo is dark in the middle."""
    return all(light(truth, i) <= 0.40 for i in pieces(outfit))


def smart_at_work(outfit: Outfit, truth: Truth) -> bool:
    """A shirt or long sleeves (really: the dataset folder) over real trousers, the trousers darker."""
    top, bottom = outfit.top, outfit.middle
    if top is None or bottom is None:
        return False
    return (
        truth[top]["folder"] in ("shirt", "longsleeve")
        and truth[bottom]["folder"] == "pants"
        and light(truth, bottom) < light(truth, top)
    )


def one_colourful(outfit: Outfit, truth: Truth) -> bool:
    """Exactly one colourful garment (photo saturation in the top quarter), the rest plain."""
    levels = [sat(truth, i) for i in pieces(outfit)]
    return sum(s >= 0.40 for s in levels) == 1 and all(s >= 0.40 or s <= 0.25 for s in levels)


PERSONAS: dict[str, tuple[tuple[str, ...], Taste]] = {
    "dark clothes only": (("casual", "date"), dark_only),
    "smart at work": (("work",), smart_at_work),
    "one colourful piece": (("casual", "party"), one_colourful),
}


def random_outfits(wardrobe: Wardrobe, rng: np.random.Generator, n: int) -> list[Outfit]:
    """Random outfits of the closet's shapes (held out: for calibration)."""
    from wardrobe_app.recommend.pieces import by_role

    roles = {r: [i.id for i in v] for r, v in by_role(wardrobe.items()).items()}
    found = []
    for _ in range(n):
        layer = int(rng.choice(roles["layer"])) if roles["layer"] and rng.random() < 0.3 else None
        shoes = int(rng.choice(roles["shoes"]))
        if rng.random() < 0.2:
            found.append(Outfit(top=None, middle=None, bottom=shoes, full=int(rng.choice(roles["full"])), layer=layer))
        else:
            found.append(
                Outfit(
                    top=int(rng.choice(roles["top"])),
                    middle=int(rng.choice(roles["middle"])),
                    bottom=shoes,
                    layer=layer,
                )
            )
    return found


def ece(prob: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |mean predicted - share liked| per probability bin, weighted by count."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(prob, edges) - 1, 0, bins - 1)
    return float(
        sum(
            abs(prob[which == b].mean() - truth[which == b].mean()) * (which == b).mean()
            for b in range(bins)
            if (which == b).any()
        )
    )


def run(persona: str, rounds: int, truth: Truth, learn: bool = True) -> dict[str, object]:
    occasions, taste = PERSONAS[persona]
    precision, liked = [], set()
    with Wardrobe.open(
        fresh_copy(persona.replace(" ", "_") + ("" if learn else "-expert")), classifier="none"
    ) as wardrobe:
        for r in range(rounds):
            occasion = occasions[r % len(occasions)]
            outfits = wardrobe.suggest(occasion, k=5)
            likes = [taste(o, truth) for o in outfits]
            precision.append(float(np.mean(likes)) if outfits else 0.0)
            liked |= {(occasion, o.item_ids) for o, ok in zip(outfits, likes, strict=True) if ok}
            if learn:
                for outfit, ok in zip(outfits, likes, strict=True):
                    wardrobe.feedback(outfit, occasion, ok)
        rng = np.random.default_rng(1)
        service = wardrobe._outfits()
        model = service.taste()
        probs, truths = [], []
        for occasion in occasions:
            held = random_outfits(wardrobe, rng, 300)
            probs.append(service.predict(held, occasion, model))
            truths.append(np.array([taste(o, truth) for o in held], dtype=float))
        p, t = np.concatenate(probs), np.concatenate(truths)
    return {
        "curve": precision,
        "p_at_5": float(np.mean(precision[10:20])),
        "distinct": len(liked),
        "ece": ece(p, t),
        "base_rate": float(t.mean()),
    }


def leak(truth: Truth) -> int:
    """Rate only Work 20 times ("smart at work"); how many of Party's top 10 changed."""
    with Wardrobe.open(fresh_copy("leak"), classifier="none") as wardrobe:
        before = [o.item_ids for o in wardrobe.suggest("party", k=10, explore=False)]
        for _ in range(4):
            for outfit in wardrobe.suggest("work", k=5):
                wardrobe.feedback(outfit, "work", smart_at_work(outfit, truth))
        after = [o.item_ids for o in wardrobe.suggest("party", k=10, explore=False)]
    return len(set(before) - set(after))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    truth = load_truth(build_closet())
    print(
        f"{'persona':<22} {'strategy':<10} {'r1':>5} {'r5':>5} {'r10':>5} {'r20':>5} {'P@5 r11-20':>11} "
        f"{'distinct liked':>15} {'ECE':>6} {'base rate':>10}"
    )
    for persona in PERSONAS:
        for learn in (False, True):
            start = time.perf_counter()
            res = run(persona, args.rounds, truth, learn)
            curve = res["curve"]
            print(
                f"{persona:<22} {'learning' if learn else 'expert':<10} "
                + " ".join(f"{curve[r]:>5.2f}" for r in (0, 4, 9, args.rounds - 1))  # type: ignore[index]
                + f" {res['p_at_5']:>11.2f} {res['distinct']:>15} {res['ece']:>6.3f} {res['base_rate']:>10.2f}"
                + f"   ({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
    print(f"leak: rating only Work 20 times changed {leak(truth)} of Party's top 10")


if __name__ == "__main__":
    main()
