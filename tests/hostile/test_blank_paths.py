"""A blank path (``wardrobe add "$PHOTO"`` with PHOTO unset): Path("") is the current folder, walked whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.fixture
def photos_here(photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder holds photos that are no garments of this closet (the home folder's, say)."""
    folder = photo_factory("holiday/beach.jpg", seed=90).parent.parent
    photo_factory("holiday/dinner.jpg", seed=91, colour_bgr=(10, 10, 200))
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("blank", ["", " "])
def test_adding_a_blank_path_adds_nothing(small_closet: Wardrobe, photos_here: Path, blank: str) -> None:
    """Before: every photo under the current folder came in as a garment."""
    before = closet_snapshot(small_closet)
    with pytest.raises(WardrobeError, match="empty path"):
        small_closet.add_photos([blank])
    with pytest.raises(WardrobeError, match="empty path"):
        small_closet.import_catalogue("Shop", blank)
    assert closet_snapshot(small_closet) == before
    assert small_closet.catalogues() == []


def test_the_cli_refuses_it_before_adding_anything(small_closet: Wardrobe, photos_here: Path, run: CliRun) -> None:
    before = closet_snapshot(small_closet)
    small_closet.close()
    code, _out, err = run("add", str(photos_here / "holiday" / "beach.jpg"), "")
    assert code == 1 and "empty path" in err
    code, _out, err = run("catalogue", "import", "Shop", "")
    assert code == 1 and "empty path" in err
    with Wardrobe.open(small_closet.data_dir, classifier="none") as wardrobe:
        assert closet_snapshot(wardrobe) == before and wardrobe.catalogues() == []
