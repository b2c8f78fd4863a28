"""Importing a folder that holds the closet itself (a closet kept in ~/Pictures, then ~/Pictures imported).

The closet's own cut-outs, masks and thumbnails were imported as new garments, and the next import of the
same folder imported the cut-outs of those too: a closet filling up with copies of itself.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PhotoFactory
from wardrobe_app.services.wardrobe import Wardrobe


def test_importing_a_folder_that_holds_the_closet_skips_the_closets_own_files(
    tmp_path: Path, photo_factory: PhotoFactory
) -> None:
    pictures = tmp_path / "Pictures"
    for i in range(3):
        photo = photo_factory(f"p{i}.jpg", seed=i, colour_bgr=(40 * i, 80, 160))
        pictures.mkdir(exist_ok=True)
        photo.replace(pictures / photo.name)
    with Wardrobe.open(pictures / "wardrobe", classifier="none") as closet:
        first = closet.add_photos([pictures], category="shirt")
        assert [r.ok for r in first] == [True, True, True]
        photo_factory("new.jpg", seed=9).replace(pictures / "new.jpg")

        again = closet.add_photos([pictures], category="shirt")
        assert sorted(Path(r.path).name for r in again) == ["new.jpg", "p0.jpg", "p1.jpg", "p2.jpg"]
        assert sum(r.ok for r in again) == 1
        assert len(closet.items()) == 4

        item = closet.items()[0]
        own = closet.add_photos([item.cutout_path, item.photo_path])  # named one by one: refused, said why
        assert not any(r.ok for r in own)
        assert all("closet's own" in (r.error or "") for r in own)
        assert len(closet.items()) == 4
