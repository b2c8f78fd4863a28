"""Train and measure the shoe-kind and trouser-kind heads from the hand labels (CSV split,class,file,kind)."""

from __future__ import annotations

import csv
import dataclasses
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.heads import fit_temperature, softmax
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
    if not len(y):
        return {"_overall": {"photos": 0, "named": 0.0, "right_when_named": 0.0, "accuracy_forced": 0.0}}
    return decided_table(kinds, y, probabilities, [head.decide(p)[0] for p in probabilities])


def fit_parent(
    parent: str,
    rows: list[dict[str, str]],
    features: Mapping[str, np.ndarray],
    k: int = 5,
    target: float = 0.9,
    l2: float = 1.0,
) -> tuple[KindHead, dict[str, Any]] | None:
    """One calibrated head for ``parent`` fitted on ``rows`` (its kinds with >= MIN_TRAIN_PHOTOS photos), or None.

    Temperature and fall-back threshold come from ``k``-fold out-of-fold predictions on those rows (so that named
    kinds are right >= ``target`` of the time there); returns the head and its info (counts, temperature, the
    cross-validated recall table)."""
    all_kinds = KINDS[parent]
    mine = [r for r in rows if r["class"] == parent and r["file"] in features]  # photos without features: none
    counts = {kind: sum(r["kind"] == kind for r in mine) for kind in all_kinds}
    kinds = tuple(kind for kind in all_kinds if counts[kind] >= MIN_TRAIN_PHOTOS)
    if len(kinds) < 2:
        log.warning("%s: too few labelled kinds (%s); no kind head", parent, counts)
        return None
    x, y = _arrays(mine, features, kinds)
    folds = stratified_folds(y, k)
    logits = np.zeros((len(y), len(kinds)))
    for fold in range(k):
        part = fit_kind_head(parent, x[folds != fold], kinds, y[folds != fold], threshold=0.5, l2=l2)
        held = (x[folds == fold] - part.mean) / part.scale
        logits[folds == fold] = part.head.logits(held)
    temperature = fit_temperature(logits, y)
    oof = softmax(logits / temperature)
    threshold = choose_kind_threshold(oof.max(1), oof.argmax(1) == y, target)
    head = fit_kind_head(parent, x, kinds, y, threshold=threshold, l2=l2, temperature=temperature)
    info: dict[str, Any] = {
        "train_photos": {kind: counts[kind] for kind in all_kinds},
        "left_out_kinds": [kind for kind in all_kinds if kind not in kinds],
        "temperature": round(temperature, 4),
        "threshold_target": target,
        "cross_validated_train": recall_table(kinds, y, oof, head),
    }
    return head, info


def train_kind_heads(
    labels_csv: Path,
    features: Mapping[str, np.ndarray],
    k: int = 5,
    target: float = 0.9,
    l2: float = 1.0,
    fit_splits: tuple[str, ...] = ("train",),
) -> list[KindHead]:
    """One head per plain label, fitted on the CSV's ``fit_splits`` rows (see ``fit_parent``).

    The held-out figures are those of the other rows (by default validation + test), never used in fitting. Both
    sets of figures go into the head's ``info``.
    """
    rows = read_kind_labels(labels_csv)
    heads = []
    for parent in KINDS:
        fitted = fit_parent(parent, [r for r in rows if r["split"] in fit_splits], features, k, target, l2)
        if fitted is None:
            continue
        head, info = fitted
        held_rows = [r for r in rows if r["class"] == parent and r["split"] not in fit_splits]
        hx, hy = _arrays(held_rows, features, head.kinds)
        info["fit_splits"] = list(fit_splits)
        info["held_out"] = sorted({r["split"] for r in held_rows})
        info["held_out_validation_test"] = recall_table(head.kinds, hy, head.probabilities(hx), head) if len(hy) else {}
        heads.append(dataclasses.replace(head, info=info))
        log.info(
            "%s kinds %s: threshold %.2f, T %.2f, held-out %s",
            parent,
            head.kinds,
            head.threshold,
            info["temperature"],
            info["held_out_validation_test"].get("_overall"),
        )
    return heads


def nested_cv_tables(
    labels_csv: Path,
    features: Mapping[str, np.ndarray],
    k: int = 5,
    target: float = 0.9,
    l2: float = 1.0,
    seed: int = 0,
) -> dict[str, dict[str, Any]]:
    """Recall tables of every labelled photo predicted by a head that never saw it: ``k`` outer folds over all rows
    (stratified by kind), each fitted and calibrated as ``fit_parent`` on the other folds. Honest only for features
    whose network never trained on these labels (a frozen branch); the figures a head fitted on all rows can expect."""
    rows = [r for r in read_kind_labels(labels_csv) if r["file"] in features]
    tables: dict[str, dict[str, Any]] = {}
    for parent, kinds in KINDS.items():
        mine = [r for r in rows if r["class"] == parent]
        y = np.array([kinds.index(r["kind"]) for r in mine], np.int64)
        if len(y) == 0:
            continue
        folds = stratified_folds(y, k, seed)
        probabilities = np.zeros((len(mine), len(kinds)))
        decided: list[str | None] = [None] * len(mine)
        for fold in range(k):
            fitted = fit_parent(
                parent, [r for r, f in zip(mine, folds, strict=True) if f != fold], features, k, target, l2
            )
            if fitted is None:
                continue
            head = fitted[0]
            held = np.flatnonzero(folds == fold)
            p = head.probabilities(np.stack([features[mine[i]["file"]] for i in held]))
            for j, kind in enumerate(head.kinds):
                probabilities[held, kinds.index(kind)] = p[:, j]
            for i, row in zip(held, p, strict=True):
                decided[i] = head.decide(row)[0]
        tables[parent] = decided_table(kinds, y, probabilities, decided)
    return tables


def decided_table(
    kinds: tuple[str, ...], y: np.ndarray, probabilities: np.ndarray, decided: list[str | None]
) -> dict[str, Any]:
    """recall_table's figures from probabilities and decisions made elsewhere (several heads' calls pooled)."""
    forced = probabilities.argmax(1)
    table: dict[str, Any] = {}
    for k, kind in enumerate(kinds):
        rows = np.flatnonzero(y == k)
        if not len(rows):
            continue
        table[kind] = {
            "photos": len(rows),
            "recall_forced": round(float(np.mean(forced[rows] == k)), 4),
            "recall": round(float(np.mean([decided[i] == kind for i in rows])), 4),
            "fallback": round(float(np.mean([decided[i] is None for i in rows])), 4),
        }
    for true_kind, never in FORBIDDEN:
        if true_kind in kinds and never in kinds:
            rows = np.flatnonzero(y == kinds.index(true_kind))
            table.setdefault(true_kind, {})[f"called {never}"] = int(sum(decided[i] == never for i in rows))
    named = np.array([d is not None for d in decided])
    right = np.array([d == kinds[t] for d, t in zip(decided, y, strict=True)])
    table["_overall"] = {
        "photos": len(y),
        "named": round(float(named.mean()), 4),
        "right_when_named": round(float(right[named].mean()), 4) if named.any() else 0.0,
        "accuracy_forced": round(float(np.mean(forced == y)), 4),
    }
    return table
