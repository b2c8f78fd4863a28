"""The shipped garment classifier: loads, classifies drawn photos deterministically, refuses a damaged copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from wardrobe_app.domain import CATEGORY_GROUPS, CLASSIFIER_CATEGORIES, ModelIntegrityError
from wardrobe_app.ml.classifier import load_classifier, shipped_versions
from wardrobe_app.ml.registry import default_models_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped():
    if not shipped_versions():
        pytest.skip(f"no garment classifier shipped in {default_models_dir()}")
    return load_classifier()


def test_shipped_model_classifies_drawn_photos(shipped, drawn_photos: list[np.ndarray]) -> None:
    # The label set comes from the version's labels.json: 1.x has the ten, 2.x sixteen (the ten first).
    assert shipped.labels[: len(CLASSIFIER_CATEGORIES)] == CLASSIFIER_CATEGORIES
    assert all(label in CATEGORY_GROUPS for label in shipped.labels)
    first = shipped.classify(drawn_photos, batch_size=2)
    second = shipped.classify(drawn_photos[::-1], batch_size=4)[::-1]
    assert len(first) == len(drawn_photos)
    for a, b in zip(first, second, strict=True):
        assert a.label in shipped.labels and a.group is CATEGORY_GROUPS[a.label] is CATEGORY_GROUPS[a.category]
        assert 0.0 < a.confidence <= 1.0 and len(a.top3) == 3
        assert sum(p for _, p in a.top3) <= 1.0 + 1e-5
        assert a.features.shape == (512,) and a.features.dtype == np.float32
        assert a.category == b.category
        assert np.allclose(a.features, b.features, atol=1e-3)
        assert a.confidence == pytest.approx(b.confidence, abs=1e-4)
        assert a.needs_review == (a.confidence < shipped.review_threshold)


def test_registry_rejects_a_corrupted_copy_of_the_shipped_model(shipped, tmp_path: Path) -> None:
    source = default_models_dir() / shipped.version
    copy = tmp_path / shipped.version
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.png"))
    model_file = copy / shipped.manifest["model_file"]
    with model_file.open("r+b") as handle:
        handle.seek(model_file.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(ModelIntegrityError, match="damaged or was changed"):
        load_classifier(tmp_path, shipped.version)
