"""Similar-item quality: index the train photos, query with each test photo, report precision@5.

    python benchmarks/similar_quality.py --data ../shared/datasets/clothing-small [--features shipped|imagenet]

Reports, for several colour weights: precision@5 of the same category (and 5-NN vote
accuracy), and the share of the top-5 whose dominant colour name matches the query's.
Per-photo colour histograms (the import pipeline's cut-out + hsv_histogram) and CNN
features are cached as .npy under work_cache/similar/ so re-runs take seconds.

CNN features: ``shipped`` runs the installed garment classifier (``classify`` on the photo
and its mask, exactly as an import does); ``imagenet`` is frozen ImageNet VGG16 (global
average of block5_pool), computed from the block4_pool maps the classifier training
cached under work_cache/clothing-small/raw/ when present, else from the photos.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import CLASSIFIER_CATEGORIES, group_of
from wardrobe_app.search import EmbeddingSpec, VectorIndex, combine_many

log = logging.getLogger("similar_quality")

#: A 2.x classifier's new kinds of top, mapped to the nearest of the ten labels this benchmark's data carries.
TO_TEN = {
    "polo": "t-shirt",
    "undershirt": "t-shirt",
    "top": "t-shirt",
    "blouse": "shirt",
    "blazer": "outwear",
    "hoodie": "outwear",
}


def ten_index(label: str) -> int:
    """Index among the ten clothing-small labels of a classifier label (see TO_TEN)."""
    return CLASSIFIER_CATEGORIES.index(TO_TEN.get(label, label))


CACHE = Path("work_cache/similar")
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)


def list_split(data: Path, split: str) -> tuple[list[Path], np.ndarray]:
    """Photos of ``data/split/<class>/`` in the classifier training's order, and their labels."""
    from wardrobe_app.ml.dataset import list_folder

    dataset = list_folder(data / split, CLASSIFIER_CATEGORIES)
    return list(dataset.paths), dataset.labels


def colour_cache(paths: list[Path], split: str) -> tuple[np.ndarray, np.ndarray]:
    """HSV histograms (n, 108) and dominant colour names (n,) of the garments, as an import reads them."""
    from wardrobe_app.vision.pipeline import process_photo
    from wardrobe_app.vision.render import hsv_histogram

    hist_file, names_file = CACHE / f"{split}_colour_hist.npy", CACHE / f"{split}_colour_names.json"
    if hist_file.exists() and names_file.exists():
        hists = np.load(hist_file)
        if len(hists) == len(paths):
            return hists, np.array(json.loads(names_file.read_text()))
    CACHE.mkdir(parents=True, exist_ok=True)
    hists = np.zeros((len(paths), 108), np.float32)
    names: list[str] = []
    started = time.monotonic()
    for n, path in enumerate(paths):
        processed = process_photo(path)
        hists[n] = hsv_histogram(processed.loaded.rgb, processed.cutout.mask)
        colours = processed.colours.colours
        names.append(colours[0].name if colours else "")
        if n % 200 == 199:
            log.info(
                "%s colours: %d/%d, %.0f ms/photo",
                split,
                n + 1,
                len(paths),
                1000 * (time.monotonic() - started) / (n + 1),
            )
    np.save(hist_file, hists)
    names_file.write_text(json.dumps(names))
    return hists, np.array(names)


def imagenet_features(paths: list[Path], split: str) -> np.ndarray:
    """Frozen ImageNet VGG16 features: global average of block5_pool (512 values per photo)."""
    out = CACHE / f"{split}_imagenet.npy"
    if out.exists() and len(np.load(out, mmap_mode="r")) == len(paths):
        return np.load(out)
    import keras

    from wardrobe_app.ml.vgg_weights import imagenet_vgg16

    vgg = imagenet_vgg16(Path("work_cache"))
    block4_dir = Path("work_cache/clothing-small/raw") / split
    chunks = sorted(block4_dir.glob("v0_*.npy")) if block4_dir.is_dir() else []
    if chunks and sum(len(np.load(c, mmap_mode="r")) for c in chunks) == len(paths):
        log.info("%s: imagenet features from cached block4_pool maps", split)
        maps_in = keras.Input((14, 14, 512))
        x = maps_in
        for name in ("block5_conv1", "block5_conv2", "block5_conv3", "block5_pool"):
            x = vgg.get_layer(name)(x)
        head = keras.Model(maps_in, keras.layers.GlobalAveragePooling2D()(x))
        features = np.concatenate(
            [head.predict(np.load(c).astype(np.float32), batch_size=32, verbose=0) for c in chunks]
        )
    else:
        from wardrobe_app.ml.preprocess import network_input
        from wardrobe_app.vision.loading import load_photo

        log.info("%s: imagenet features from the photos", split)
        model = keras.Model(vgg.input, keras.layers.GlobalAveragePooling2D()(vgg.output))
        parts = []
        for start in range(0, len(paths), 32):
            batch = np.stack([network_input(load_photo(p).rgb) for p in paths[start : start + 32]])
            parts.append(model.predict(batch, verbose=0))
        features = np.concatenate(parts)
    np.save(out, features.astype(np.float32))
    return features.astype(np.float32)


def shipped_features(paths: list[Path], split: str) -> tuple[np.ndarray, np.ndarray, str]:
    """Features and predicted labels of the installed garment classifier, as an import computes them."""
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.vision.loading import load_photo
    from wardrobe_app.vision.segment import cut_out

    classifier = load_classifier()
    tag = "".join(c if c.isalnum() or c in ".-" else "_" for c in classifier.version)
    out = CACHE / f"{split}_cnn_{tag}.npy"
    predicted_file = CACHE / f"{split}_predicted_{tag}.npy"
    if out.exists() and predicted_file.exists() and len(np.load(out, mmap_mode="r")) == len(paths):
        return np.load(out), np.load(predicted_file), classifier.version
    chunks = block4_chunks(split, len(paths))
    if chunks and not classifier.cutout:
        features, predicted_array = shipped_from_block4(classifier, chunks)
        np.save(out, features)
        np.save(predicted_file, predicted_array)
        return features, predicted_array, classifier.version
    parts, predicted = [], []
    started = time.monotonic()
    for start in range(0, len(paths), 16):
        images, masks = [], []
        for path in paths[start : start + 16]:
            loaded = load_photo(path)
            images.append(loaded.rgb)
            masks.append(cut_out(loaded.rgb, loaded.alpha).mask if classifier.cutout else None)
        classifications = classifier.classify(images, masks=masks)
        parts.append(np.stack([c.features for c in classifications]))
        predicted.extend(ten_index(c.label or c.category) for c in classifications)
        log.info(
            "%s cnn: %d/%d, %.0f ms/photo",
            split,
            start + len(images),
            len(paths),
            1000 * (time.monotonic() - started) / (start + len(images)),
        )
    features = np.concatenate(parts).astype(np.float32)
    np.save(out, features)
    np.save(predicted_file, np.array(predicted, np.int64))
    return features, np.array(predicted, np.int64), classifier.version


def block4_chunks(split: str, n: int) -> list[Path]:
    """The classifier training's cached block4_pool maps of the raw photos, when complete."""
    folder = Path("work_cache/clothing-small/raw") / split
    chunks = sorted(folder.glob("v0_*.npy")) if folder.is_dir() else []
    return chunks if chunks and sum(len(np.load(c, mmap_mode="r")) for c in chunks) == n else []


def shipped_from_block4(classifier: Any, chunks: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """The shipped network's block5, pooled features and head applied to cached block4_pool maps.

    The same numbers as ``classify`` on the raw photo (up to the float16 cache), minutes faster.
    """
    import keras

    network = classifier._network
    maps_in = keras.Input((14, 14, 512))
    x = maps_in
    for name in ("block5_conv1", "block5_conv2", "block5_conv3", "block5_pool", "features"):
        x = network.get_layer(name)(x)
    probabilities = network.get_layer("category")(x)
    model = keras.Model(maps_in, [probabilities, x])
    features, predicted = [], []
    for chunk in chunks:
        p, f = model.predict(np.load(chunk).astype(np.float32), batch_size=32, verbose=0)
        features.append(f)
        predicted.append(np.array([ten_index(classifier.labels[i]) for i in p.argmax(axis=1)]))
    return np.concatenate(features).astype(np.float32), np.concatenate(predicted).astype(np.int64)


def evaluate(
    train: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    spec: EmbeddingSpec,
    k: int = 5,
    restrict_group: bool = False,
    predicted: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, float]:
    """precision@k (same category), k-NN vote accuracy, colour-name match share, same group share.

    ``predicted`` (classifier labels of the train and test photos) turns on what
    ``Wardrobe.similar`` does by default: items of the query's predicted category first,
    topped up with the nearest others.
    """
    train_cnn, train_hist, train_labels, train_colours = train
    test_cnn, test_hist, test_labels, test_colours = test
    index = VectorIndex(spec.dim)
    index.add(np.arange(len(train_labels)), combine_many(train_cnn, train_hist, spec))
    queries = combine_many(test_cnn, test_hist, spec)
    if restrict_group:  # the index restricted to the query's (true) group, as a GUI filter would
        groups = [group_of(CLASSIFIER_CATEGORIES[i]).value for i in train_labels]
        index = VectorIndex(spec.dim)
        index.add(np.arange(len(train_labels)), combine_many(train_cnn, train_hist, spec), groups)
        rows = np.array(
            [
                [n.id for n in index.search(q, k, group=group_of(CLASSIFIER_CATEGORIES[t]).value)]
                for q, t in zip(queries, test_labels, strict=True)
            ]
        )
    elif predicted is not None:
        index = VectorIndex(spec.dim)
        names = [CLASSIFIER_CATEGORIES[i] for i in predicted[0]]
        index.add(
            np.arange(len(train_labels)),
            combine_many(train_cnn, train_hist, spec),
            [group_of(c).value for c in names],
            names,
        )
        found = []
        for q, p in zip(queries, predicted[1], strict=True):  # as SimilarSearch.search_cascade
            category = CLASSIFIER_CATEGORIES[p]
            hits = [n.id for n in index.search(q, k, category=category)]
            for restriction in ({"group": group_of(category).value}, {}):
                if len(hits) < k:
                    hits += [n.id for n in index.search(q, k - len(hits), exclude=hits, **restriction)]
            found.append(hits)
        rows = np.array(found)
    else:
        rows, _ = index.search_many(queries, k)
    same = train_labels[rows] == test_labels[:, None]
    votes = np.array([np.bincount(r, minlength=len(CLASSIFIER_CATEGORIES)).argmax() for r in train_labels[rows]])
    has_colour = test_colours != ""
    colour_match = (train_colours[rows] == test_colours[:, None])[has_colour]
    to_group = np.array([group_of(c).value for c in CLASSIFIER_CATEGORIES])
    return {
        "precision_at_5": float(same.mean()),
        "knn_accuracy": float((votes == test_labels).mean()),
        "colour_match": float(colour_match.mean()),
        "same_group": float((to_group[train_labels[rows]] == to_group[test_labels][:, None]).mean()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets/clothing-small"))
    parser.add_argument("--features", choices=["shipped", "imagenet", "none"], default="shipped")
    parser.add_argument("--colour-only", action="store_true", help="only cache the colour histograms")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)

    splits = {}
    for split in ("train", "test"):
        paths, labels = list_split(args.data, split)
        hists, names = colour_cache(paths, split)
        splits[split] = (paths, labels, hists, names)
    if args.colour_only:
        return 0
    features: dict[str, np.ndarray] = {}
    predicted: dict[str, np.ndarray] = {}
    source = args.features
    for split, (paths, *_rest) in splits.items():
        if args.features == "shipped":
            features[split], predicted[split], version = shipped_features(paths, split)
            source = f"shipped classifier {version}"
        elif args.features == "imagenet":
            features[split] = imagenet_features(paths, split)
            source = "frozen ImageNet VGG16 (GAP of block5_pool)"
        else:
            features[split] = np.zeros((len(paths), 512), np.float32)
    if args.features == "imagenet":  # a stand-in classifier: logistic regression on the frozen features
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_predict
        from sklearn.preprocessing import normalize

        model = LogisticRegression(max_iter=2000)
        x_train, x_test = normalize(features["train"]), normalize(features["test"])
        predicted["train"] = cross_val_predict(model, x_train, splits["train"][1], cv=5)
        predicted["test"] = model.fit(x_train, splits["train"][1]).predict(x_test)
        source += " + logistic-regression labels"
    train = (features["train"], splits["train"][2], splits["train"][1], splits["train"][3])
    test = (features["test"], splits["test"][2], splits["test"][1], splits["test"][3])
    print(f"CNN features: {source}; {len(train[2])} train photos indexed, {len(test[2])} test queries, k=5")
    print(f"{'colour w':>8} {'power':>5} {'centred':>7} {'P@5 cat':>8} {'5-NN acc':>8} {'colour=':>8} {'group=':>7}")
    mean = train[0].mean(axis=0)
    for centred in (False, True):
        # centred: the CNN features minus the indexed collection's mean (an experiment, not shipped)
        tr = (train[0] - mean, *train[1:]) if centred else train
        te = (test[0] - mean, *test[1:]) if centred else test
        for power in (1.0, 0.5):
            for weight in WEIGHTS:
                r = evaluate(tr, te, EmbeddingSpec(colour_weight=weight, cnn_power=power))
                print(
                    f"{weight:8.2f} {power:5.1f} {centred!s:>7} {r['precision_at_5']:8.3f} "
                    f"{r['knn_accuracy']:8.3f} {r['colour_match']:8.3f} {r['same_group']:7.3f}"
                )
    if predicted:
        accuracy = float((predicted["test"] == splits["test"][1]).mean())
        print(f"\nsame category first (Wardrobe.similar's default), classifier test accuracy {accuracy:.3f}:")
        for power in (1.0, 0.5):
            for weight in WEIGHTS:
                r = evaluate(
                    train,
                    test,
                    EmbeddingSpec(colour_weight=weight, cnn_power=power),
                    predicted=(predicted["train"], predicted["test"]),
                )
                print(
                    f"{weight:8.2f} {power:5.1f} {'':>7} {r['precision_at_5']:8.3f} "
                    f"{r['knn_accuracy']:8.3f} {r['colour_match']:8.3f} {r['same_group']:7.3f}"
                )
    spec = EmbeddingSpec()
    print(f"\nshipped defaults: colour weight {spec.colour_weight}, CNN power {spec.cnn_power}")
    for label, kwargs in (
        ("plain top-5", {}),
        ("restricted to the query's true group", {"restrict_group": True}),
        ("same category first", {"predicted": (predicted["train"], predicted["test"])} if predicted else None),
    ):
        if kwargs is None:
            continue
        for name, weight in (("with colour", spec.colour_weight), ("without colour", 0.0)):
            r = evaluate(train, test, EmbeddingSpec(colour_weight=weight, cnn_power=spec.cnn_power), **kwargs)
            print(f"  {label:<38} {name:<15} P@5 {r['precision_at_5']:.3f}  colour match {r['colour_match']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
