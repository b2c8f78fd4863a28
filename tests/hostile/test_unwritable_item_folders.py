"""The closet's item folders cannot be written (a read-only disk, a file named ``photos`` in a shared folder)."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.domain import DataDirError
from wardrobe_app.services.wardrobe import Wardrobe


def test_a_file_where_an_item_folder_belongs_is_a_clear_error(
    data_dir: Path, photo_factory: PhotoFactory, run: CliRun
) -> None:
    """Before: a raw NotADirectoryError traceback (a shared data folder holding the person's own file ``photos``)."""
    (data_dir / "photos").write_text("the person's own notes, named photos")
    photo = photo_factory("a.jpg", seed=130)
    code, _out, err = run("add", str(photo))
    assert code == 1 and "Traceback" not in err and "photos" in err, err
    assert (data_dir / "photos").read_text() == "the person's own notes, named photos"
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        assert wardrobe.items() == []
        with pytest.raises(DataDirError):
            wardrobe.add_photos([photo])


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EIO])
def test_a_read_only_or_failing_disk_stops_the_import_with_a_typed_error(
    small_closet: Wardrobe, photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    before = closet_snapshot(small_closet)
    write_many = PhotoFiles.write_many

    def failing(self: PhotoFiles, *args: Any, **kwargs: Any) -> Any:
        raise OSError(code, "cannot write")

    monkeypatch.setattr(PhotoFiles, "write_many", failing)
    photos = [photo_factory(f"n{i}.jpg", seed=140 + i, colour_bgr=(0, 40 * i, 200)) for i in range(3)]
    with pytest.raises(DataDirError, match="cannot write"):
        small_closet.add_photos(photos)
    with pytest.raises(DataDirError):
        small_closet.import_catalogue("Shop", photos[0].parent)
    assert closet_snapshot(small_closet) == before
    monkeypatch.setattr(PhotoFiles, "write_many", write_many)
    assert sum(r.item is not None for r in small_closet.add_photos(photos)) == 3
