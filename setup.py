"""Build step that puts the shipped files (migrations, assets, the models in use) into the wheel.

They live at the top of the project (where training, the lead's merges and the tests expect them) and
are copied to ``wardrobe_app/_data/`` in the build, where ``wardrobe_app.resources`` finds them through
importlib.resources. Only the garment classifier version the app would run (``ACTIVE``, else the highest)
is shipped; editable installs copy nothing (the code finds the project's folders).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("migrations", "assets", "models")
#: Local files that never ship: caches, the float ONNX export (the int8 one is what runs).
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "garment_classifier.onnx", ".DS_Store")
VERSION = re.compile(r"^\d+(\.\d+)*$")


def classifier_versions_left_out(models: Path) -> set[str]:
    """Every shipped garment classifier version but the one the app would run (mirrors ml/registry.py)."""
    root = models / "garment_classifier"
    if not root.is_dir():
        return set()
    versions = [p.name for p in root.iterdir() if VERSION.match(p.name) and (p / "manifest.json").is_file()]
    active = root / "ACTIVE"
    if active.is_file():
        chosen = active.read_text(encoding="utf-8").strip().rsplit("/", 1)[-1]
    elif versions:
        chosen = max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))
    else:
        return set()
    return {v for v in versions if v != chosen}


class BuildWithData(build_py):
    """build_py, then copy the shipped folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "wardrobe_app" / "_data"
        shutil.rmtree(target, ignore_errors=True)
        for name in SHIPPED:
            source = ROOT / name
            if not source.is_dir():
                continue
            left_out = classifier_versions_left_out(source) if name == "models" else set()

            def ignore(folder: str, names: list[str], left_out: set[str] = left_out) -> set[str]:
                skipped = set(IGNORED(folder, names))
                if Path(folder).name == "garment_classifier":
                    skipped |= left_out & set(names)
                return skipped

            shutil.copytree(source, target / name, ignore=ignore)


setup(cmdclass={"build_py": BuildWithData})
