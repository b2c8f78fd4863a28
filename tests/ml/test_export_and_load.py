"""Save a tiny network as a shipped version (float16 storage), load it through the registry, break it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ml.conftest import tiny_network
from wardrobe_app.domain import CLASSIFIER_CATEGORIES, ModelIntegrityError
from wardrobe_app.ml.classifier import load_classifier, shipped_versions
from wardrobe_app.training.export import save_network, write_manifest

pytestmark = pytest.mark.slow


def ship_tiny(models_dir: Path, version: str = "0.0.1", threshold: float = 0.2) -> Path:
    folder = models_dir / "garment_classifier" / version
    save_network(tiny_network(), folder)
    write_manifest(folder, CLASSIFIER_CATEGORIES, {"needs_review_threshold": threshold, "input_kind": "raw"})
    return folder


def test_float16_storage_round_trips(tmp_path: Path, drawn_photos: list[np.ndarray]) -> None:
    network = tiny_network()
    folder = tmp_path / "garment_classifier" / "0.0.1"
    save_network(network, folder)
    write_manifest(folder, CLASSIFIER_CATEGORIES, {})
    classifier = load_classifier(tmp_path)
    from wardrobe_app.ml.preprocess import network_input

    batch = np.stack([network_input(p) for p in drawn_photos])
    expected = np.asarray(network(batch, training=False)[0])
    got, features = classifier.predict_arrays(batch)
    assert np.allclose(got, expected, atol=2e-3)
    assert features.shape == (4, 512)
    assert all(w.dtype == "float32" for w in classifier._network.weights)


def test_load_classify_and_reject_a_corrupted_copy(tmp_path: Path, drawn_photos: list[np.ndarray]) -> None:
    folder = ship_tiny(tmp_path)
    assert shipped_versions(tmp_path) == ["garment_classifier/0.0.1"]
    classifier = load_classifier(tmp_path)
    assert classifier.version == "garment_classifier/0.0.1"
    assert classifier.review_threshold == 0.2
    results = classifier.classify(drawn_photos, batch_size=3)
    assert len(results) == 4 and all(r.features.shape == (512,) for r in results)

    model_file = folder / "garment_classifier.keras"
    data = bytearray(model_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_file.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="damaged"):
        load_classifier(tmp_path)


def test_a_file_that_matches_its_checksum_but_is_not_a_model_is_refused(tmp_path: Path) -> None:
    folder = ship_tiny(tmp_path)
    (folder / "garment_classifier.keras").write_bytes(b"not a keras file")
    write_manifest(folder, CLASSIFIER_CATEGORIES, {})  # checksum now matches the junk
    with pytest.raises(ModelIntegrityError, match="cannot be loaded"):
        load_classifier(tmp_path)
