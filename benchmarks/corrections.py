"""Corrections teach it: a simulated user corrects the first N mistakes of a photo stream; accuracy on the rest.

The stream is the validation photos (clothing-small, optionally with clothing-extra) in a
random order, one order per seed. Walking it, the app shows its guess (the shipped model
blended with the personal layer of what the user said so far); the user corrects each wrong
guess until N corrections are made, and in the "confirm" scenario also confirms the flagged
(needs review) guesses that were right. On the rest of the stream the benchmark reports the
shipped model's accuracy ("before") and the blend's ("after") with those examples.

The classifier's probabilities and features are computed once per classifier version and
cached (``--cache-dir``); the app stores only the top-3 of each classification, so the
benchmark blends the same reconstruction. ``--tune`` prints a small grid of the personal
layer's settings on a tuning half of the photos (stratified), and ``--half`` reports on
either half, so that the defaults can be picked on one half and checked on the other.

    nice -n 19 python benchmarks/corrections.py --extract        # one pass, ~390 photos
    python benchmarks/corrections.py [--with-extra] [--seeds 40]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wardrobe_app.domain import CATEGORY_GROUPS  # noqa: E402
from wardrobe_app.ml.personal import PersonalLayer, PersonalSettings, probabilities_from_guess  # noqa: E402

DATASETS = Path("/work/shared/datasets")
DEFAULT_CACHE = Path("/work/cache/review")


@dataclass(frozen=True)
class Photos:
    """The cached classifier outputs of the validation photos."""

    dataset: np.ndarray
    truth: np.ndarray
    base: np.ndarray  # probabilities rebuilt from the top-3, as the app stores them
    features: np.ndarray
    labels: tuple[str, ...]
    threshold: float
    version: str

    def subset(self, keep: np.ndarray) -> Photos:
        return replace(
            self, dataset=self.dataset[keep], truth=self.truth[keep], base=self.base[keep], features=self.features[keep]
        )


def extract(cache_dir: Path) -> Path:
    """Run the active classifier once over the validation photos; write probabilities and features."""
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.ml.preprocess import network_input
    from wardrobe_app.services.importing import expand_paths
    from wardrobe_app.vision.loading import load_photo

    classifier = load_classifier()
    rows = [
        (name, p.parent.name, str(p))
        for name in ("clothing-small", "clothing-extra")
        for p in expand_paths([DATASETS / name / "validation"])
    ]
    probs, feats = [], []
    for start in range(0, len(rows), 16):
        batch = np.stack(
            [
                network_input(load_photo(Path(r[2])).rgb, None, cutout=classifier.cutout)
                for r in rows[start : start + 16]
            ]
        )
        p, f = classifier.predict_arrays(batch)
        probs.append(p)
        feats.append(f)
        print(f"{min(start + 16, len(rows))}/{len(rows)}", file=sys.stderr, flush=True)
    out = cache_dir / (classifier.version.replace("/", "_") + ".npz")
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(
        out,
        dataset=np.array([r[0] for r in rows]),
        truth=np.array([r[1] for r in rows]),
        path=np.array([r[2] for r in rows]),
        probs=np.concatenate(probs),
        features=np.concatenate(feats),
        labels=np.array(classifier.labels),
        version=np.array(classifier.version),
        threshold=np.array(classifier.review_threshold),
    )
    return out


def load(cache: Path) -> Photos:
    data = np.load(cache)
    labels = tuple(str(x) for x in data["labels"])
    probs = data["probs"]
    base = np.stack(
        [probabilities_from_guess(labels, [(labels[i], float(p[i])) for i in np.argsort(-p)[:3]]) for p in probs]
    )
    threshold = float(data["threshold"]) if "threshold" in data else 0.55
    return Photos(data["dataset"], data["truth"], base, data["features"], labels, threshold, str(data["version"]))


def halves(photos: Photos, seed: int = 12345) -> tuple[np.ndarray, np.ndarray]:
    """Two class-stratified halves of the photos (masks)."""
    rng = np.random.default_rng(seed)
    first = np.zeros(len(photos.truth), bool)
    for name in np.unique(photos.truth):
        where = np.flatnonzero(photos.truth == name)
        rng.shuffle(where)
        first[where[: len(where) // 2]] = True
    return first, ~first


@dataclass(frozen=True)
class Run:
    """One stream: accuracy (and group accuracy) on the rest, before and after; None if N was never reached."""

    before: float
    after: float
    group_before: float
    group_after: float
    rest: int
    examples: int


def replay(photos: Photos, order: np.ndarray, n: int, settings: PersonalSettings, confirm: bool) -> Run | None:
    """The user walks ``order``; corrects wrong guesses until ``n`` corrections (and confirms flagged right ones)."""
    examples: list[int] = []
    corrections = 0
    layer = PersonalLayer(np.zeros((0, photos.features.shape[1])), [], settings)
    for position, index in enumerate(order):
        guess = layer.blend(photos.features[index : index + 1], photos.base[index : index + 1], photos.labels)[0]
        truth = str(photos.truth[index])
        right = guess.category == truth
        if not right or (confirm and guess.confidence < photos.threshold):
            examples.append(int(index))
            corrections += not right
            layer = PersonalLayer(photos.features[examples], [str(photos.truth[i]) for i in examples], settings)
        if corrections == n:
            rest = order[position + 1 :]
            if not len(rest):
                return None
            after = layer.blend(photos.features[rest], photos.base[rest], photos.labels)
            before = [photos.labels[int(i)] for i in np.argmax(photos.base[rest], axis=1)]
            truths = [str(t) for t in photos.truth[rest]]
            return Run(
                before=float(np.mean([b == t for b, t in zip(before, truths, strict=True)])),
                after=float(np.mean([a.category == t for a, t in zip(after, truths, strict=True)])),
                group_before=float(
                    np.mean([CATEGORY_GROUPS[b] == CATEGORY_GROUPS[t] for b, t in zip(before, truths, strict=True)])
                ),
                group_after=float(
                    np.mean(
                        [CATEGORY_GROUPS[a.category] == CATEGORY_GROUPS[t] for a, t in zip(after, truths, strict=True)]
                    )
                ),
                rest=len(rest),
                examples=len(examples),
            )
    return None


def summary(photos: Photos, ns: list[int], seeds: int, settings: PersonalSettings, confirm: bool) -> dict[int, dict]:
    out = {}
    for n in ns:
        runs = [
            r
            for seed in range(seeds)
            if (r := replay(photos, np.random.default_rng(seed).permutation(len(photos.truth)), n, settings, confirm))
            is not None
        ]
        if not runs:
            out[n] = {"streams": 0}
            continue
        gain = np.array([r.after - r.before for r in runs])
        out[n] = {
            "streams": len(runs),
            "before": np.mean([r.before for r in runs]),
            "after": np.mean([r.after for r in runs]),
            "gain": gain.mean(),
            "gain_sd": gain.std(),
            "worse": float(np.mean(gain < 0)),
            "group_before": np.mean([r.group_before for r in runs]),
            "group_after": np.mean([r.group_after for r in runs]),
            "rest": np.mean([r.rest for r in runs]),
            "examples": np.mean([r.examples for r in runs]),
        }
    return out


def print_table(title: str, table: dict[int, dict]) -> None:
    print(f"\n{title}")
    print(
        f"{'N':>3} {'streams':>7} {'rest':>5} {'examples':>8} {'before':>7} {'after':>7} {'gain':>7} {'sd':>6} "
        f"{'worse':>6} {'group before':>12} {'group after':>11}"
    )
    for n, row in table.items():
        if not row["streams"]:
            print(f"{n:>3} {0:>7}  (never {n} mistakes in a stream)")
            continue
        print(
            f"{n:>3} {row['streams']:>7} {row['rest']:>5.0f} {row['examples']:>8.1f} {row['before']:>7.3f} "
            f"{row['after']:>7.3f} {100 * row['gain']:>+6.1f}p {100 * row['gain_sd']:>5.1f} {row['worse']:>6.0%} "
            f"{row['group_before']:>12.3f} {row['group_after']:>11.3f}"
        )


def oracle(photos: Photos, settings: PersonalSettings) -> None:
    """How far the features alone can go: every other photo labelled (leave-one-out), on the unsure items."""
    unsure = photos.base.max(axis=1) < photos.threshold
    model = np.array([photos.labels[int(i)] for i in np.argmax(photos.base, axis=1)]) == photos.truth
    knn, blended = [], []
    for index in range(len(photos.truth)):
        others = np.delete(np.arange(len(photos.truth)), index)
        layer = PersonalLayer(photos.features[others], [str(t) for t in photos.truth[others]], settings)
        votes = layer.votes(photos.features[index : index + 1])[0]
        knn.append(layer.categories[int(np.argmax(votes))] == photos.truth[index])
        guess = layer.blend(photos.features[index : index + 1], photos.base[index : index + 1], photos.labels)[0]
        blended.append(guess.category == photos.truth[index])
    knn_a, blend_a = np.array(knn), np.array(blended)
    print(f"\nleave-one-out, all other {len(photos.truth) - 1} photos labelled ({unsure.sum()} unsure items):")
    print(f"  model         accuracy {model.mean():.3f}, on the unsure {model[unsure].mean():.3f}")
    print(f"  neighbours    accuracy {knn_a.mean():.3f}, on the unsure {knn_a[unsure].mean():.3f}")
    print(f"  blend         accuracy {blend_a.mean():.3f}, on the unsure {blend_a[unsure].mean():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--version", default=None, help="classifier version of the cache (default: the active one)")
    parser.add_argument("--extract", action="store_true", help="compute the cache for the active classifier")
    parser.add_argument("--with-extra", action="store_true", help="mix clothing-extra validation into the stream")
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--half", choices=["tune", "check"], help="only one stratified half of the photos")
    parser.add_argument("--tune", action="store_true", help="grid of settings on the tuning half (N = 5, 10)")
    args = parser.parse_args()
    if args.extract:
        print(f"wrote {extract(args.cache_dir)}")
        return
    if args.version is None:
        from wardrobe_app.ml.registry import active_version

        args.version = active_version()
    cache = args.cache_dir / (args.version.replace("/", "_") + ".npz")
    if not cache.is_file():
        raise SystemExit(f"no cache {cache}: run with --extract first")
    photos = load(cache)
    if not args.with_extra:
        photos = photos.subset(photos.dataset == "clothing-small")
    if args.tune or args.half:
        tune_half, check_half = halves(photos)
        photos = photos.subset(tune_half if args.tune or args.half == "tune" else check_half)
    print(
        f"classifier {photos.version}; {len(photos.truth)} photos "
        f"({'with' if args.with_extra else 'without'} clothing-extra); {args.seeds} random orders"
    )
    if args.tune:
        print(f"{'k':>3} {'temp':>5} {'strength':>8}  gain N=5 / N=10 (corrections only | with confirmations)")
        for k, temperature, strength in itertools.product((5, 10), (0.03, 0.05, 0.07, 0.1), (0.02, 0.1, 0.5, 2.0)):
            settings = PersonalSettings(k=k, temperature=temperature, strength=strength)
            plain = summary(photos, [5, 10], args.seeds, settings, confirm=False)
            both = summary(photos, [5, 10], args.seeds, settings, confirm=True)
            cells = [f"{100 * t[n].get('gain', float('nan')):+5.1f}" for t in (plain, both) for n in (5, 10)]
            print(f"{k:>3} {temperature:>5} {strength:>8}  {cells[0]} / {cells[1]}  |  {cells[2]} / {cells[3]}")
        return
    settings = PersonalSettings()
    print(f"settings: {settings}")
    ns = [5, 10, 20]
    print_table("corrections only", summary(photos, ns, args.seeds, settings, confirm=False))
    print_table(
        "corrections + confirmations of flagged right guesses", summary(photos, ns, args.seeds, settings, confirm=True)
    )
    oracle(photos, settings)


if __name__ == "__main__":
    main()
