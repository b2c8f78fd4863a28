"""The kind branch: a second VGG16 block5 on the garment network's block4_pool maps, pooled for the kind heads.

garment_classifier 1.0.0 fine-tuned its block5 for the ten labels, which squeezed out what tells sneakers from
boots (kind heads on its pooled features: held-out recall 0.0-0.78). Its block1-4 are the frozen ImageNet
convolutions, so a branch that runs ImageNet's own block5 (or one fine-tuned for kinds, as written by
``training.finetune_kinds``: ``block5_conv{1,2,3}/{0,1}`` float16 arrays) on the same block4_pool maps costs one
block more (about 9 % of the network's work) and leaves the labels, the head and the search features untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.training.network import BLOCK5_LAYERS

#: The branch's convolutions, as named in the shipped network (ImageNet's block5 layer names with a prefix).
BRANCH_PREFIX = "kind_"
BRANCH_CONVS: tuple[str, ...] = tuple(BRANCH_PREFIX + name for name in BLOCK5_LAYERS)
BRANCH_POOL = BRANCH_PREFIX + "block5_pool"
KIND_FEATURES = "kind_features"
#: Poolings of the branch's block5_pool maps the kind heads may use (standard Keras layers only).
POOLINGS = ("avg", "max", "avg+max")

BranchWeights = Mapping[str, tuple[np.ndarray, np.ndarray]]


def imagenet_block5(cache_dir: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """ImageNet VGG16's block5 (kernel, bias), read offline through ``ml.vgg_weights``."""
    from wardrobe_app.ml.vgg_weights import imagenet_vgg16

    vgg = imagenet_vgg16(cache_dir)
    return {name: tuple(np.asarray(w, np.float32) for w in vgg.get_layer(name).get_weights()) for name in BLOCK5_LAYERS}  # type: ignore[misc]


def block5_from_npz(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """A fine-tuned block5 as written by ``training.finetune_kinds`` (``block5_conv1/0`` = kernel, ``/1`` = bias)."""
    with np.load(path) as stored:
        return {
            name: (stored[f"{name}/0"].astype(np.float32), stored[f"{name}/1"].astype(np.float32))
            for name in BLOCK5_LAYERS
        }


def pooled(maps: Any, pooling: str, name: str = KIND_FEATURES) -> Any:
    """Keras pooling of (n, 7, 7, 512) maps into the kind features (avg, max or both side by side)."""
    import keras

    if pooling == "avg":
        return keras.layers.GlobalAveragePooling2D(name=name)(maps)
    if pooling == "max":
        return keras.layers.GlobalMaxPooling2D(name=name)(maps)
    if pooling == "avg+max":
        avg = keras.layers.GlobalAveragePooling2D(name=f"{name}_avg")(maps)
        top = keras.layers.GlobalMaxPooling2D(name=f"{name}_max")(maps)
        return keras.layers.Concatenate(name=name)([avg, top])
    raise ValueError(f"unknown pooling {pooling!r}; one of {POOLINGS}")


def with_kind_branch(base: Any, block5: BranchWeights, pooling: str = "avg") -> Any:
    """The base network (its layers and weights as they are) plus a third output: the branch's kind features.

    Outputs: [probabilities, 512-d search features] of the base, unchanged, and the pooled branch features."""
    import keras

    inputs = keras.Input(tuple(base.input.shape[1:]), name="photo")
    x, seen = inputs, {}
    for layer in base.layers[1:]:  # a sequential network: block1-5, features, dropout, the head
        x = layer(x)
        seen[layer.name] = x
    if "block4_pool" not in seen or "features" not in seen:
        raise ValueError("the base network has no block4_pool or features layer")
    branch = _branch(seen["block4_pool"], block5)
    return keras.Model(inputs, [x, seen["features"], pooled(branch, pooling)], name=base.name)


def branch_from_maps(block5: BranchWeights, pooling: str = "avg") -> Any:
    """block4_pool maps (n, 14, 14, 512) -> kind features: the branch alone, for cached maps."""
    import keras

    inputs = keras.Input((14, 14, 512), name="block4_pool_maps")
    return keras.Model(inputs, pooled(_branch(inputs, block5), pooling), name="kind_branch")


def _branch(maps: Any, block5: BranchWeights) -> Any:
    """The branch's three convolutions (weights set) and its pooling, applied to block4_pool maps."""
    import keras

    y = maps
    for source, name in zip(BLOCK5_LAYERS, BRANCH_CONVS, strict=True):
        kernel, bias = block5[source]
        conv = keras.layers.Conv2D(
            int(kernel.shape[-1]), int(kernel.shape[0]), padding="same", activation="relu", name=name
        )
        y = conv(y)
        conv.set_weights([np.asarray(kernel, np.float32), np.asarray(bias, np.float32)])
    return keras.layers.MaxPooling2D(2, strides=2, name=BRANCH_POOL)(y)
