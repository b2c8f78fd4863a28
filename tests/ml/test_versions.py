"""Versions side by side: the newest shipped one is loaded with its own labels.json and kind heads; 1.x still loads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.ml.conftest import tiny_network
from wardrobe_app.domain import CATEGORY_GROUPS, CLASSIFIER_CATEGORIES, ModelIntegrityError
from wardrobe_app.ml.classifier import load_classifier
from wardrobe_app.ml.heads import LinearHead
from wardrobe_app.ml.kinds import KINDS, KindHead, save_kind_heads
from wardrobe_app.ml.vgg_weights import sha256_of
from wardrobe_app.training.export import save_network, write_manifest
from wardrobe_app.training.v2_data import LABELS_V2

pytestmark = pytest.mark.slow


def ship(models_dir: Path, version: str, labels: tuple[str, ...], kinds: bool = False) -> Path:
    folder = models_dir / "garment_classifier" / version
    save_network(tiny_network(len(labels)), folder)
    fields: dict[str, object] = {"needs_review_threshold": 0.3, "input_kind": "raw"}
    if kinds:
        shoe_kinds = KINDS["shoes"]
        head = KindHead(
            "shoes",
            shoe_kinds,
            np.zeros(512),
            np.ones(512),
            LinearHead(np.zeros((512, len(shoe_kinds))), np.zeros(len(shoe_kinds))),
            threshold=0.5,
        )
        path = save_kind_heads(folder, [head])
        fields["kinds"] = {"file": path.name, "sha256": sha256_of(path)}
    write_manifest(folder, labels, fields)
    return folder


def test_newest_version_wins_with_its_own_labels_and_the_old_one_still_loads(
    tmp_path: Path, drawn_photos: list[np.ndarray]
) -> None:
    ship(tmp_path, "1.0.0", CLASSIFIER_CATEGORIES)
    ship(tmp_path, "2.0.0", LABELS_V2, kinds=True)
    newest = load_classifier(tmp_path)
    assert newest.version == "garment_classifier/2.0.0"
    assert newest.labels == LABELS_V2 and len(newest.labels) == 16
    assert set(newest.kind_heads) == {"shoes"}
    for result in newest.classify(drawn_photos):
        assert result.label in LABELS_V2
        assert result.group is CATEGORY_GROUPS[result.label] is CATEGORY_GROUPS[result.category]
    old = load_classifier(tmp_path, "1.0.0")
    assert old.labels == CLASSIFIER_CATEGORIES and old.kind_heads == {}
    assert all(r.category == r.label for r in old.classify(drawn_photos))


def test_a_changed_kinds_file_is_refused(tmp_path: Path) -> None:
    folder = ship(tmp_path, "2.0.0", LABELS_V2, kinds=True)
    data = json.loads((folder / "kinds.json").read_text())
    data["heads"][0]["threshold"] = 0.01
    (folder / "kinds.json").write_text(json.dumps(data))
    with pytest.raises(ModelIntegrityError, match="kind heads"):
        load_classifier(tmp_path)
