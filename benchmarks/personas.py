"""Simulated people rate 5 suggestions a round for 20 rounds; their taste is judged on ground truth the
app never sees (the raw photo's lightness and colourfulness, the dataset folder). Prints P@5 over rounds
11-20, distinct liked outfits, calibration (ECE on 300 random held-out outfits per occasion: the target;
"card ECE": the chance shown on the cards of rounds 11-20 against the rating given, 50 cards, noisy), the
round of the first like ("first like", rounds + 1 if none), the taste's "reach" (of the garments worn in some
liked held-out outfit, the share the person ever liked on a card) and the Work -> Party leak.

``--personas old`` (the default) runs the first three people, so their figures stay comparable;
``--personas new`` runs six more of other kinds (benchmarks/personas_more.py: garment type, tonal, contrast,
one colour family, a permissive 65% person, a taste that differs by occasion), ``all`` both.

Reproducible: BLAS runs on one thread (several threads sum in a varying order, and the rounding differences
change Thompson draws, then whole boards), the season is pinned, and ``--seeds N`` repeats everything on N
closets (seed 0: the whole cached closet; seed s > 0: a fifth of each kind of garment lent out, drawn by s)
with held-out outfits drawn by the seed, printing each seed's figures and their mean.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Mapping  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from personas_closet import PHOTOS, build_closet, fresh_copy, load_truth  # noqa: E402
from personas_more import MORE, add_hue  # noqa: E402

from wardrobe_app.domain import Outfit  # noqa: E402
from wardrobe_app.services.wardrobe import Wardrobe  # noqa: E402

Truth = dict[int, dict[str, object]]
Taste = Callable[[Outfit, Truth, str], bool]  # (outfit, truth, occasion) -> liked


def pieces(outfit: Outfit) -> list[int]:
    """The garments (accessories are not judged)."""
    return [i for i in (outfit.layer, outfit.top, outfit.full, outfit.middle, outfit.bottom) if i is not None]


def light(truth: Truth, item_id: int) -> float:
    return float(truth[item_id]["lightness"])  # type: ignore[arg-type]


def sat(truth: Truth, item_id: int) -> float:
    return float(truth[item_id]["saturation"])  # type: ignore[arg-type]


def dark_only(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """Wears only dark clothes: every garment's photo is dark in the middle."""
    return all(light(truth, i) <= 0.40 for i in pieces(outfit))


def smart_at_work(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """A shirt or long sleeves (really: the dataset folder) over real trousers, the trousers darker."""
    top, bottom = outfit.top, outfit.middle
    if top is None or bottom is None:
        return False
    return (
        truth[top]["folder"] in ("shirt", "longsleeve")
        and truth[bottom]["folder"] == "pants"
        and light(truth, bottom) < light(truth, top)
    )


def one_colourful(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """Exactly one colourful garment (photo saturation in the top quarter), the rest plain."""
    levels = [sat(truth, i) for i in pieces(outfit)]
    return sum(s >= 0.40 for s in levels) == 1 and all(s >= 0.40 or s <= 0.25 for s in levels)


PERSONAS: dict[str, tuple[tuple[str, ...], Taste]] = {
    "dark clothes only": (("casual", "date"), dark_only),
    "smart at work": (("work",), smart_at_work),
    "one colourful piece": (("casual", "party"), one_colourful),
}
#: The second table (``--personas new``): tastes of other kinds (benchmarks/personas_more.py).
NEW_PERSONAS: dict[str, tuple[tuple[str, ...], Taste]] = dict(MORE)


#: The season is pinned (autumn in the north), so a run does not change with the calendar.
WHEN = date(2026, 10, 15)
#: Share of each kind of garment lent out (not available) in the closets of seeds > 0.
LENT_SHARE = 0.2


def closet_for(name: str, seed: int) -> Path:
    """A fresh copy of the cached closet for one run; for seed > 0 a fifth of each kind is lent out."""
    from wardrobe_app.recommend.pieces import by_role

    folder = fresh_copy(f"{name}-s{seed}")
    if seed:
        rng = np.random.default_rng(seed)
        with Wardrobe.open(folder, classifier="none") as wardrobe:
            lent = [
                int(i.id)
                for items in by_role(wardrobe.items()).values()
                for i in rng.permutation(np.array(items, dtype=object))[: int(LENT_SHARE * len(items))]
            ]
            wardrobe.set_status(lent, "lent")
    return folder


@contextmanager
def opened(name: str, seed: int) -> Iterator[Wardrobe]:
    """The run's closet, open; the copy (about 30 MB) is removed afterwards."""
    folder = closet_for(name, seed)
    try:
        with Wardrobe.open(folder, classifier="none") as wardrobe:
            yield wardrobe
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def random_outfits(wardrobe: Wardrobe, rng: np.random.Generator, n: int) -> list[Outfit]:
    """Random outfits of the closet's shapes from what is available (held out: for calibration)."""
    from wardrobe_app.recommend.pieces import by_role

    roles = {r: [i.id for i in v] for r, v in by_role(wardrobe.items(status="available")).items()}
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


#: Whether the boards add the exploration card (``--no-explore-card`` measures boards without it).
EXPLORE_CARD = True


def run(persona: str, rounds: int, truth: Truth, learn: bool = True, seed: int = 0) -> dict[str, object]:
    occasions, taste = {**PERSONAS, **NEW_PERSONAS}[persona]
    precision, liked, shown, rated = [], set(), [], []
    explored: list[bool] = []  # the exploration cards' ratings (not counted in P@5, distinct, first like, reach)
    first_like = rounds + 1  # the round of the first like (rounds + 1: never)
    liked_garments: set[int] = set()
    name = persona.replace(" ", "_") + ("" if learn else "-expert")
    with opened(name, seed) as wardrobe:
        for r in range(rounds):
            occasion = occasions[r % len(occasions)]
            cards = wardrobe.suggest(occasion, k=5, when=WHEN, explore_card=EXPLORE_CARD)
            outfits = [o for o in cards if not o.explore]  # the 5 best: what P@5 measures
            extra = [o for o in cards if o.explore]
            likes = [taste(o, truth, occasion) for o in outfits]
            extra_likes = [taste(o, truth, occasion) for o in extra]
            explored += extra_likes
            if any(likes) and first_like > rounds:
                first_like = r + 1
            liked_garments |= {i for o, ok in zip(outfits, likes, strict=True) if ok for i in pieces(o)}
            precision.append(float(np.mean(likes)) if outfits else 0.0)
            if r >= 10:  # the chance shown on the cards against the rating given (rounds 11-20)
                shown += [o.score for o in outfits]
                rated += likes
            liked |= {(occasion, o.item_ids) for o, ok in zip(outfits, likes, strict=True) if ok}
            if learn:  # the person rates the exploration card like any other
                for outfit, ok in zip(outfits + extra, likes + extra_likes, strict=True):
                    wardrobe.feedback(outfit, occasion, ok)
        rng = np.random.default_rng([1, seed])
        service = wardrobe._outfits()
        model = service.taste()
        probs, truths = [], []
        likeable: set[int] = set()  # garments worn in some liked held-out outfit: the taste's reach
        for occasion in occasions:
            held = random_outfits(wardrobe, rng, 300)
            probs.append(service.predict(held, occasion, model))
            truths.append(np.array([taste(o, truth, occasion) for o in held], dtype=float))
            likeable |= {i for o, ok in zip(held, truths[-1], strict=True) if ok for i in pieces(o)}
        p, t = np.concatenate(probs), np.concatenate(truths)
    return {
        "curve": precision,
        "p_at_5": float(np.mean(precision[10:20])),
        "distinct": len(liked),
        "ece": ece(p, t),
        "card_ece": ece(np.array(shown), np.array(rated, dtype=float)) if shown else float("nan"),
        "base_rate": float(t.mean()),
        "mean_prob": float(p.mean()),
        "first_like": first_like,
        "reach": len(liked_garments & likeable) / max(len(likeable), 1),
        "explore_like": float(np.mean(explored)) if explored else float("nan"),
        "explore_cards": len(explored),
    }


def leak(truth: Truth, seed: int = 0) -> int:
    """Rate only Work 20 times ("smart at work"); how many of Party's top 10 changed."""
    with opened("leak", seed) as wardrobe:
        before = [o.item_ids for o in wardrobe.suggest("party", k=10, explore=False, when=WHEN)]
        for _ in range(4):
            for outfit in wardrobe.suggest("work", k=5, when=WHEN, explore_card=EXPLORE_CARD):
                wardrobe.feedback(outfit, "work", smart_at_work(outfit, truth))
        after = [o.item_ids for o in wardrobe.suggest("party", k=10, explore=False, when=WHEN)]
    return len(set(before) - set(after))


COLUMNS = (
    "p_at_5",
    "distinct",
    "ece",
    "base_rate",
    "mean_prob",
    "card_ece",
    "first_like",
    "reach",
    "explore_like",
    "explore_cards",
)


def row(label: str, strategy: str, res: Mapping[str, object], rounds: int, seconds: float | None) -> str:
    curve = res.get("curve")
    shown = (
        " ".join(f"{curve[r]:>5.2f}" for r in (0, 4, 9, rounds - 1))  # type: ignore[index]
        if curve
        else " " * 23
    )
    return (
        f"{label:<22} {strategy:<10} {shown} {res['p_at_5']:>11.2f} {res['distinct']:>15.1f} {res['ece']:>6.3f} "
        f"{res['base_rate']:>10.2f} {res['mean_prob']:>10.2f} {res['card_ece']:>9.3f}"
        f" {res['first_like']:>10.1f} {res['reach']:>6.2f} {res['explore_like']:>7.2f}"
        f" {res['explore_cards']:>6.0f}" + (f"   ({seconds:.0f} s)" if seconds is not None else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=1, help="closets to repeat on (seeds 0..N-1); means printed")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--expert", action="store_true", help="also run the expert (no learning) baseline")
    parser.add_argument(
        "--personas",
        choices=("old", "new", "all"),
        default="old",
        help="old: the first three (comparable figures); new: the second table (benchmarks/personas_more.py)",
    )
    parser.add_argument("--only", help="run only the personas whose name contains this")
    parser.add_argument("--no-leak", action="store_true", help="skip the Work -> Party leak check")
    parser.add_argument("--uncalibrated", action="store_true", help="show the plain posterior mean (no moderation)")
    parser.add_argument(
        "--no-explore-card", action="store_true", help="boards without the exploration card (as before it)"
    )
    args = parser.parse_args()
    global EXPLORE_CARD
    EXPLORE_CARD = not args.no_explore_card
    if args.uncalibrated:
        from wardrobe_app.recommend import personal

        personal.CALIBRATE = False
    closet = build_closet()
    truth = add_hue(load_truth(closet), closet, PHOTOS)
    chosen = {"old": PERSONAS, "new": NEW_PERSONAS, "all": {**PERSONAS, **NEW_PERSONAS}}[args.personas]
    names = [p for p in chosen if not args.only or args.only in p]
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    print(
        f"{'persona':<22} {'strategy':<10} {'r1':>5} {'r5':>5} {'r10':>5} {'r20':>5} {'P@5 r11-20':>11} "
        f"{'distinct liked':>15} {'ECE':>6} {'base rate':>10} {'mean prob':>10} {'card ECE':>9}"
        f" {'first like':>10} {'reach':>6} {'x liked':>7} {'x card':>6}"
    )
    results: dict[tuple[str, bool], list[dict[str, object]]] = {}
    leaks = []
    for seed in seeds:
        for persona in names:
            for learn in (False, True) if args.expert else (True,):
                start = time.perf_counter()
                res = run(persona, args.rounds, truth, learn, seed)
                results.setdefault((persona, learn), []).append(res)
                label = f"{persona} s{seed}"
                strategy = "learning" if learn else "expert"
                print(row(label, strategy, res, args.rounds, time.perf_counter() - start), flush=True)
        if args.no_leak:
            continue
        leaks.append(leak(truth, seed))
        print(f"leak s{seed}: rating only Work 20 times changed {leaks[-1]} of Party's top 10", flush=True)
    if len(seeds) > 1:
        print(f"mean over seeds {seeds[0]}-{seeds[-1]}:")
        for (persona, learn), found in results.items():
            mean = {c: float(np.mean([r[c] for r in found])) for c in COLUMNS}  # type: ignore[misc]
            print(row(persona, "learning" if learn else "expert", mean, args.rounds, None))
        if leaks:
            print(f"leak: mean {np.mean(leaks):.1f}, max {max(leaks)} of Party's top 10")


if __name__ == "__main__":
    main()
