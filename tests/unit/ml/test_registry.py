"""The registry: versions, the active one, sha256 checks; importing the classifier does not import TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wardrobe_app.domain import CLASSIFIER_CATEGORIES, ModelIntegrityError
from wardrobe_app.ml.registry import active_version, default_models_dir, locate, shipped_versions
from wardrobe_app.ml.vgg_weights import sha256_of


def ship(models_dir: Path, version: str, payload: bytes = b"weights") -> Path:
    folder = models_dir / "garment_classifier" / version
    folder.mkdir(parents=True)
    (folder / "garment_classifier.keras").write_bytes(payload)
    manifest = {"model_file": "garment_classifier.keras", "sha256": sha256_of(folder / "garment_classifier.keras")}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "labels.json").write_text(json.dumps(list(CLASSIFIER_CATEGORIES)))
    return folder


def test_versions_sorted_numerically_and_highest_is_active(tmp_path: Path) -> None:
    for version in ("1.2.0", "1.10.0", "1.9.1"):
        ship(tmp_path, version)
    (tmp_path / "garment_classifier" / "notes").mkdir()
    assert shipped_versions(tmp_path) == [f"garment_classifier/{v}" for v in ("1.2.0", "1.9.1", "1.10.0")]
    assert active_version(tmp_path) == "garment_classifier/1.10.0"


def test_active_file_names_the_version(tmp_path: Path) -> None:
    ship(tmp_path, "1.0.0")
    ship(tmp_path, "2.0.0")
    (tmp_path / "garment_classifier" / "ACTIVE").write_text("1.0.0\n")
    assert active_version(tmp_path) == "garment_classifier/1.0.0"
    (tmp_path / "garment_classifier" / "ACTIVE").write_text("3.0.0")
    with pytest.raises(ModelIntegrityError, match="not shipped"):
        active_version(tmp_path)


def test_nothing_shipped_is_a_clear_error(tmp_path: Path) -> None:
    assert shipped_versions(tmp_path) == []
    with pytest.raises(ModelIntegrityError, match="no garment classifier"):
        locate(tmp_path)


def test_verify_rejects_a_changed_file(tmp_path: Path) -> None:
    folder = ship(tmp_path, "1.0.0")
    shipped = locate(tmp_path, "garment_classifier/1.0.0")
    shipped.verify()
    (folder / "garment_classifier.keras").write_bytes(b"weightz")
    with pytest.raises(ModelIntegrityError, match="damaged"):
        shipped.verify()
    (folder / "garment_classifier.keras").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        shipped.verify()


def test_malformed_manifest_is_refused(tmp_path: Path) -> None:
    folder = ship(tmp_path, "1.0.0")
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(ModelIntegrityError, match="cannot read"):
        locate(tmp_path, "1.0.0")


def test_models_dir_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDROBE_MODELS_DIR", str(tmp_path))
    assert default_models_dir() == tmp_path
    monkeypatch.delenv("WARDROBE_MODELS_DIR")
    assert default_models_dir().name == "models"
    assert (default_models_dir().parent / "wardrobe_app").is_dir()


def test_importing_the_classifier_does_not_import_tensorflow() -> None:
    code = (
        "import sys, wardrobe_app.ml.classifier, wardrobe_app.ml.evaluate, wardrobe_app.ml.registry; "
        "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
