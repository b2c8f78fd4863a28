"""Write MODEL_CARD.md for a shipped classifier version from its manifest and evaluation reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.evaluate import EvalReport


def _pct(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{100 * value:.1f} %"


def _class_table(report: EvalReport) -> list[str]:
    rows = ["| class | photos | sensitivity | specificity | accuracy |", "|---|---:|---:|---:|---:|"]
    for s in report.per_class:
        rates = " | ".join(_pct(v) for v in (s.sensitivity, s.specificity, s.accuracy))
        rows.append(f"| {s.name} | {s.tp + s.fn} | {rates} |")
    return rows


def _speed_lines(manifest: dict[str, Any]) -> list[str]:
    speed = manifest.get("speed")
    if not speed:
        return []
    return [
        f"- Speed ({speed['measured_with']}): batched inference {speed['inference_ms_per_photo']:.0f} ms/photo, "
        f"model load {speed['load_s']:.2f} s (plus {speed['framework_import_s']:.1f} s to import TensorFlow)."
    ]


def _views(count: int) -> str:
    names = ["the photo itself", "a mirrored random crop", "an unmirrored random crop"]
    return ", ".join(names[: min(count, 3)] + [f"{count - 3} more random crops"] * (count > 3))


def _weaknesses(report: EvalReport) -> list[str]:
    """The three largest off-diagonal confusions of a report, in words."""
    matrix = report.matrix.copy()
    np.fill_diagonal(matrix, 0)
    lines = []
    for flat in np.argsort(-matrix, axis=None)[:3]:
        i, j = np.unravel_index(flat, matrix.shape)
        if matrix[i, j]:
            lines.append(f"  - {matrix[i, j]} {report.categories[i]} photos called {report.categories[j]}.")
    return lines


def _input_kind_lines(manifest: dict[str, Any]) -> list[str]:
    """Why the model sees the raw photo (or the cut-out), with the measurement if one was made."""
    measured = manifest.get("input_kind_measurement")
    if not measured:
        return [
            "- Trained on the whole raw photo; raw vs cut-out was not measured for this version, so",
            "  classify() ignores masks.",
        ]
    return [
        f"- Input kind chosen by measurement ({measured['method']}): validation accuracy raw "
        f"{measured['raw']:.3f} vs cut-out {measured['cutout']:.3f}.",
        f"  The model sees the **{manifest['input_kind']}** photo; classify() does the same.",
    ]


def render_from_folder(folder: Path) -> Path:
    """Re-render MODEL_CARD.md from a version folder's manifest and metrics JSON (no TensorFlow)."""
    from wardrobe_app.ml.evaluate import build_report

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    reports = {}
    for split in ("validation", "test"):
        data = json.loads((folder / f"metrics_{split}.json").read_text(encoding="utf-8"))
        matrix = np.array(data["confusion_matrix"], np.int64)
        true, pred = np.nonzero(matrix)
        counts = matrix[true, pred]
        reports[split] = build_report(
            data["classifier_version"], data["categories"], np.repeat(true, counts), np.repeat(pred, counts)
        )
    return write_model_card(folder, manifest, reports, manifest["split_sizes"])


def write_model_card(
    folder: Path, manifest: dict[str, Any], reports: dict[str, EvalReport], split_sizes: dict[str, int]
) -> Path:
    """Write ``MODEL_CARD.md`` next to the model."""
    test, val = reports["test"], reports["validation"]
    training = manifest["training"]
    history = "; ".join(f"{h['epoch']}: {h['val_accuracy']:.3f}" for h in training["history"]) or "none"
    lines = [
        f"# Garment classifier {manifest['version']}",
        "",
        "Predicts one of ten garment categories (and with it the outfit group) from a photo of a single garment,",
        "and returns the 512-d pooled VGG16 features that the reverse image search reuses.",
        "",
        "## Figures (test split, measured once for this version)",
        "",
        f"- Top-1 accuracy over ten classes: **{test.accuracy:.3f}** ({test.n_photos} photos); "
        f"validation: {val.accuracy:.3f}.",
        f"- Group accuracy (top / middle / bottom / full / accessory): **{test.group_accuracy:.3f}**; "
        f"validation: {val.group_accuracy:.3f}.",
        f"- Baseline, frozen ImageNet features + logistic regression: "
        f"validation {training['frozen_logistic_regression']['validation']:.3f}, "
        f"test {training['frozen_logistic_regression']['test']:.3f}.",
        f"- Needs-review threshold (chosen on validation so that accepted predictions are >= 97 % right): "
        f"confidence < {manifest['needs_review_threshold']:.2f}; flags "
        f"{_pct(manifest['needs_review_share']['validation'])} of validation and "
        f"{_pct(manifest['needs_review_share']['test'])} of test photos.",
        *_speed_lines(manifest),
        "",
        *_class_table(test),
        "",
        "![Confusion matrix, test split](confusion_test.png)",
        "",
        "Confusion matrices as JSON: `confusion_test.json`, `confusion_validation.json`; every figure:",
        "`metrics_test.json`, `metrics_validation.json`.",
        "",
        "## Model",
        "",
        "- `keras.applications.VGG16(include_top=False)` at 224x224, global average pooling (the 512-d features),",
        "  dropout 0.5, dense softmax over ten classes. Saved in Keras format, weights stored as float16",
        "  (cast back to float32 on load; the figures above were measured on the float16-stored file).",
        f"- Input: {manifest['preprocessing']}.",
        f"- Input kind: **{manifest['input_kind']}** photo (not the cut-out of the import pipeline; see below).",
        "",
        "## Training",
        "",
        f"- Data: clothing-small, {split_sizes['train']} train / {split_sizes['validation']} validation / "
        f"{split_sizes['test']} test photos of people's own clothes at home; the top-10-class subset of the",
        '  crowd-sourced "clothing dataset" (clothing-dataset-small), released under **CC0 1.0** (public domain).',
        "- Base weights: the ImageNet VGG16 convolution weights of Keras, read offline from the ONNX initializers of",
        f"  `{manifest['base_weights']['source']}` ({manifest['base_weights']['file']}, sha256",
        f"  `{manifest['base_weights']['sha256']}`) by `wardrobe_app/ml/vgg_weights.py`; identical to",
        '  `weights="imagenet"`. The shipped model does not need that package.',
        "- Step 1: head trained on cached frozen pooled features "
        f"(validation {training['head_validation_accuracy']:.3f}).",
        f"- Step 2: block5 + head fine-tuned on cached block4_pool maps of {training['views_per_photo']} views per",
        f"  training photo ({_views(training['views_per_photo'])}; one view drawn per photo and epoch; crops",
        "  75-100 % of the area, aspect +-10 %, scale 0.95-1.1, rotation +-10 degrees, colours untouched),",
        f"  Adam with cosine decay from {training['learning_rate']:g}, label smoothing 0.1,",
        f"  balanced class weights, seed {training['seed']}; best epoch chosen on validation.",
        f"  Validation accuracy by epoch: {history}.",
        f"- Time on the 2-core CPU: {training['minutes']} min for the run that reused cached block4 maps; computing",
        "  those caches (one VGG16 pass to block4 per photo and view) takes about 15-30 min more, depending on load.",
        "- Reproduce: `python -m wardrobe_app.training.train_classifier --data ../shared/datasets/clothing-small "
        f"--out models/garment_classifier/{manifest['version']}`.",
        "",
        "## Known weaknesses",
        "",
        *_input_kind_lines(manifest),
        "- Ten categories only; a scarf, bag or belt will be called one of the ten (low confidence -> needs review).",
        "- block4 and earlier stay ImageNet-frozen (CPU budget); the test split's class mix differs from train",
        "  (many more shoes, fewer t-shirts).",
        "- Largest confusions on test:",
        *_weaknesses(test),
        "",
    ]
    path = folder / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(render_from_folder(Path(sys.argv[1])))
