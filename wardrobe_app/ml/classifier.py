"""The garment classifier the app calls: photo -> category, group, confidence, top-3 and pooled features."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS, Group, ModelIntegrityError
from wardrobe_app.ml import fast_runtime
from wardrobe_app.ml.kinds import KindHead, load_kind_heads
from wardrobe_app.ml.preprocess import INPUT_SIZE, network_input
from wardrobe_app.ml.registry import ShippedModel, locate, shipped_versions
from wardrobe_app.ml.vgg_weights import sha256_of

__all__ = ["Classification", "GarmentClassifier", "load_classifier", "shipped_versions"]

#: Threshold used when a manifest names none.
DEFAULT_REVIEW_THRESHOLD = 0.5


@dataclass(frozen=True)
class Classification:
    """What the classifier says about one photo."""

    category: str  # the model's label, or its finer kind ("sneakers", "jeans") when the kind head is sure
    group: Group
    confidence: float  # softmax probability of the top class
    top3: tuple[tuple[str, float], ...]
    features: np.ndarray = field(repr=False)  # float32 (512,), pooled VGG16 features before the head
    needs_review: bool  # confidence below the threshold chosen on validation
    label: str = ""  # the model's own label (one of labels.json), before any kind refinement
    kind_confidence: float | None = None  # probability of the kind, when the label has a kind head


class GarmentClassifier:
    """A loaded, verified classifier version; one forward pass gives the label and the search features."""

    def __init__(
        self,
        network: Any,
        labels: Sequence[str],
        version: str,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
        cutout: bool = False,
        manifest: dict[str, Any] | None = None,
        kind_heads: Mapping[str, KindHead] | None = None,
    ) -> None:
        unknown = [name for name in labels if name not in CATEGORY_GROUPS]
        if unknown:
            raise ModelIntegrityError(f"{version}: labels {unknown} are not wardrobe categories")
        self._network = network
        self.labels: tuple[str, ...] = tuple(labels)
        self.version = version
        self.review_threshold = float(review_threshold)
        self.cutout = bool(cutout)
        self.manifest: dict[str, Any] = dict(manifest or {})
        self.kind_heads: dict[str, KindHead] = {k: v for k, v in (kind_heads or {}).items() if k in self.labels}
        #: Whether the network takes inputs of another side than INPUT_SIZE (``classify(input_size=...)``).
        self.any_size = bool(getattr(network, "any_size", False))

    def predict_arrays(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities (n, classes) and pooled features (n, 512) of preprocessed network inputs."""
        probabilities, features, _ = self._forward(inputs)
        return probabilities, features

    def _forward(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Probabilities, search features and the head's features (a third output when the network has one)."""
        outputs = self._network(inputs, training=False)
        probabilities, features = np.asarray(outputs[0], np.float32), np.asarray(outputs[1], np.float32)
        head_features = np.asarray(outputs[2], np.float32) if len(outputs) > 2 else features
        return probabilities, features, head_features

    def classify(
        self,
        images: Sequence[np.ndarray],
        masks: Sequence[np.ndarray | None] | None = None,
        batch_size: int = 16,
        input_size: int | None = None,
    ) -> list[Classification]:
        """Classify RGB uint8 photos of any size; masks (0/255) matter only for a model trained on cut-outs.

        ``input_size`` is the side of the square network input (INPUT_SIZE, the training size, when None); another
        side needs a network that takes any size (``any_size``). Features read at another side are not comparable
        with those read at INPUT_SIZE (search compares like with like), and the top-1 is measured at INPUT_SIZE only.
        """
        if masks is not None and len(masks) != len(images):
            raise ValueError(f"{len(images)} images but {len(masks)} masks")
        size = int(input_size or INPUT_SIZE)
        if size != INPUT_SIZE and not self.any_size:
            raise ValueError(f"{self.version} runs at {INPUT_SIZE} x {INPUT_SIZE} only, not at {size}")
        results: list[Classification] = []
        for start in range(0, len(images), max(1, batch_size)):
            chunk = range(start, min(start + max(1, batch_size), len(images)))
            batch = np.stack(
                [
                    network_input(images[i], masks[i] if masks is not None else None, cutout=self.cutout, size=size)
                    for i in chunk
                ]
            )
            probabilities, features, head_features = self._forward(batch)
            results.extend(
                self._describe(p, f, h) for p, f, h in zip(probabilities, features, head_features, strict=True)
            )
        return results

    def _describe(self, probabilities: np.ndarray, features: np.ndarray, head_features: np.ndarray) -> Classification:
        order = np.argsort(-probabilities, kind="stable")
        best = self.labels[int(order[0])]
        confidence = float(probabilities[order[0]])
        category, kind_confidence = best, None
        head = self.kind_heads.get(best)
        if head is not None:
            kind, kind_confidence = head.predict(head_features)[0]
            category = kind or best  # unsure of the kind: the plain label ("shoes", "pants")
        return Classification(
            category=category,
            group=CATEGORY_GROUPS[best],
            confidence=confidence,
            top3=tuple((self.labels[int(i)], float(probabilities[i])) for i in order[:3]),
            features=np.ascontiguousarray(features, np.float32),
            needs_review=confidence < self.review_threshold,
            label=best,
            kind_confidence=kind_confidence,
        )


def load_network(path: Path) -> Any:
    """Load a Keras model file with safe_mode (no Lambda layers, no pickles)."""
    import keras

    return keras.saving.load_model(path, compile=False, safe_mode=True)


def from_shipped(shipped: ShippedModel) -> GarmentClassifier:
    """Verify a shipped version's sha256 and load it."""
    manifest = shipped.manifest
    shipped.verify()  # a version whose source model was changed is refused whichever runtime runs it
    if fast_runtime.wanted(manifest):  # int8 ONNX: no TensorFlow in the process
        fast = manifest["fast_runtime"]
        network: Any = fast_runtime.OnnxNetwork(shipped.folder / str(fast["file"]), str(fast["sha256"]))
        if network.classes != len(shipped.labels):
            raise ModelIntegrityError(f"{fast['file']} does not match {len(shipped.labels)} labels")
        version = f"{shipped.version}"
        head_width = network.head_width
    else:
        try:
            network = load_network(shipped.model_path)
        except Exception as error:  # a file that passed the checksum but will not load is still unusable
            raise ModelIntegrityError(f"the classifier {shipped.model_path} cannot be loaded: {error}") from error
        outputs = network.outputs
        if len(outputs) not in (2, 3) or outputs[0].shape[-1] != len(shipped.labels):
            raise ModelIntegrityError(f"{shipped.model_path} does not match {len(shipped.labels)} labels")
        version = shipped.version
        head_width = int(outputs[-1].shape[-1])
    kind_heads = _kind_heads(shipped)
    for parent, head in kind_heads.items():
        if len(head.mean) != head_width:
            raise ModelIntegrityError(
                f"{shipped.version}: the {parent} kind head reads {len(head.mean)} features, "
                f"the network gives {head_width}"
            )
    return GarmentClassifier(
        network,
        shipped.labels,
        version,
        review_threshold=float(manifest.get("needs_review_threshold", DEFAULT_REVIEW_THRESHOLD)),
        cutout=manifest.get("input_kind") == "cutout",
        manifest=manifest,
        kind_heads=kind_heads,
    )


def _kind_heads(shipped: ShippedModel) -> dict[str, KindHead]:
    """The version's kind heads (manifest "kinds": {"file", "sha256"}), checked; none for a version without them."""
    entry = shipped.manifest.get("kinds")
    if not entry:
        return {}
    path = shipped.folder / str(entry["file"])
    if not path.is_file() or sha256_of(path) != entry.get("sha256"):
        raise ModelIntegrityError(f"the kind heads {path} are missing or do not match the manifest's sha256")
    return load_kind_heads(path)


def load_classifier(models_dir: Path | None = None, version: str | None = None) -> GarmentClassifier:
    """Load the active (or named) version; ModelIntegrityError with a clear message if missing or damaged."""
    return from_shipped(locate(models_dir, version))
