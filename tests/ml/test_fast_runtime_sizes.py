"""The fast runtime runs its network at any input side; the classifier refuses another side on a fixed network."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.domain import CLASSIFIER_CATEGORIES
from wardrobe_app.ml.classifier import GarmentClassifier
from wardrobe_app.ml.fast_runtime import OnnxNetwork, free_spatial_dims

onnx = pytest.importorskip("onnx")


def tiny_model(side: int = 224) -> bytes:
    """NHWC input (n, side, side, 3) -> 1x1 conv -> global average pool -> (softmax, pooled features)."""
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    classes, channels = len(CLASSIFIER_CATEGORIES), 8
    inits = [
        numpy_helper.from_array(rng.normal(0, 0.05, (channels, 3, 1, 1)).astype(np.float32), "w"),
        numpy_helper.from_array(rng.normal(0, 0.5, (channels, classes)).astype(np.float32), "h"),
    ]
    nodes = [
        helper.make_node("Transpose", ["input"], ["x"], perm=[0, 3, 1, 2]),
        helper.make_node("Conv", ["x", "w"], ["c"]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("GlobalAveragePool", ["r"], ["g"]),
        helper.make_node("Flatten", ["g"], ["features"]),
        helper.make_node("MatMul", ["features", "h"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", side, side, 3])],
        [
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["n", classes]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["n", channels]),
        ],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return bytes(model.SerializeToString())


def network(tmp_path: Path, model: bytes) -> OnnxNetwork:
    path = tmp_path / "tiny.onnx"
    path.write_bytes(model)
    return OnnxNetwork(path, hashlib.sha256(model).hexdigest())


def test_a_224_input_is_freed_in_memory_and_runs_at_any_side(tmp_path: Path) -> None:
    model = tiny_model()
    freed = free_spatial_dims(model)
    assert freed is not None and len(freed) == len(model)
    fast = network(tmp_path, model)
    assert fast.any_size
    rng = np.random.default_rng(1)
    for height, width in ((224, 224), (128, 128), (160, 112)):
        probabilities, features = fast(rng.normal(0, 50, (2, height, width, 3)).astype(np.float32))
        assert probabilities.shape == (2, len(CLASSIFIER_CATEGORIES)) and features.shape == (2, 8)
        assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_the_freed_network_answers_as_the_file_does_at_224(tmp_path: Path) -> None:
    import onnxruntime as ort

    model = tiny_model()
    x = np.random.default_rng(2).normal(0, 50, (3, 224, 224, 3)).astype(np.float32)
    plain = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(None, {"input": x})
    freed = network(tmp_path, model)(x)
    for a, b in zip(plain, freed, strict=True):
        assert np.allclose(a, b, atol=1e-6)


def test_a_network_of_another_fixed_side_is_left_as_it_is(tmp_path: Path) -> None:
    model = tiny_model(side=200)
    assert free_spatial_dims(model) is None
    fast = network(tmp_path, model)
    assert not fast.any_size
    classifier = GarmentClassifier(fast, CLASSIFIER_CATEGORIES, "tiny")
    with pytest.raises(ValueError, match="224"):
        classifier.classify([np.zeros((50, 40, 3), np.uint8)], input_size=128)


def test_the_classifier_feeds_the_side_it_is_asked_for(tmp_path: Path) -> None:
    seen: list[tuple[int, ...]] = []
    fast = network(tmp_path, tiny_model())

    def recording(inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, np.ndarray]:
        seen.append(inputs.shape)
        return fast(inputs)

    recording.any_size = True  # type: ignore[attr-defined]
    classifier = GarmentClassifier(recording, CLASSIFIER_CATEGORIES, "tiny")
    photos = [np.full((90, 70, 3), 200, np.uint8), np.full((50, 80, 3), 20, np.uint8)]
    default, smaller = classifier.classify(photos), classifier.classify(photos, input_size=128)
    assert seen == [(2, 224, 224, 3), (2, 128, 128, 3)]
    assert len(default) == len(smaller) == 2 and smaller[0].features.shape == (8,)
