"""The ranker's exported weights: float32 .npz plus JSON, loaded without TensorFlow or pickle."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import ModelIntegrityError
from wardrobe_app.recommend.features import LAYOUT, ROW_SIZE
from wardrobe_app.resources import shipped_dir

SHIPPED_DIR = shipped_dir("models") / "outfit_ranker"
WEIGHTS_FILE = "ranker.npz"
INFO_FILE = "ranker.json"
LAYER_NAMES = ("w1", "b1", "w2", "b2", "w3", "b3")


@dataclass(frozen=True)
class RankerWeights:
    """A dense network rows -> relu -> relu -> sigmoid, as numpy arrays (w: in x out)."""

    arrays: tuple[np.ndarray, ...]  # w1, b1, w2, b2, w3, b3
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def hidden(self) -> tuple[int, int]:
        return self.arrays[0].shape[1], self.arrays[2].shape[1]

    def logits(self, rows: np.ndarray) -> np.ndarray:
        """The pre-sigmoid score of each feature row."""
        w1, b1, w2, b2, w3, b3 = self.arrays
        h = np.maximum(rows.astype(np.float32) @ w1 + b1, 0.0)
        h = np.maximum(h @ w2 + b2, 0.0)
        return (h @ w3 + b3).reshape(-1)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Scores in [0, 1] of feature rows."""
        return sigmoid(self.logits(rows))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_ranker(weights: RankerWeights, folder: Path, **info: Any) -> Path:
    """Write ranker.npz + ranker.json into ``folder`` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {name: np.asarray(a, dtype=np.float32) for name, a in zip(LAYER_NAMES, weights.arrays, strict=True)}
    tmp = folder / (WEIGHTS_FILE + ".tmp.npz")
    np.savez(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(folder / WEIGHTS_FILE)
    meta = {
        **weights.info,
        **info,
        "layout": {k: list(v) for k, v in LAYOUT.items()},
        "row_size": ROW_SIZE,
        "hidden": list(weights.hidden),
    }
    (folder / INFO_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return folder


def load_ranker(folder: Path) -> RankerWeights:
    """Read a ranker folder; ModelIntegrityError if files are missing or the feature layout differs."""
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        with np.load(folder / WEIGHTS_FILE, allow_pickle=False) as data:
            arrays = tuple(np.asarray(data[name], dtype=np.float32) for name in LAYER_NAMES)
    except (OSError, KeyError, ValueError) as exc:
        raise ModelIntegrityError(f"outfit ranker in {folder} cannot be read: {exc}") from exc
    if info.get("row_size") != ROW_SIZE or {k: tuple(v) for k, v in info.get("layout", {}).items()} != LAYOUT:
        raise ModelIntegrityError(f"outfit ranker in {folder} was trained on another feature layout")
    if arrays[0].shape[0] != ROW_SIZE:
        raise ModelIntegrityError(f"outfit ranker in {folder}: first layer expects {arrays[0].shape[0]} features")
    return RankerWeights(arrays, info)


def shipped_ranker_dir(root: Path = SHIPPED_DIR) -> Path:
    """The newest shipped expert ranker version folder, verified against its manifest."""
    versions = sorted((p for p in root.glob("v*") if (p / "manifest.json").exists()), key=lambda p: p.name)
    if not versions:
        raise ModelIntegrityError(f"no expert outfit ranker is installed in {root}")
    folder = versions[-1]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists() or sha256_of(path) != digest:
            raise ModelIntegrityError(f"{path} is missing or does not match its manifest")
    return folder
