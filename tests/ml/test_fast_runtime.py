"""The int8 ONNX fast runtime: exported from a tiny Keras network, it gives the same answers without TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.domain import CLASSIFIER_CATEGORIES, ModelIntegrityError

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def tiny_vgg(n_classes: int = 10):  # type: ignore[no-untyped-def]
    import keras

    keras.utils.set_random_seed(3)
    inputs = keras.Input((224, 224, 3))
    x = keras.layers.AveragePooling2D(8)(inputs)
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = keras.layers.MaxPooling2D(2, strides=2)(x)
    x = keras.layers.Conv2D(512, 1, activation="relu")(x)
    features = keras.layers.GlobalAveragePooling2D(name="features")(x)
    probabilities = keras.layers.Dense(n_classes, activation="softmax", name="category")(features)
    return keras.Model(inputs, [probabilities, features])


@pytest.fixture
def shipped(tmp_path: Path, drawn_photos: list[np.ndarray]) -> Path:
    import cv2

    from wardrobe_app.training.export import save_network, write_manifest
    from wardrobe_app.training.onnx_export import export

    folder = tmp_path / "models" / "garment_classifier" / "0.0.1"
    save_network(tiny_vgg(), folder)
    write_manifest(folder, CLASSIFIER_CATEGORIES, {"input_kind": "raw"})
    calibration = tmp_path / "calibration"
    for n, photo in enumerate(drawn_photos * 3):
        (calibration / f"c{n % 2}").mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(calibration / f"c{n % 2}" / f"{n}.jpg"), cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))
    export(folder, calibration, per_class=6)
    return tmp_path / "models"


def test_the_fast_runtime_agrees_with_keras(
    shipped: Path, drawn_photos: list[np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wardrobe_app.ml.classifier import load_classifier
    from wardrobe_app.ml.fast_runtime import OnnxNetwork

    fast = load_classifier(shipped)
    assert isinstance(fast._network, OnnxNetwork)
    monkeypatch.setenv("WARDROBE_RUNTIME", "keras")
    slow = load_classifier(shipped)
    assert not isinstance(slow._network, OnnxNetwork)
    a, b = fast.classify(drawn_photos), slow.classify(drawn_photos)
    for x, y in zip(a, b, strict=True):
        cos = float(np.dot(x.features, y.features) / np.linalg.norm(x.features) / np.linalg.norm(y.features))
        assert cos > 0.95  # int8 of a tiny random network; the real one is measured in benchmarks/fast_runtime.py


def test_a_damaged_fast_file_is_refused(shipped: Path) -> None:
    from wardrobe_app.ml.classifier import load_classifier

    folder = shipped / "garment_classifier" / "0.0.1"
    manifest = json.loads((folder / "manifest.json").read_text())
    path = folder / manifest["fast_runtime"]["file"]
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ModelIntegrityError, match="fast classifier"):
        load_classifier(shipped)


def test_the_fast_runtime_never_imports_tensorflow(shipped: Path) -> None:
    code = (
        f"import sys; from pathlib import Path; from wardrobe_app.ml.classifier import load_classifier; "
        f"load_classifier(Path({str(shipped)!r})); print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
