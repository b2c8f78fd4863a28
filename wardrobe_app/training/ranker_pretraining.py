"""Pretrain the outfit ranker on expert-labelled samples and ship it to models/outfit_ranker/<version>/."""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from wardrobe_app.recommend.features import LAYOUT, ROW_SIZE
from wardrobe_app.recommend.ranker_file import SHIPPED_DIR, RankerWeights, save_ranker, sha256_of
from wardrobe_app.recommend.samples import expert_samples

REHEARSAL_FILE = "rehearsal.npz"


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho (no tie correction)."""
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def pretrain(
    version: str = "v1",
    n_samples: int = 60000,
    epochs: int = 40,
    seed: int = 7,
    root: Path = SHIPPED_DIR,
    n_rehearsal: int = 3000,
) -> Path:
    """Label samples with the expert scorer, train with Keras, export weights, rehearsal set and manifest."""
    from wardrobe_app.training.ranker_training import DEFAULT_HIDDEN, train_ranker

    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    rows, labels = expert_samples(rng, n_samples)
    val_rows, val_labels = expert_samples(rng, 5000)
    rehearsal_rows, rehearsal_labels = expert_samples(rng, n_rehearsal)
    arrays, history = train_ranker(rows, labels, epochs=epochs, validation=(val_rows, val_labels), seed=seed)
    weights = RankerWeights(arrays)
    predicted = weights.scores(val_rows)
    metrics = {
        "val_mae": round(float(np.abs(predicted - val_labels).mean()), 4),
        "val_spearman": round(rank_correlation(predicted, val_labels), 4),
        "train_loss": round(history["loss"][-1], 5),
        "val_loss": round(history["val_loss"][-1], 5),
        "train_samples": n_samples,
        "epochs": epochs,
        "seconds": round(time.perf_counter() - start, 1),
    }
    folder = root / version
    save_ranker(weights, folder, kind="expert", version=version)
    np.savez_compressed(folder / REHEARSAL_FILE, rows=rehearsal_rows.astype(np.float32), labels=rehearsal_labels)
    files = {name: sha256_of(folder / name) for name in ("ranker.npz", "ranker.json", REHEARSAL_FILE)}
    manifest = {
        "name": "outfit_ranker",
        "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
        "row_size": ROW_SIZE,
        "layout": {k: list(v) for k, v in LAYOUT.items()},
        "hidden": list(DEFAULT_HIDDEN),
        "labels": "expert scorer (assets/expert/)",
        "seed": seed,
        "metrics": metrics,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default="v1")
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    folder = pretrain(args.version, args.samples, args.epochs)
    print(json.dumps(json.loads((folder / "manifest.json").read_text())["metrics"], indent=2))


if __name__ == "__main__":
    main()
