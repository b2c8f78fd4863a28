"""Shipped files reach the code through importlib.resources: the wheel's copy first, else the source tree's."""

from __future__ import annotations

from pathlib import Path

import pytest

from wardrobe_app import resources
from wardrobe_app.db.engine import migrations_dir
from wardrobe_app.ml.registry import default_models_dir
from wardrobe_app.recommend.rules import EXPERT_DIR


def test_a_source_checkout_uses_the_folders_beside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARDROBE_MODELS_DIR", raising=False)
    root = Path(resources.__file__).resolve().parents[1]
    assert resources.shipped_dir("migrations") == root / "migrations" == migrations_dir()
    assert (migrations_dir() / "env.py").is_file()
    assert default_models_dir() == root / "models"
    assert root / "assets" / "expert" == EXPERT_DIR and (EXPERT_DIR / "occasions.json").is_file()
    assert (root / "assets" / "linux" / "wardrobe.desktop").is_file()


def test_an_installed_wheel_uses_its_packaged_copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    package = tmp_path / "wardrobe_app"
    (package / resources.PACKAGED / "models").mkdir(parents=True)
    monkeypatch.setattr(resources.resources, "files", lambda _name: package)
    assert resources.shipped_dir("models") == package / "_data" / "models"
    assert resources.shipped_dir("assets") == tmp_path / "assets"  # not packaged here: the source layout


def test_the_desktop_entry_starts_the_gui_script_with_the_icon() -> None:
    root = Path(resources.__file__).resolve().parents[1]
    entry = dict(
        line.split("=", 1) for line in (root / "assets/linux/wardrobe.desktop").read_text().splitlines() if "=" in line
    )
    assert entry["Exec"] == "wardrobe-gui" and entry["Icon"] == "wardrobe" and entry["Type"] == "Application"
    assert (root / "assets/linux/wardrobe.png").stat().st_size > 1000
