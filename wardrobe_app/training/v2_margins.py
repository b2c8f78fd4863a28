"""Validation figures of every saved fine-tuning epoch with the six new labels held back by a logit margin.

Run through ``python -m wardrobe_app.training.finetune_v2 ... --margins 0 0.5 1`` (writes ``margins.json`` in the run).
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from wardrobe_app.ml.heads import softmax
from wardrobe_app.training.finetune_v2 import VALIDATION, build_model, frozen_prefix, load_maps, predict, start_maps
from wardrobe_app.training.v2_data import LABELS_V2, figures, load_split

log = logging.getLogger("wardrobe_app.training.v2_margins")


def margin_sweep(args: argparse.Namespace, margins: Sequence[float]) -> list[dict[str, Any]]:
    """Validation figures of every saved epoch when the six new labels' logits are lowered by a margin
    (a new kind of top must beat the ten by that much in log-odds); never looks at test."""
    from wardrobe_app.training.v2_data import NEW_TOPS

    prefix = frozen_prefix(args.base, args.start)
    inputs_dir = args.state.parent / f"inputs_{args.start}"
    val = []
    for dataset, split in VALIDATION:
        listed = load_split(args.data, args.cache, dataset, split)
        maps = load_maps(args.cache / dataset / "raw" / split, 0, len(listed.paths))
        assert maps is not None, f"{dataset} {split}: view 0 not cached"
        val.append((start_maps(prefix, maps, inputs_dir / dataset / split / "v0.npy"), listed.labels))
    start = np.load(args.state / "start_head.npz")
    model = build_model(args.base, (start["w"], start["b"]), args.start)
    history = json.loads((args.state / "history.json").read_text())
    shift = np.zeros(len(LABELS_V2))
    shift[len(LABELS_V2) - len(NEW_TOPS) :] = 1.0
    rows = []
    for record in history:
        model.load_weights(args.state / f"epoch{record['epoch']:02d}.weights.h5")
        logs = [np.log(predict(model, m)[0] + 1e-12) for m, _ in val]
        for margin in margins:
            small, extra = (
                figures(softmax(lg - margin * shift), y, new_tops=i == 1)
                for i, (lg, (_, y)) in enumerate(zip(logs, val, strict=True))
            )
            rows.append(
                {"epoch": record["epoch"], "margin": margin, "small_validation": small, "extra_validation": extra}
            )
            log.info(
                "epoch %d margin %.2f: small val top-1 %.4f group %.4f dress %.4f | extra val top-1 %.4f outside %.4f",
                record["epoch"],
                margin,
                small["top1"],
                small["group"],
                small["dress_recall"],
                extra["top1"],
                extra["outside_top"],
            )
    (args.state / "margins.json").write_text(json.dumps(rows, indent=1))
    return rows
