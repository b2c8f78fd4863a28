"""A kind branch on block4_pool: the base outputs stay as they were, and the fast runtime gives its third output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.domain import CLASSIFIER_CATEGORIES, ModelIntegrityError

pytestmark = pytest.mark.slow
SHOE_KINDS = ("sneakers", "boots", "heels", "flats", "sandals", "slippers", "formal shoes")


def tiny_base(width: int = 8):  # type: ignore[no-untyped-def]
    """A small stand-in for the garment network with its layer names: ... block4_pool, block5, features, head.
    Its head always says "shoes" (so that every photo goes to the shoe kind head)."""
    import keras

    keras.utils.set_random_seed(5)
    inputs = keras.Input((224, 224, 3))
    x = keras.layers.AveragePooling2D(8, name="block1_pool")(inputs)
    x = keras.layers.Conv2D(width, 3, padding="same", activation="relu", name="block4_conv3")(x)
    x = keras.layers.MaxPooling2D(2, strides=2, name="block4_pool")(x)
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="block5_conv1")(x)
    x = keras.layers.MaxPooling2D(2, strides=2, name="block5_pool")(x)
    features = keras.layers.GlobalAveragePooling2D(name="features")(x)
    dropped = keras.layers.Dropout(0.5, name="head_dropout")(features)
    head = keras.layers.Dense(len(CLASSIFIER_CATEGORIES), activation="softmax", name="category")
    model = keras.Model(inputs, [head(dropped), features])
    kernel, bias = head.get_weights()
    bias[CLASSIFIER_CATEGORIES.index("shoes")] = 50.0
    head.set_weights([kernel * 0.0, bias])
    return model


def branch_weights(width: int = 8) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    shapes = ((width, 12), (12, 12), (12, 12))
    return {
        f"block5_conv{n}": (rng.normal(0, 0.3, (3, 3, a, b)).astype(np.float32), np.full(b, 0.05, np.float32))
        for n, (a, b) in enumerate(shapes, start=1)
    }


@pytest.fixture
def shipped(tmp_path: Path, drawn_photos: list[np.ndarray]) -> tuple[Path, object, object]:
    import cv2

    from wardrobe_app.ml.kinds import KINDS_FILE, fit_kind_head, save_kind_heads
    from wardrobe_app.ml.preprocess import network_input
    from wardrobe_app.ml.vgg_weights import sha256_of
    from wardrobe_app.training.export import save_network, write_manifest
    from wardrobe_app.training.kind_branch import with_kind_branch
    from wardrobe_app.training.onnx_export import export

    base = tiny_base()
    network = with_kind_branch(base, branch_weights(), pooling="avg+max")
    folder = tmp_path / "models" / "garment_classifier" / "0.1.0"
    save_network(network, folder, float16=False)
    # a kind head fitted on the network's own kind features of the drawn photos and their mirror images
    photos = [*drawn_photos, *(p[:, ::-1] for p in drawn_photos)]
    kind_features = np.asarray(network(np.stack([network_input(p) for p in photos]), training=False)[2])
    labels = np.array([0, 1, 2, 5, 0, 1, 2, 5])
    head = fit_kind_head("shoes", kind_features, SHOE_KINDS, labels, threshold=0.3)
    save_kind_heads(folder, [head])
    write_manifest(
        folder,
        CLASSIFIER_CATEGORIES,
        {"input_kind": "raw", "kinds": {"file": KINDS_FILE, "sha256": sha256_of(folder / KINDS_FILE)}},
    )
    calibration = tmp_path / "calibration"
    for n, photo in enumerate(drawn_photos * 3):
        (calibration / f"c{n % 2}").mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(calibration / f"c{n % 2}" / f"{n}.jpg"), cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))
    export(folder, calibration, per_class=6)
    return tmp_path / "models", base, network


def test_the_branch_leaves_the_base_outputs_as_they_were(shipped, drawn_photos: list[np.ndarray]) -> None:  # type: ignore[no-untyped-def]
    from wardrobe_app.ml.preprocess import network_input

    _, base, network = shipped
    batch = np.stack([network_input(p) for p in drawn_photos])
    before, after = base(batch, training=False), network(batch, training=False)
    assert len(after) == 3 and np.asarray(after[2]).shape == (len(drawn_photos), 24)  # avg and max of 12 maps
    for a, b in zip(before, after[:2], strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))


def test_the_fast_runtime_carries_the_kind_features_to_the_kind_heads(
    shipped,
    drawn_photos: list[np.ndarray],
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.ml.fast_runtime import OnnxNetwork
    from wardrobe_app.ml.preprocess import network_input

    models, _, _ = shipped
    manifest = json.loads((models / "garment_classifier" / "0.1.0" / "manifest.json").read_text())
    assert manifest["fast_runtime"]["outputs"] == ["probabilities", "features", "kind_features"]
    assert not any(n.startswith("kind_") for n in manifest["fast_runtime"]["float_nodes"])  # the branch is int8
    fast = load_classifier(models)
    assert isinstance(fast._network, OnnxNetwork) and fast._network.head_width == 24
    monkeypatch.setenv("WARDROBE_RUNTIME", "keras")
    slow = load_classifier(models)
    assert not isinstance(slow._network, OnnxNetwork)
    a, b = fast.classify(drawn_photos), slow.classify(drawn_photos)
    batch = np.stack([network_input(p) for p in drawn_photos])
    quick, exact = fast._network(batch)[2], np.asarray(slow._network(batch, training=False)[2])
    for x, y, f, g in zip(a, b, quick, exact, strict=True):
        assert x.label == y.label == "shoes" and x.kind_confidence is not None and y.kind_confidence is not None
        assert float(np.dot(f, g) / np.linalg.norm(f) / np.linalg.norm(g)) > 0.95  # int8 of a tiny random branch
    # the Keras model names the kinds its head learnt; the fast one a kind of shoes or, when unsure, "shoes"
    assert [y.category for y in b] == ["sneakers", "boots", "heels", "slippers"]
    assert all(x.category in ("shoes", *SHOE_KINDS) for x in a)


def test_a_kind_head_that_does_not_fit_the_network_is_refused(shipped) -> None:  # type: ignore[no-untyped-def]
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.ml.kinds import fit_kind_head, save_kind_heads
    from wardrobe_app.ml.vgg_weights import sha256_of

    models, _, _ = shipped
    folder = models / "garment_classifier" / "0.1.0"
    rng = np.random.default_rng(1)
    wrong = fit_kind_head("shoes", rng.normal(size=(20, 512)), SHOE_KINDS[:2], np.arange(20) % 2, threshold=0.5)
    path = save_kind_heads(folder, [wrong])
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["kinds"]["sha256"] = sha256_of(path)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelIntegrityError, match="reads 512 features, the network gives 24"):
        load_classifier(models)
