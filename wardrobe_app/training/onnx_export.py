"""Export the Keras garment network to ONNX (float32), then quantise it to static int8 for the fast runtime.

    python -m wardrobe_app.training.onnx_export --version 1.0.0 --calibration ../shared/datasets/clothing-small/train

The Keras model stays the source of truth: the ONNX graph is rebuilt layer by layer from its weights
(VGG16 convolutions, global average pooling, the dense softmax head), checked against Keras on the
calibration photos, then quantised with ONNX Runtime's static QDQ int8 (per-channel weights, activations
calibrated on training photos by MinMax), but for the first convolution and everything from block5 on
(``float_nodes``). The int8 file is written beside the Keras model and listed with its sha256 in the
version's manifest ("fast_runtime"); the command above, with its seeded choice of photos, reproduces it;
benchmarks/fast_runtime.py measures it against Keras.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.preprocess import INPUT_SIZE, network_input
from wardrobe_app.ml.vgg_weights import sha256_of
from wardrobe_app.training.network import FEATURES_LAYER, HEAD_LAYER

log = logging.getLogger(__name__)
FLOAT_FILE = "garment_classifier.onnx"
INT8_FILE = "garment_classifier.int8.onnx"
INPUT_NAME, PROBS_NAME, FEATURES_NAME = "input", "probabilities", "features"
#: The third output of a network with a kind branch (training.kind_branch): the kind heads' features.
KIND_FEATURES_NAME = "kind_features"
#: Nodes kept in float32. The first convolution and its input: quantising the photo itself (uint8 over the
#: whole 'caffe' range) alone moved the pooled features to a cosine of 0.934 with float's, and a third of the
#: 5 nearest neighbours; in float they stay at 0.9997 (0.6 % of the network's work). And from block5 on
#: (the last block, pooling, the head): the features the search and the personal layer use. A kind branch (its
#: nodes named ``kind_...``) is quantised like block1-4: only the kind heads read it (named only when sure).
FLOAT_HEAD = ("to_nchw", "block1_conv1")
FLOAT_FROM = "block5_conv1"


def float_nodes(model: Any) -> list[str]:
    """Names of the nodes that stay float32: FLOAT_HEAD and every node from FLOAT_FROM on."""
    from wardrobe_app.training.kind_branch import BRANCH_PREFIX

    names = [node.name for node in model.graph.node]
    tail = names[names.index(FLOAT_FROM) :] if FLOAT_FROM in names else []
    return [n for n in FLOAT_HEAD if n in names] + [n for n in tail if not n.startswith(BRANCH_PREFIX)]


def _conv(layer: Any, source: str, out: str, nodes: list[Any], inits: list[Any]) -> str:
    """Conv + ReLU nodes of a Keras Conv2D layer; returns the ReLU's output name."""
    from onnx import helper, numpy_helper

    kernel, bias = layer.get_weights()
    w = numpy_helper.from_array(np.transpose(kernel, (3, 2, 0, 1)).astype(np.float32), f"{layer.name}_W")
    b = numpy_helper.from_array(bias.astype(np.float32), f"{layer.name}_B")
    inits += [w, b]
    kh, kw = layer.kernel_size
    pads = [(kh - 1) // 2, (kw - 1) // 2, kh // 2, kw // 2] if layer.padding == "same" else [0, 0, 0, 0]
    nodes.append(
        helper.make_node(
            "Conv",
            [source, w.name, b.name],
            [f"{out}_conv"],
            kernel_shape=[kh, kw],
            strides=list(layer.strides),
            pads=pads,
            name=layer.name,
        )
    )
    if layer.activation.__name__ != "relu":
        raise ValueError(f"cannot export {layer.name}: activation {layer.activation.__name__}")
    nodes.append(helper.make_node("Relu", [f"{out}_conv"], [out], name=f"{layer.name}_relu"))
    return out


def _kind_branch(network: Any, maps: str, nodes: list[Any], inits: list[Any]) -> int | None:
    """Nodes of the network's kind branch (training.kind_branch) on the block4_pool output; its width, or None."""
    from onnx import helper

    from wardrobe_app.training.kind_branch import BRANCH_CONVS, BRANCH_POOL, KIND_FEATURES

    names = {layer.name for layer in network.layers}
    if KIND_FEATURES not in names:
        return None
    current = maps
    for name in BRANCH_CONVS:
        current = _conv(network.get_layer(name), current, f"{name}_out", nodes, inits)
    pool = network.get_layer(BRANCH_POOL)
    nodes.append(
        helper.make_node(
            "MaxPool",
            [current],
            ["kind_pooled_maps"],
            kernel_shape=list(pool.pool_size),
            strides=list(pool.strides),
            name=BRANCH_POOL,
        )
    )
    parts = []
    for op, suffix in (("GlobalAveragePool", "avg"), ("GlobalMaxPool", "max")):
        if suffix in _kind_pooling(network):
            nodes.append(helper.make_node(op, ["kind_pooled_maps"], [f"kind_{suffix}"], name=f"kind_{suffix}_pool"))
            nodes.append(
                helper.make_node(
                    "Flatten", [f"kind_{suffix}"], [f"kind_{suffix}_flat"], axis=1, name=f"kind_{suffix}_flatten"
                )
            )
            parts.append(f"kind_{suffix}_flat")
    nodes.append(helper.make_node("Concat", parts, [KIND_FEATURES_NAME], axis=1, name="kind_concat"))
    return int(network.get_layer(BRANCH_CONVS[-1]).filters) * len(parts)


def _kind_pooling(network: Any) -> str:
    """'avg', 'max' or 'avg+max': how the network's kind branch pools its maps (read from its layers)."""
    from wardrobe_app.training.kind_branch import KIND_FEATURES

    layer = network.get_layer(KIND_FEATURES)
    kind = type(layer).__name__
    if kind == "GlobalAveragePooling2D":
        return "avg"
    if kind == "GlobalMaxPooling2D":
        return "max"
    return "avg+max"


def graph_from_keras(network: Any) -> Any:
    """An ONNX model computing the Keras network's outputs (two, or three with a kind branch) from its NHWC
    'caffe' input."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from wardrobe_app.training.kind_branch import BRANCH_PREFIX

    nodes: list[Any] = [helper.make_node("Transpose", [INPUT_NAME], ["x0"], perm=[0, 3, 1, 2], name="to_nchw")]
    inits: list[Any] = []
    current, n, maps = "x0", 0, ""
    for layer in network.layers:
        kind = type(layer).__name__
        if layer.name.startswith(BRANCH_PREFIX):
            continue
        if kind == "Conv2D":
            n += 1
            current = _conv(layer, current, f"r{n}", nodes, inits)
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            n += 1
            op = "MaxPool" if kind == "MaxPooling2D" else "AveragePool"
            nodes.append(
                helper.make_node(
                    op,
                    [current],
                    [f"p{n}"],
                    kernel_shape=list(layer.pool_size),
                    strides=list(layer.strides),
                    name=layer.name,
                )
            )
            current = f"p{n}"
            if layer.name == "block4_pool":
                maps = current
        elif layer.name == FEATURES_LAYER:
            nodes.append(helper.make_node("GlobalAveragePool", [current], ["gap"], name="gap"))
            nodes.append(helper.make_node("Flatten", ["gap"], [FEATURES_NAME], axis=1, name="flatten"))
            current = FEATURES_NAME
    dense = network.get_layer(HEAD_LAYER)
    kernel, bias = dense.get_weights()
    inits += [
        numpy_helper.from_array(kernel.astype(np.float32), "head_W"),
        numpy_helper.from_array(bias.astype(np.float32), "head_B"),
    ]
    nodes.append(helper.make_node("Gemm", [FEATURES_NAME, "head_W", "head_B"], ["logits"], name="head"))
    nodes.append(helper.make_node("Softmax", ["logits"], [PROBS_NAME], axis=1, name="softmax"))
    classes = int(kernel.shape[1])
    outputs = [
        helper.make_tensor_value_info(PROBS_NAME, TensorProto.FLOAT, ["n", classes]),
        helper.make_tensor_value_info(FEATURES_NAME, TensorProto.FLOAT, ["n", int(kernel.shape[0])]),
    ]
    kind_width = _kind_branch(network, maps, nodes, inits) if maps else None
    if kind_width is not None:
        outputs.append(helper.make_tensor_value_info(KIND_FEATURES_NAME, TensorProto.FLOAT, ["n", kind_width]))
    graph = helper.make_graph(
        nodes,
        "garment_classifier",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["n", INPUT_SIZE, INPUT_SIZE, 3])],
        outputs,
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="wardrobe")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def calibration_inputs(folder: Path, per_class: int, seed: int = 0) -> np.ndarray:
    """Network inputs of a few training photos of every class (for int8 calibration and the check)."""
    from wardrobe_app.vision.loading import load_photo

    rng = np.random.default_rng(seed)
    photos: list[Path] = []
    for class_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(class_dir.glob("*.jpg"))
        photos += [files[i] for i in sorted(rng.permutation(len(files))[:per_class])]
    return np.stack([network_input(load_photo(p).rgb) for p in photos]).astype(np.float32)


class _Reader:
    """ONNX Runtime's calibration reader over prepared inputs, a few photos at a time."""

    def __init__(self, inputs: np.ndarray, batch: int = 8) -> None:
        self._batches: Iterator[np.ndarray] = iter([inputs[i : i + batch] for i in range(0, len(inputs), batch)])

    def get_next(self) -> dict[str, np.ndarray] | None:
        batch = next(self._batches, None)
        return None if batch is None else {INPUT_NAME: batch}


def export(folder: Path, calibration: Path, per_class: int = 12) -> dict[str, Any]:
    """Write the float and int8 ONNX files into a shipped version's folder; add them to its manifest."""
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    from wardrobe_app.ml.classifier import load_network

    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    network = load_network(folder / manifest["model_file"])
    model = graph_from_keras(network)
    onnx.save(model, folder / FLOAT_FILE)
    inputs = calibration_inputs(calibration, per_class)
    log.info("calibration: %d photos", len(inputs))
    keras_outputs = [np.asarray(a) for a in network(inputs[:16], training=False)]
    session = ort.InferenceSession(str(folder / FLOAT_FILE), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    onnx_outputs = session.run(names, {INPUT_NAME: inputs[:16]})
    if len(onnx_outputs) != len(keras_outputs):
        raise ValueError(f"the ONNX graph has {len(onnx_outputs)} outputs, the Keras network {len(keras_outputs)}")
    for name, ours, theirs in zip(names[1:], onnx_outputs[1:], keras_outputs[1:], strict=True):
        log.info("float ONNX vs Keras: max |%s| gap %.2e", name, float(np.abs(ours - theirs).max()))
    log.info(
        "float ONNX vs Keras: same top-1 %s", bool((onnx_outputs[0].argmax(1) == keras_outputs[0].argmax(1)).all())
    )
    quantize_static(
        str(folder / FLOAT_FILE),
        str(folder / INT8_FILE),
        _Reader(inputs),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
        nodes_to_exclude=float_nodes(model),
    )
    (folder / FLOAT_FILE).unlink()  # the int8 file ships; the float graph is rebuilt from Keras when needed
    manifest["fast_runtime"] = {
        "file": INT8_FILE,
        "sha256": sha256_of(folder / INT8_FILE),
        "format": "ONNX, static int8 (QDQ)",
        "exported_from": manifest["model_file"],
        "calibration_photos": len(inputs),
        "float_nodes": float_nodes(model),
        "inputs": INPUT_NAME,
        "outputs": names,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return dict(manifest["fast_runtime"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", required=True, help="a shipped version, e.g. 1.0.0")
    parser.add_argument("--calibration", type=Path, required=True, help="a folder of <class>/*.jpg photos")
    parser.add_argument("--per-class", type=int, default=12)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from wardrobe_app.ml.registry import locate

    print(json.dumps(export(locate(version=args.version).folder, args.calibration, args.per_class), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
