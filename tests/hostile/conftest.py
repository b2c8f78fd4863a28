"""Fixtures for the hostile tests: a small closet of drawn photos, and a way to see that nothing was lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.unit.conftest import CliRun, run
from wardrobe_app.services.wardrobe import Wardrobe

__all__ = ["CliRun", "closet_snapshot", "run"]

Snapshot = Callable[[Wardrobe], list[tuple[int, str | None, str]]]


def restore_interrupted_at(wardrobe: Wardrobe, archive: Path, rename: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """``wardrobe.restore(archive)`` with Ctrl+C at its ``rename``-th file rename (the swap), which must raise."""
    calls = {"n": 0}
    real_rename = Path.rename

    def interrupted(self: Path, target: Path) -> Path:
        calls["n"] += 1
        if calls["n"] == rename:
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            wardrobe.restore(archive)
    finally:
        monkeypatch.setattr(Path, "rename", real_rename)


def closet_snapshot(wardrobe: Wardrobe) -> list[tuple[int, str | None, str]]:
    """Items as (id, category, hash), after checking that every file each one names is really there."""
    items = wardrobe.items(include_archived=True)
    for item in items:
        for path in (item.photo_path, item.cutout_path, item.thumb_path, item.mask_path):
            assert path is not None and Path(path).is_file(), f"item {item.id} lost {path}"
    return [(i.id, i.category, i.content_hash) for i in items]


@pytest.fixture
def small_closet(data_dir: Path, photo_factory: PhotoFactory) -> Iterator[Wardrobe]:
    """A closet of three drawn photos, without the classifier."""
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    for i, category in enumerate(("shirt", "jeans", "sneakers")):
        wardrobe.add_photo(photo_factory(f"p{i}.jpg", seed=i, colour_bgr=(40 * i, 80, 160)), category=category)
    yield wardrobe
    wardrobe.close()
