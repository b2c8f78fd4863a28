"""Which nodes of the exported graph stay float32 in the int8 fast runtime."""

from __future__ import annotations

from types import SimpleNamespace

from wardrobe_app.training.onnx_export import float_nodes


def graph(*names: str) -> SimpleNamespace:
    return SimpleNamespace(graph=SimpleNamespace(node=[SimpleNamespace(name=n) for n in names]))


def test_the_photo_and_first_convolution_and_everything_from_block5_stay_float() -> None:
    vgg = graph(
        "to_nchw", "block1_conv1", "block1_conv1_relu", "block1_conv2", "block4_pool",
        "block5_conv1", "block5_conv1_relu", "block5_pool", "gap", "flatten", "head", "softmax",
    )  # fmt: skip
    assert float_nodes(vgg) == [
        "to_nchw", "block1_conv1", "block5_conv1", "block5_conv1_relu", "block5_pool", "gap", "flatten", "head",
        "softmax",
    ]  # fmt: skip


def test_a_network_without_those_layers_keeps_only_what_it_has() -> None:
    assert float_nodes(graph("to_nchw", "conv2d", "conv2d_relu", "head")) == ["to_nchw"]
