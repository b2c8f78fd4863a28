"""Raw photo or cut-out? Frozen ImageNet VGG16 features + logistic regression, measured on validation.

    python benchmarks/classifier_input_kind.py --data ../shared/datasets/clothing-small [--per-class 40]

Trains a logistic regression on pooled features of the same training subset seen either as the raw photo or as
the import pipeline's cut-out (wardrobe_app.vision.segment.cut_out) on a plain grey background, and prints both
validation accuracies. Features are cached under work_cache/<dataset>/{raw-subset,cutout}/.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=Path("work_cache"))
    parser.add_argument("--per-class", type=int, default=40, help="training photos per class (subset)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from sklearn.linear_model import LogisticRegression

    from wardrobe_app.domain import CLASSIFIER_CATEGORIES
    from wardrobe_app.ml.dataset import list_folder
    from wardrobe_app.ml.vgg_weights import imagenet_vgg16
    from wardrobe_app.training.features import block4_extractor, cache_block4
    from wardrobe_app.training.network import frozen_block5
    from wardrobe_app.vision.segment import cut_out

    vgg = imagenet_vgg16(args.cache)
    extractor = block4_extractor(vgg)
    pooled_net = frozen_block5(vgg, len(CLASSIFIER_CATEGORIES))
    train = list_folder(args.data / "train", CLASSIFIER_CATEGORIES)
    val = list_folder(args.data / "validation", CLASSIFIER_CATEGORIES)
    rng = np.random.default_rng(0)
    subset = np.concatenate(
        [
            rng.permutation(np.flatnonzero(train.labels == c))[: args.per_class]
            for c in range(len(CLASSIFIER_CATEGORIES))
        ]
    )
    subset_paths = [train.paths[i] for i in subset]

    def mask_of(rgb: np.ndarray) -> np.ndarray:
        return cut_out(rgb).mask

    scores = {}
    for kind, mask_fn in (("raw", None), ("cutout", mask_of)):
        root = args.cache / args.data.name / f"{kind}-input-kind"
        pooled = [
            np.asarray(
                pooled_net.predict(
                    cache_block4(extractor, paths, root / split, 0, 0, mask_fn).astype(np.float32), verbose=0
                )
            )
            for split, paths in (("train-subset", subset_paths), ("validation", list(val.paths)))
        ]
        model = LogisticRegression(max_iter=3000).fit(pooled[0], train.labels[subset])
        scores[kind] = float(model.score(pooled[1], val.labels))
        print(
            f"{kind:>7}: validation accuracy {scores[kind]:.4f} "
            f"(logistic regression on {len(subset)} training photos, frozen ImageNet VGG16 features)"
        )
    print(f"better input: {max(scores, key=scores.__getitem__)}")


if __name__ == "__main__":
    main()
