"""Shoe-kind and trouser-kind recall of the kind heads on a choice of features, by two protocols (prints tables).

    .venv/bin/python benchmarks/kind_heads.py --data ../shared/datasets --cache work_cache/classifier \
        [--branch none|imagenet|kinds_best.npz] [--pooling avg|max|avg+max] [--with-base]

``--branch none`` measures garment_classifier 1.0.0's own pooled features (what its kind heads would read);
``imagenet`` a frozen ImageNet block5 on the same block4 maps; an npz a fine-tuned block5
(training.finetune_kinds). Needs the block4 maps that ``python -m wardrobe_app.training.v2_cache`` caches
(view 0 of clothing-small train, validation and test). Protocols: heads fitted on the labels' train + validation rows
and measured on the test rows; and 5-fold cross-validation over every labelled photo, fitting and calibration
nested in each fold. Targets (issue 10): recall >= 0.8 for every kind with >= 20 labelled photos, slippers never
called formal shoes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from wardrobe_app.training.kind_version import main

if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--out" not in argv:
        argv += ["--out", str(Path(tempfile.gettempdir()) / "kind_heads.json")]
    raise SystemExit(main(["measure", *argv]))
