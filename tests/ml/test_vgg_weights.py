"""The ONNX -> Keras weight conversion on a tiny ONNX file built in the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.domain import ModelIntegrityError
from wardrobe_app.ml.vgg_weights import bias_name, kernel_name, read_conv_weights, set_conv_weights, sha256_of

onnx = pytest.importorskip("onnx")
pytestmark = pytest.mark.slow
LAYERS = ("block1_conv1", "block1_conv2")


def tiny_onnx(path: Path, kernels: dict[str, np.ndarray], biases: dict[str, np.ndarray]) -> Path:
    """An ONNX graph whose initializers are named like the tf2onnx export of a Keras VGG16 (OIHW kernels)."""
    from onnx import TensorProto, helper, numpy_helper

    inits = [numpy_helper.from_array(kernels[layer], kernel_name(layer)) for layer in LAYERS]
    inits += [numpy_helper.from_array(biases[layer], bias_name(layer)) for layer in LAYERS]
    nodes = [
        helper.make_node("Conv", ["x", kernel_name(LAYERS[0]), bias_name(LAYERS[0])], ["h"], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["h", kernel_name(LAYERS[1]), bias_name(LAYERS[1])], ["y"], pads=[1, 1, 1, 1]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 5, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 5, 5])],
        inits,
    )
    onnx.save(helper.make_model(graph), str(path))
    return path


def keras_twin():
    import keras

    inputs = keras.Input((5, 5, 1))
    h = keras.layers.Conv2D(3, 3, padding="same", name=LAYERS[0])(inputs)
    return keras.Model(inputs, keras.layers.Conv2D(2, 3, padding="same", name=LAYERS[1])(h))


def test_conversion_transposes_oihw_to_hwio_and_keeps_orientation(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    first = np.zeros((3, 1, 3, 3), np.float32)  # O I H W
    first[0, 0, 0, 2] = 1.0  # channel 0 reads the pixel up and to the right: y[i, j] = x[i - 1, j + 1]
    first[1:] = rng.normal(size=(2, 1, 3, 3))
    kernels = {LAYERS[0]: first, LAYERS[1]: rng.normal(size=(2, 3, 3, 3)).astype(np.float32)}
    biases = {LAYERS[0]: np.array([0.0, 0.5, -0.5], np.float32), LAYERS[1]: np.array([1.0, 2.0], np.float32)}
    path = tiny_onnx(tmp_path / "tiny.onnx", kernels, biases)

    weights = read_conv_weights(path, LAYERS, expected_sha256=None)
    assert weights[LAYERS[0]][0].shape == (3, 3, 1, 3)  # H W I O
    assert np.array_equal(weights[LAYERS[1]][0], kernels[LAYERS[1]].transpose(2, 3, 1, 0))
    assert np.array_equal(weights[LAYERS[0]][1], biases[LAYERS[0]])

    model = keras_twin()
    set_conv_weights(model, weights)
    image = rng.normal(size=(1, 5, 5, 1)).astype(np.float32)
    first_layer = model.get_layer(LAYERS[0])
    import keras

    shifted = np.asarray(keras.Model(model.input, first_layer.output)(image))[0, :, :, 0]
    assert np.allclose(shifted[1:, :-1], image[0, :-1, 1:, 0], atol=1e-6)


def test_conversion_refuses_a_file_with_another_sha256(tmp_path: Path) -> None:
    kernels = {layer: np.zeros((2 if i else 3, 1 if not i else 3, 3, 3), np.float32) for i, layer in enumerate(LAYERS)}
    biases = {LAYERS[0]: np.zeros(3, np.float32), LAYERS[1]: np.zeros(2, np.float32)}
    path = tiny_onnx(tmp_path / "tiny.onnx", kernels, biases)
    with pytest.raises(ModelIntegrityError, match="sha256"):
        read_conv_weights(path, LAYERS, expected_sha256="0" * 64)
    assert read_conv_weights(path, LAYERS, expected_sha256=sha256_of(path))
    with pytest.raises(ValueError, match="no initializer"):
        read_conv_weights(path, ("block9_conv1",), expected_sha256=None)
