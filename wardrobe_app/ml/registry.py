"""Shipped model versions under ``models/garment_classifier/<version>/``: find, pick the active one, verify sha256."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wardrobe_app.domain import ModelIntegrityError
from wardrobe_app.ml.vgg_weights import sha256_of
from wardrobe_app.resources import shipped_dir

MODEL_NAME = "garment_classifier"
MANIFEST = "manifest.json"
LABELS = "labels.json"
ACTIVE = "ACTIVE"
MODELS_DIR_ENV = "WARDROBE_MODELS_DIR"
_VERSION = re.compile(r"^\d+(\.\d+)*$")


def default_models_dir() -> Path:
    """``$WARDROBE_MODELS_DIR`` if set, else the shipped ``models/`` (in the wheel, or atop a source checkout)."""
    override = os.environ.get(MODELS_DIR_ENV)
    if override:
        return Path(override)
    return shipped_dir("models")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _bare(version: str) -> str:
    """'garment_classifier/1.0.0' or '1.0.0' -> '1.0.0'."""
    prefix = MODEL_NAME + "/"
    return version[len(prefix) :] if version.startswith(prefix) else version


def shipped_versions(models_dir: Path | None = None) -> list[str]:
    """Every shipped version as 'garment_classifier/<version>', oldest first (folders holding a manifest)."""
    root = (models_dir or default_models_dir()) / MODEL_NAME
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if p.is_dir() and _VERSION.match(p.name) and (p / MANIFEST).is_file()]
    return [f"{MODEL_NAME}/{v}" for v in sorted(found, key=_version_key)]


def active_version(models_dir: Path | None = None) -> str:
    """The version named in ``garment_classifier/ACTIVE``, else the highest shipped one."""
    models_dir = models_dir or default_models_dir()
    versions = shipped_versions(models_dir)
    active_file = models_dir / MODEL_NAME / ACTIVE
    if active_file.is_file():
        named = f"{MODEL_NAME}/{_bare(active_file.read_text(encoding='utf-8').strip())}"
        if named not in versions:
            raise ModelIntegrityError(f"{active_file} names {named}, which is not shipped in {models_dir}")
        return named
    if not versions:
        raise ModelIntegrityError(f"no garment classifier is shipped in {models_dir / MODEL_NAME}")
    return versions[-1]


@dataclass(frozen=True)
class ShippedModel:
    """One version's folder with its parsed manifest and labels."""

    version: str  # 'garment_classifier/<version>'
    folder: Path
    manifest: dict[str, Any]
    labels: tuple[str, ...]

    @property
    def model_path(self) -> Path:
        return self.folder / str(self.manifest["model_file"])

    def verify(self) -> None:
        """Raise ModelIntegrityError unless the model file exists and matches the manifest's sha256."""
        path = self.model_path
        if not path.is_file():
            raise ModelIntegrityError(f"the classifier file {path} is missing")
        actual = sha256_of(path)
        if actual != self.manifest.get("sha256"):
            raise ModelIntegrityError(
                f"the classifier file {path} is damaged or was changed: its sha256 is {actual}, "
                f"the manifest expects {self.manifest.get('sha256')}; reinstall the model or use manual categories"
            )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelIntegrityError(f"cannot read {path}: {error}") from error


def read_folder(folder: Path, version: str | None = None) -> ShippedModel:
    """One version folder's manifest and labels; ModelIntegrityError if missing or malformed."""
    version = version or f"{MODEL_NAME}/{folder.name}"
    if not (folder / MANIFEST).is_file():
        raise ModelIntegrityError(f"{version} is not shipped: {folder / MANIFEST} is missing")
    manifest = _read_json(folder / MANIFEST)
    labels = _read_json(folder / LABELS)
    if not isinstance(manifest, dict) or "model_file" not in manifest or "sha256" not in manifest:
        raise ModelIntegrityError(f"{folder / MANIFEST} lacks model_file or sha256")
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise ModelIntegrityError(f"{folder / LABELS} is not a list of category names")
    return ShippedModel(version, folder, manifest, tuple(labels))


def locate(models_dir: Path | None = None, version: str | None = None) -> ShippedModel:
    """The requested (or active) version's files; ModelIntegrityError if missing or malformed."""
    models_dir = models_dir or default_models_dir()
    full = f"{MODEL_NAME}/{_bare(version)}" if version else active_version(models_dir)
    return read_folder(models_dir / full, full)
