"""Train and measure the shoe-kind and trouser-kind heads from the hand labels (CSV split,class,file,kind)."""

from __future__ import annotations

import csv
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.heads import fit_temperature
from wardrobe_app.ml.kinds import FORBIDDEN, KINDS, KindHead, choose_kind_threshold, fit_kind_head
from wardrobe_app.training.v2_data import stratified_folds

log = logging.getLogger(__name__)
#: Kinds with fewer labelled training photos than this are left out of a head (too few to learn).
MIN_TRAIN_PHOTOS = 5


def read_kind_labels(path: Path) -> list[dict[str, str]]:
    """Rows of the labels CSV whose kind is one of KINDS of their class (``unsure`` and others are skipped)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if r.get("class") in KINDS and r.get("kind") in KINDS[r["class"]]]


def _arrays(
    rows: list[dict[str, str]], features: Mapping[str, np.ndarray], kinds: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    kept = [r for r in rows if r["file"] in features and r["kind"] in kinds]
    x = np.stack([features[r["file"]] for r in kept]) if kept else np.zeros((0, 512))
    return x, np.array([kinds.index(r["kind"]) for r in kept], np.int64)


def recall_table(kinds: tuple[str, ...], y: np.ndarray, probabilities: np.ndarray, head: KindHead) -> dict[str, Any]:
    """Per-kind photos, recall of the forced choice, recall with the fall-back (unsure counts as a miss), and
    how many of each kind were called each forbidden kind."""
    forced = probabilities.argmax(1)
    decided = [head.decide(p)[0] for p in probabilities]
    table: dict[str, Any] = {}
    for k, kind in enumerate(kinds):
        rows = y == k
        if not rows.any():
            continue
        table[kind] = {
            "photos": int(rows.sum()),
            "recall_forced": round(float(np.mean(forced[rows] == k)), 4),
            "recall": round(float(np.mean([d == kind for d, r in zip(decided, rows, strict=True) if r])), 4),
            "fallback": round(float(np.mean([d is None for d, r in zip(decided, rows, strict=True) if r])), 4),
        }
    for true_kind, never in FORBIDDEN:
        if true_kind in kinds and never in kinds:
            rows = y == kinds.index(true_kind)
            table.setdefault(true_kind, {})[f"called {never}"] = int(
                sum(d == never for d, r in zip(decided, rows, strict=True) if r)
            )
    covered = np.array([d is not None for d in decided]) if len(decided) else np.zeros(0, bool)
    right = np.array([d == kinds[t] for d, t in zip(decided, y, strict=True)]) if len(decided) else np.zeros(0, bool)
    table["_overall"] = {
        "photos": len(y),
        "named": round(float(covered.mean()), 4) if len(y) else 0.0,
        "right_when_named": round(float(right[covered].mean()), 4) if covered.any() else 0.0,
        "accuracy_forced": round(float(np.mean(forced == y)), 4) if len(y) else 0.0,
    }
    return table


def train_kind_heads(
    labels_csv: Path, features: Mapping[str, np.ndarray], k: int = 5, target: float = 0.9, l2: float = 1.0
) -> list[KindHead]:
    """One head per plain label, fitted on the CSV's train rows.

    Temperature and fall-back threshold come from 5-fold out-of-fold predictions on the train rows (so that
    named kinds are right >= ``target`` of the time there); the held-out figures are the validation + test rows,
    never used in fitting. Both sets of figures go into the head's ``info``.
    """
    rows = read_kind_labels(labels_csv)
    heads = []
    for parent, all_kinds in KINDS.items():
        train_rows = [r for r in rows if r["class"] == parent and r["split"] == "train"]
        counts = {kind: sum(r["kind"] == kind for r in train_rows) for kind in all_kinds}
        kinds = tuple(kind for kind in all_kinds if counts[kind] >= MIN_TRAIN_PHOTOS)
        if len(kinds) < 2:
            log.warning("%s: too few labelled kinds (%s); no kind head", parent, counts)
            continue
        x, y = _arrays(train_rows, features, kinds)
        folds = stratified_folds(y, k)
        logits = np.zeros((len(y), len(kinds)))
        for fold in range(k):
            part = fit_kind_head(parent, x[folds != fold], kinds, y[folds != fold], threshold=0.5, l2=l2)
            held = (x[folds == fold] - part.mean) / part.scale
            logits[folds == fold] = part.head.logits(held)
        temperature = fit_temperature(logits, y)
        from wardrobe_app.ml.heads import softmax

        oof = softmax(logits / temperature)
        threshold = choose_kind_threshold(oof.max(1), oof.argmax(1) == y, target)
        head = fit_kind_head(parent, x, kinds, y, threshold=threshold, l2=l2, temperature=temperature)
        held_rows = [r for r in rows if r["class"] == parent and r["split"] in ("validation", "test")]
        hx, hy = _arrays(held_rows, features, kinds)
        info: dict[str, Any] = {
            "train_photos": {kind: counts[kind] for kind in all_kinds},
            "left_out_kinds": [kind for kind in all_kinds if kind not in kinds],
            "temperature": round(temperature, 4),
            "threshold_target": target,
            "cross_validated_train": recall_table(kinds, y, oof, head),
            "held_out_validation_test": recall_table(kinds, hy, head.probabilities(hx), head) if len(hy) else {},
        }
        heads.append(
            KindHead(
                head.parent,
                head.kinds,
                head.mean,
                head.scale,
                head.head,
                head.threshold,
                head.guards,
                head.guard_probability,
                info,
            )
        )
        log.info(
            "%s kinds %s: threshold %.2f, T %.2f, held-out %s",
            parent,
            kinds,
            threshold,
            temperature,
            info["held_out_validation_test"].get("_overall"),
        )
    return heads
