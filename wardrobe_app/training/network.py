"""The garment network: ImageNet VGG16 convolutions, global average pooling, dropout, a dense softmax head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wardrobe_app.ml.preprocess import INPUT_SIZE
from wardrobe_app.training.features import BLOCK4_SHAPE

#: Layers trained during fine-tuning (block5 of VGG16 plus the head).
BLOCK5_LAYERS: tuple[str, ...] = ("block5_conv1", "block5_conv2", "block5_conv3")
FEATURES_LAYER = "features"
HEAD_LAYER = "category"
DROPOUT = 0.5


def _head(features: Any, n_classes: int) -> Any:
    import keras

    dropped = keras.layers.Dropout(DROPOUT, name="head_dropout")(features)
    return keras.layers.Dense(n_classes, activation="softmax", name=HEAD_LAYER)(dropped)


def build_head(n_classes: int, width: int = 512) -> Any:
    """The head alone, trained on cached frozen pooled features."""
    import keras

    inputs = keras.Input((width,), name="pooled")
    return keras.Model(inputs, _head(inputs, n_classes), name="garment_head")


def build_block5_model(n_classes: int) -> Any:
    """block5 of VGG16 + pooling + head, fed with cached block4_pool maps (fine-tuning)."""
    import keras

    inputs = keras.Input(BLOCK4_SHAPE, name="block4_pool_maps")
    x = inputs
    for name in BLOCK5_LAYERS:
        x = keras.layers.Conv2D(512, 3, padding="same", activation="relu", name=name)(x)
    x = keras.layers.MaxPooling2D(2, strides=2, name="block5_pool")(x)
    features = keras.layers.GlobalAveragePooling2D(name=FEATURES_LAYER)(x)
    return keras.Model(inputs, _head(features, n_classes), name="garment_block5")


def build_classifier_network(n_classes: int, vgg_weights: Path | None = None) -> Any:
    """The shipped network: 224x224 'caffe' input -> [softmax over classes, 512-d pooled features]."""
    import keras

    vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=(INPUT_SIZE, INPUT_SIZE, 3))
    if vgg_weights is not None:
        vgg.load_weights(vgg_weights)
    features = keras.layers.GlobalAveragePooling2D(name=FEATURES_LAYER)(vgg.output)
    probabilities = _head(features, n_classes)
    return keras.Model(vgg.input, [probabilities, features], name="garment_classifier")


def copy_layers(source: Any, target: Any, names: tuple[str, ...]) -> None:
    """Copy the weights of the named layers from one model to another."""
    for name in names:
        target.get_layer(name).set_weights(source.get_layer(name).get_weights())


def frozen_block5(vgg: Any, n_classes: int) -> Any:
    """A block5 model carrying ImageNet block5 weights (head untrained): block4 maps -> pooled features."""
    import keras

    model = build_block5_model(n_classes)
    copy_layers(vgg, model, BLOCK5_LAYERS)
    return keras.Model(model.input, model.get_layer(FEATURES_LAYER).output, name="block5_features")
