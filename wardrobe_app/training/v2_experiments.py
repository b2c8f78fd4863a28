"""Cross-validated choice of the 2.x head: class balance, group-aware loss, L2, augmented views (cached features).

    python -m wardrobe_app.training.v2_experiments --data ../shared/datasets --cache /work/cache/classifier/cache

Every photo of clothing-small validation and of clothing-extra (train + validation) is predicted once, by a head
fitted on the other folds (5 stratified folds over clothing-small train+validation and clothing-extra); the
clothing-small training photos take part in training only (the 1.0.0 convolutions were tuned on them, so
their own figures would flatter).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.heads import LinearHead, balanced_weights, fit_linear_head, group_matrix
from wardrobe_app.training.v2_data import LABELS_V2, Split, cross_validate, figures, load_split, per_class_recall

log = logging.getLogger("wardrobe_app.training.v2_experiments")
AUGMENTED_VIEWS = (2, 3, 4)


@dataclass(frozen=True)
class HeadConfig:
    """How a head is fitted."""

    l2: float = 1e-3
    balance: float = 0.5  # power of the balanced class weights (0 none, 0.5 square root, 1 fully balanced)
    group_weight: float = 1.0  # weight of the group cross-entropy added to the class cross-entropy
    label_smoothing: float = 0.0
    views: bool = True  # train on the cached augmented views too
    prior: bool = False  # pull the weights towards the base version's head (ten classes; zero for the six new)

    def fit(self, x: np.ndarray, y: np.ndarray) -> LinearHead:
        weights = balanced_weights(y, len(LABELS_V2), self.balance) if self.balance else None
        prior = base_prior(x.shape[1]) if self.prior else None
        return fit_linear_head(
            x,
            y,
            len(LABELS_V2),
            groups=group_matrix(LABELS_V2),
            group_weight=self.group_weight,
            l2=self.l2,
            sample_weight=weights,
            label_smoothing=self.label_smoothing,
            prior=prior,
        )


#: The base version's model file whose head is the prior (set by the command line).
BASE_MODEL = Path("models/garment_classifier/1.0.0/garment_classifier.keras")
_PRIORS: dict[int, LinearHead] = {}


def base_prior(width: int) -> LinearHead:
    """The base version's dense head widened to LABELS_V2 (zero weights and a low bias for the new labels)."""
    if width not in _PRIORS:
        import io
        import zipfile

        import h5py

        with zipfile.ZipFile(BASE_MODEL) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as h5:
            found: list[np.ndarray] = []
            h5.visititems(
                lambda name, item: (
                    found.append(np.asarray(item[()], np.float64))
                    if name.startswith("layers/dense/") and isinstance(item, h5py.Dataset)
                    else None
                )
            )
        kernel = next(a for a in found if a.ndim == 2)
        bias = next(a for a in found if a.ndim == 1)
        weights = np.zeros((width, len(LABELS_V2)))
        weights[: kernel.shape[0], : kernel.shape[1]] = kernel
        full_bias = np.full(len(LABELS_V2), float(bias.min()))
        full_bias[: len(bias)] = bias
        _PRIORS[width] = LinearHead(weights, full_bias)
    return _PRIORS[width]


def load_all(data: Path, cache: Path, prefixes: Sequence[str] = ("f",)) -> dict[str, Split]:
    """The splits 2.x trains and validates on (test is left out here)."""
    return {
        "small_train": load_split(data, cache, "clothing-small", "train", (0, *AUGMENTED_VIEWS), prefixes),
        "small_val": load_split(data, cache, "clothing-small", "validation", (0,), prefixes),
        "extra_train": load_split(data, cache, "clothing-extra", "train", (0, *AUGMENTED_VIEWS), prefixes),
        "extra_val": load_split(data, cache, "clothing-extra", "validation", (0,), prefixes),
    }


def evaluate_config(splits: dict[str, Split], config: HeadConfig, k: int = 5, seed: int = 0) -> dict[str, Any]:
    """Out-of-fold figures of one configuration (see the module docstring)."""
    order = ("small_val", "extra_train", "extra_val", "small_train")
    parts = [splits[name] for name in order]
    started = time.monotonic()
    probabilities, labels, origin = cross_validate(
        parts, config.fit, k=k, seed=seed, extra_views=config.views, always_train=(3,)
    )
    small = origin == 0
    extra = (origin == 1) | (origin == 2)
    return {
        "config": asdict(config),
        "small_validation": figures(probabilities[small], labels[small], new_tops=False),
        "extra": figures(probabilities[extra], labels[extra], new_tops=True),
        "recall": per_class_recall(probabilities[small | extra], labels[small | extra]),
        "seconds": round(time.monotonic() - started, 1),
    }


def grid() -> list[HeadConfig]:
    """The configurations compared."""
    return [
        HeadConfig(balance=0.0, group_weight=0.0, views=False),
        HeadConfig(balance=1.0, group_weight=0.0, views=False),
        HeadConfig(balance=0.5, group_weight=0.0, views=False),
        HeadConfig(balance=0.5, group_weight=1.0, views=False),
        HeadConfig(balance=0.5, group_weight=3.0, views=False),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=1e-2),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=1e-4),
        HeadConfig(balance=0.5, group_weight=1.0, views=True),
        HeadConfig(balance=1.0, group_weight=1.0, views=True),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=3e-2),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=1e-1),
        HeadConfig(balance=0.5, group_weight=3.0, views=False, l2=3e-2),
        HeadConfig(balance=1.0, group_weight=1.0, views=False, l2=3e-2),
        HeadConfig(balance=0.5, group_weight=1.0, views=True, l2=3e-2),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=1e-2, prior=True),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=1e-1, prior=True),
        HeadConfig(balance=0.5, group_weight=1.0, views=False, l2=1.0, prior=True),
        HeadConfig(balance=1.0, group_weight=1.0, views=False, l2=1e-1, prior=True),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding clothing-small/ and clothing-extra/")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="write every figure as JSON here")
    parser.add_argument("--only", type=int, nargs="*", default=None, help="indices into the grid")
    parser.add_argument(
        "--features",
        default="f",
        help="cached feature sets side by side: f (base block5), g (frozen ImageNet block5), fg (both)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    splits = load_all(args.data, args.cache, tuple(args.features))
    for name, split in splits.items():
        log.info("%s: %d photos, cached views %s", name, len(split.paths), sorted(split.views))
    results = []
    for i, config in enumerate(grid()):
        if args.only is not None and i not in args.only:
            continue
        result = evaluate_config(splits, config)
        results.append(result)
        s, e = result["small_validation"], result["extra"]
        result["features"] = args.features
        print(
            f"[{i}] {args.features} {config}\n    clothing-small validation ({s['photos']:.0f}): "
            f"top-1 {s['top1']:.3f} "
            f"group {s['group']:.3f} dress {s['dress_recall']:.3f} ece {s['ece']:.3f} | clothing-extra "
            f"({e['photos']:.0f}): top-1 {e['top1']:.3f} outside top {e['outside_top']:.3f} ({result['seconds']} s)",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
