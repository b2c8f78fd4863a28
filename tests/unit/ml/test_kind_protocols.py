"""Fitting and measuring the kind heads: the chosen splits teach, the rest is held out; nested CV never peeks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from wardrobe_app.ml.kinds import KINDS
from wardrobe_app.training.v2_kinds import nested_cv_tables, train_kind_heads

SHOES, PANTS = KINDS["shoes"], KINDS["pants"]


def labelled(tmp_path: Path, separable: bool, n: int = 16) -> tuple[Path, dict[str, np.ndarray]]:
    """A labels csv (n photos per kind, 1 in 4 held out as 'test') and 32-d features that say the kind (or noise)."""
    rng = np.random.default_rng(0)
    rows, features = [], {}
    for parent, kinds in (("shoes", SHOES), ("pants", PANTS)):
        for k, kind in enumerate(kinds):
            for i in range(n):
                name = f"{parent}-{k}-{i}.jpg"
                rows.append({"split": "test" if i % 4 == 0 else "train", "class": parent, "file": name, "kind": kind})
                x = rng.normal(0, 1, 32)
                if separable:
                    x[k] += 6.0
                features[name] = x.astype(np.float32)
    rows.append({"split": "train", "class": "shoes", "file": "odd.jpg", "kind": "unsure"})  # skipped
    path = tmp_path / "kinds.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["split", "class", "file", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    return path, features


def test_heads_learn_from_the_chosen_splits_and_are_measured_on_the_rest(tmp_path: Path) -> None:
    path, features = labelled(tmp_path, separable=True)
    heads = {h.parent: h for h in train_kind_heads(path, features, fit_splits=("train",))}
    assert set(heads) == {"shoes", "pants"}
    shoes = heads["shoes"]
    assert shoes.info["fit_splits"] == ["train"] and shoes.info["held_out"] == ["test"]
    assert shoes.info["train_photos"]["sneakers"] == 12  # 16 photos, 4 held out
    held = shoes.info["held_out_validation_test"]
    assert held["_overall"]["photos"] == 4 * len(SHOES)
    assert all(held[kind]["recall_forced"] == 1.0 for kind in SHOES)
    assert held["slippers"]["called formal shoes"] == 0


def test_nested_cross_validation_reports_chance_on_features_that_say_nothing(tmp_path: Path) -> None:
    path, features = labelled(tmp_path, separable=False, n=20)
    tables = nested_cv_tables(path, features, k=4)
    for parent, kinds in (("shoes", SHOES), ("pants", PANTS)):
        overall = tables[parent]["_overall"]
        assert overall["photos"] == 20 * len(kinds)  # every photo predicted once, by a head that never saw it
        assert overall["accuracy_forced"] < 1.5 / len(kinds) + 0.15  # no better than chance, give or take
        assert overall["named"] < 0.3  # unsure heads fall back to the plain label
    path, features = labelled(tmp_path, separable=True, n=20)
    good = nested_cv_tables(path, features, k=4)
    assert good["shoes"]["_overall"]["accuracy_forced"] > 0.95 and good["pants"]["_overall"]["named"] > 0.9
