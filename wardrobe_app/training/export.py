"""Write a shipped version: Keras model with float16 weight storage, labels, manifest, metrics, confusion plots."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.evaluate import EvalReport
from wardrobe_app.ml.metrics import plot_confusion
from wardrobe_app.ml.registry import LABELS, MANIFEST
from wardrobe_app.ml.vgg_weights import sha256_of

MODEL_FILE = "garment_classifier.keras"
WEIGHTS_ENTRY = "model.weights.h5"


def store_weights_float16(src: Path, dst: Path) -> None:
    """Copy a ``.keras`` file with every float32 weight stored as float16 (Keras casts back on load)."""
    import h5py

    with zipfile.ZipFile(src) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    with h5py.File(io.BytesIO(entries[WEIGHTS_ENTRY]), "r") as source, h5py.File(buffer, "w") as target:

        def copy(name: str, item: Any) -> None:
            if isinstance(item, h5py.Group):
                target.require_group(name)
                return
            data = item[()]
            target.create_dataset(name, data=data.astype(np.float16) if data.dtype == np.float32 else data)

        source.visititems(copy)
    entries[WEIGHTS_ENTRY] = buffer.getvalue()
    tmp = dst.with_name(dst.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    tmp.replace(dst)


def save_network(network: Any, folder: Path, float16: bool = True) -> Path:
    """Save the network as ``garment_classifier.keras`` in ``folder`` (float16 storage unless told otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    if not float16:
        network.save(path)
        return path
    full = folder / "float32.keras"
    network.save(full)
    store_weights_float16(full, path)
    full.unlink()
    return path


def write_json(path: Path, data: object) -> None:
    """Write pretty JSON atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def write_reports(folder: Path, reports: dict[str, EvalReport]) -> None:
    """metrics_<split>.json and confusion_<split>.png/.json for each evaluated split."""
    for split, report in reports.items():
        write_json(folder / f"metrics_{split}.json", report.to_json())
        write_json(
            folder / f"confusion_{split}.json",
            {"categories": list(report.categories), "rows_true_columns_predicted": report.matrix.tolist()},
        )
        plot_confusion(
            report.matrix,
            report.categories,
            folder / f"confusion_{split}.png",
            title=f"{report.version}: {split} split (accuracy {report.accuracy:.3f})",
        )


def write_manifest(folder: Path, labels: tuple[str, ...], fields: dict[str, Any]) -> dict[str, Any]:
    """labels.json and manifest.json (sha256 of the model file computed here)."""
    write_json(folder / LABELS, list(labels))
    manifest = {"model_file": MODEL_FILE, "sha256": sha256_of(folder / MODEL_FILE), **fields}
    write_json(folder / MANIFEST, manifest)
    return manifest


def short_metrics(report: EvalReport) -> dict[str, Any]:
    """The headline figures of a report, for the manifest."""
    return {
        "photos": report.n_photos,
        "accuracy": round(report.accuracy, 4),
        "group_accuracy": round(report.group_accuracy, 4),
        "per_class": {
            s.name: {"sensitivity": _r(s.sensitivity), "specificity": _r(s.specificity), "accuracy": _r(s.accuracy)}
            for s in report.per_class
        },
    }


def _r(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def choose_review_threshold(confidence: np.ndarray, correct: np.ndarray, target: float = 0.97) -> float:
    """Lowest threshold (0.30-0.95 by 0.05) above which validation predictions are >= target accurate."""
    for threshold in np.arange(0.30, 0.951, 0.05):
        kept = confidence >= threshold
        if kept.any() and correct[kept].mean() >= target:
            return round(float(threshold), 2)
    return 0.95
