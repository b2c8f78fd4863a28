"""MODEL_CARD.md of a 2.x classifier from its manifest, compared figure by figure with the base version."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: (manifest split, figure key, words) of the public figures compared with the base version.
PUBLIC_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("test", "accuracy", "test top-1 (ten classes)"),
    ("test", "group_accuracy", "test group accuracy"),
    ("test", "dress", "test dress recall"),
    ("validation", "accuracy", "validation top-1 (ten classes)"),
    ("validation", "group_accuracy", "validation group accuracy"),
    ("validation", "dress", "validation dress recall"),
)


def _figure(manifest: dict[str, Any], split: str, key: str) -> float | None:
    metrics = manifest.get("metrics", {}).get(split)
    if metrics is None:
        return None
    if key == "dress":
        value = metrics["per_class"]["dress"]["sensitivity"]
        return None if value is None else float(value)
    return float(metrics[key])


def comparison(manifest: dict[str, Any], base: dict[str, Any]) -> list[dict[str, Any]]:
    """Each public figure of both versions and whether the new one is at least as good."""
    rows = []
    for split, key, words in PUBLIC_FIGURES:
        new, old = _figure(manifest, split, key), _figure(base, split, key)
        if new is None or old is None:
            continue
        rows.append({"figure": words, "base": old, "new": new, "not_worse": new >= old, "better": new > old})
    return rows


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def render(folder: Path, base_folder: Path) -> Path:
    """Write MODEL_CARD.md into ``folder`` (needs only the two manifests)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    base = json.loads((base_folder / "manifest.json").read_text(encoding="utf-8"))
    rows = comparison(manifest, base)
    beats = bool(rows) and all(r["not_worse"] for r in rows) and any(r["better"] for r in rows)
    figures = manifest["figures"]
    calibration = manifest["calibration"]
    head = manifest["training"]["head"]
    lines = [
        f"# Garment classifier {manifest['version']}",
        "",
        f"Predicts one of {len(json.loads((folder / 'labels.json').read_text()))} garment labels (the ten of "
        f"{base['version']} plus polo, blazer, hoodie, undershirt, top, blouse, all in group top) and, for shoes",
        "and pants, the kind (sneakers, boots, ...; jeans, trousers, ...) when a second head is sure of it.",
        (
            "Returns the same 512-d pooled VGG16 features as the base version (the convolutions are unchanged)."
            if "unchanged" in manifest.get("convolutions_from", "unchanged")
            else "Its block5 was fine-tuned: the 512-d features differ from the base version's (search embeddings "
            "must be recomputed)."
        ),
        "",
        "## Against the base version (public figures)",
        "",
        "| figure | " + base["version"] + " | " + manifest["version"] + " |",
        "|---|---:|---:|",
        *[f"| {r['figure']} | {r['base']:.3f} | {r['new']:.3f} |" for r in rows],
        "",
        (
            "**Beats the base version: at least as good on every public figure above, better on some.**"
            if beats
            else "**Does not beat the base version on every public figure** (see the table)."
        ),
        "",
        "## Figures",
        "",
    ]
    for split, f in figures.items():
        extra = (
            f"outside group top {_pct(f.get('outside_top'))}"
            if "outside_top" in f
            else f"dress recall {_pct(f.get('dress_recall'))}"
        )
        lines.append(
            f"- {split} ({f['photos']:.0f} photos): top-1 {f['top1']:.3f}, group {f['group']:.3f}, "
            f"{extra}, calibration error (ECE) {f['ece']:.3f}."
        )
    lines += [
        f"- Temperature {calibration['temperature']:.3f} fitted on validation (clothing-small + clothing-extra), "
        f"folded into the dense layer; validation ECE {calibration['validation_ece_before']:.3f} -> "
        f"{calibration['validation_ece_after']:.3f}.",
        f"- Needs-review threshold (accepted validation predictions >= 97 % right): confidence < "
        f"{manifest['needs_review_threshold']:.2f}; share flagged: "
        + ", ".join(f"{k} {_pct(v)}" for k, v in manifest["needs_review_share"].items())
        + ".",
        "",
        "Per-class recall:",
        "",
        "| class | " + " | ".join(manifest["per_class_recall"]) + " |",
        "|---|" + "---:|" * len(manifest["per_class_recall"]),
    ]
    labels = json.loads((folder / "labels.json").read_text())
    for label in labels:
        cells = []
        for split in manifest["per_class_recall"]:
            cell = manifest["per_class_recall"][split].get(label)
            cells.append("" if cell is None else f"{_pct(cell['recall'])} ({cell['photos']})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Shoe and trouser kinds", ""]
    for parent, info in manifest.get("kind_heads", {}).items():
        held = info.get("held_out_validation_test", {})
        cv = info.get("cross_validated_train", {})
        lines.append(
            f"- {parent}: kinds {', '.join(info['kinds'])}; named only when the kind's probability >= "
            f'{info["threshold"]:.2f} (else plain "{parent}"); temperature {info["temperature"]:.2f}; '
            f"left out (too few labels): {', '.join(info['left_out_kinds']) or 'none'}."
        )
        lines.append("")
        lines.append(
            "  | kind | train photos | CV recall (forced / with fall-back) | held-out photos | "
            "held-out recall (forced / with fall-back) |"
        )
        lines.append("  |---|---:|---:|---:|---:|")
        for kind in info["kinds"]:
            c, h = cv.get(kind, {}), held.get(kind, {})
            lines.append(
                f"  | {kind} | {info['train_photos'].get(kind, 0)} | {_pct(c.get('recall_forced'))} / "
                f"{_pct(c.get('recall'))} | {h.get('photos', 0)} | {_pct(h.get('recall_forced'))} / "
                f"{_pct(h.get('recall'))} |"
            )
        lines.append("")
    cv_rows = manifest.get("cross_validation") or []
    lines += [
        "## Training",
        "",
        '- Data: clothing-small (train / validation / test of the CC0 1.0 crowd-sourced "clothing dataset", people\'s',
        "  own clothes at home) and clothing-extra (217 photos of six more kinds of top from the same dataset,",
        "  CC0 1.0; train / validation only). Shoe and trouser kinds: labelled by eye by the team (garment_kinds.csv).",
        f"- Convolutions: those of {manifest['convolutions_from']} (ImageNet VGG16 from "
        f"`{manifest['base_weights']['source']}`, block5 fine-tuned on clothing-small).",
        "- Head: softmax regression (L-BFGS) on cached pooled features of every training photo"
        + (" and " if head.get("views") else " (tried and not kept: ")
        + f"{len(manifest['training']['augmented_views'])} heavy augmentations of the clothing-extra photos "
        "(crop 45-100 %, rotation +-20 degrees, scale, colour jitter, blur, garment composited onto another photo's "
        "background or a plain shop-style background with the app's own segmenter)"
        + ("; " if head.get("views") else "; they lowered the cross-validated figures); ")
        + f"class balance power {head['balance']}, group cross-entropy weight {head['group_weight']} (a wrong group "
        f"costs more than a wrong category within it), L2 {head['l2']:g}"
        + (" towards the base version's head (ten classes; zero for the six new)" if head.get("prior") else "")
        + ".",
        "- Chosen by 5-fold cross-validation (wardrobe_app.training.v2_experiments); every configuration tried:",
        "",
    ]
    for r in cv_rows:
        s, e = r["small_validation"], r["extra"]
        lines.append(
            f"  - {r['config']}: clothing-small validation ({s['photos']:.0f}) top-1 {s['top1']:.3f}, group "
            f"{s['group']:.3f}, dress {s['dress_recall']:.3f}; clothing-extra ({e['photos']:.0f}) top-1 "
            f"{e['top1']:.3f}, outside top {e['outside_top']:.3f}"
        )
    lines += [
        "",
        "- Reproduce: `python -m wardrobe_app.training.v2_cache ...`,",
        "  `python -m wardrobe_app.training.v2_experiments ...`,",
        "  `python -m wardrobe_app.training.train_classifier_v2 ...` (see their docstrings).",
        "",
    ]
    path = folder / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(render(Path(sys.argv[1]), Path(sys.argv[2])))
