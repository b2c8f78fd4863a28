"""Photos named with suffixes the closet's file names cannot carry ("x.jpg " with a trailing space, "x.jpeg2000")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.db.photo_files import is_item_path
from wardrobe_app.services.wardrobe import Wardrobe

NAMES = ["trailing space.jpg ", "long.jpeg2000", "accent.jpü", "under.j_g", "upper.JPG", "no suffix", "dot."]


@pytest.fixture
def odd(photo_factory: PhotoFactory, tmp_path: Path) -> list[Path]:
    folder = tmp_path / "odd"
    folder.mkdir()
    paths = []
    for i, name in enumerate(NAMES):
        source = photo_factory(f"src{i}.jpg", seed=80 + i, colour_bgr=(25 * i, 60, 180))
        paths.append(Path(shutil.copy(source, folder / name)))
    return paths


def test_one_oddly_named_photo_never_makes_the_closet_unexportable(
    small_closet: Wardrobe, odd: list[Path], tmp_path: Path
) -> None:
    """Before: the photo was stored as ``photos/ab/<hash>.jpg `` (its own suffix, kept), a name the closet's checks
    refuse: doctor called the closet damaged and every export was refused, so no backup could be made at all."""
    results = small_closet.add_photos(odd)
    assert all(r.item is not None for r in results), [r.error for r in results]
    for result in results:
        assert result.item is not None
        relative = Path(result.item.photo_path).relative_to(small_closet.data_dir).as_posix()
        assert is_item_path(relative), relative
    assert small_closet.doctor().healthy
    archive = small_closet.export(tmp_path / "backup.zip")
    before = closet_snapshot(small_closet)
    small_closet.restore(archive)
    assert closet_snapshot(small_closet) == before


def test_their_files_go_when_emptied_from_the_trash(small_closet: Wardrobe, odd: list[Path]) -> None:
    item = small_closet.add_photo(odd[0])
    small_closet.remove(item.id)
    small_closet.empty_trash()
    assert not Path(item.photo_path).exists()
    assert small_closet.doctor().healthy


def test_the_cli_adds_and_exports_them(small_closet: Wardrobe, odd: list[Path], run: CliRun, tmp_path: Path) -> None:
    small_closet.close()
    code, _out, err = run("add", *map(str, odd))
    assert code == 0, err
    code, _out, err = run("export", str(tmp_path / "backup.zip"))
    assert code == 0, err
