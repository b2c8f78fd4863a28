"""GarmentClassifier's bookkeeping (top-3, group, review flag, batching) with a numpy stand-in network."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.domain import CATEGORY_GROUPS, CLASSIFIER_CATEGORIES, ModelIntegrityError
from wardrobe_app.ml.classifier import GarmentClassifier
from wardrobe_app.ml.preprocess import CAFFE_MEAN_BGR, network_input, on_plain_background


def photos(count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    return [rng.integers(0, 255, (100 + 13 * i, 80 + 7 * i, 3), dtype=np.uint8) for i in range(count)]


def test_classify_returns_one_result_per_photo(colour_network: object) -> None:
    classifier = GarmentClassifier(colour_network, CLASSIFIER_CATEGORIES, "garment_classifier/0.0.1", 0.5)
    results = classifier.classify(photos(5), batch_size=2)
    assert len(results) == 5
    for result in results:
        assert result.category in CLASSIFIER_CATEGORIES
        assert result.group is CATEGORY_GROUPS[result.category]
        assert result.top3[0] == (result.category, pytest.approx(result.confidence))
        assert [p for _, p in result.top3] == sorted((p for _, p in result.top3), reverse=True)
        assert result.features.shape == (512,) and result.features.dtype == np.float32
        assert result.needs_review == (result.confidence < 0.5)
    again = classifier.classify(photos(5), batch_size=5)
    assert [r.category for r in again] == [r.category for r in results]


def test_review_threshold_one_flags_everything(colour_network: object) -> None:
    classifier = GarmentClassifier(colour_network, CLASSIFIER_CATEGORIES, "garment_classifier/0.0.1", 1.01)
    assert all(r.needs_review for r in classifier.classify(photos(2)))


def test_masks_length_must_match(colour_network: object) -> None:
    classifier = GarmentClassifier(colour_network, CLASSIFIER_CATEGORIES, "garment_classifier/0.0.1")
    with pytest.raises(ValueError):
        classifier.classify(photos(2), masks=[None])


def test_unknown_labels_are_refused(colour_network: object) -> None:
    with pytest.raises(ModelIntegrityError):
        GarmentClassifier(colour_network, ("t-shirt", "spaceship"), "garment_classifier/0.0.1")


def test_network_input_is_caffe_preprocessing() -> None:
    image = np.zeros((50, 40, 3), np.uint8)
    image[..., 0] = 200  # red
    x = network_input(image)
    assert x.shape == (224, 224, 3) and x.dtype == np.float32
    assert np.allclose(x[0, 0], np.array([0, 0, 200], np.float32) - CAFFE_MEAN_BGR)


def test_cutout_paints_background_and_ignores_missing_mask() -> None:
    image = np.full((4, 4, 3), 10, np.uint8)
    mask = np.zeros((4, 4), np.uint8)
    mask[1:3, 1:3] = 255
    out = on_plain_background(image, mask)
    assert (out[1, 1] == 10).all() and (out[0, 0] == 235).all()
    assert on_plain_background(image, None) is image
