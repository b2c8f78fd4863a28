"""The disk fills up in the middle of a shop catalogue import."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import cv2
import pytest

from tests.conftest import draw_garment
from tests.hostile.conftest import CliRun
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.domain import DiskFullError
from wardrobe_app.services import catalogue
from wardrobe_app.services.importing import PhotoImporter
from wardrobe_app.services.wardrobe import Wardrobe


def _shop(folder: Path, n: int) -> Path:
    (folder / "images").mkdir(parents=True)
    for i in range(n):
        cv2.imwrite(str(folder / "images" / f"{500 + i}.jpg"), draw_garment(seed=500 + i, colour_bgr=(20 * i, 90, 150)))
    return folder


def _fill_disk_after(stored: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The disk is full after ``stored`` products; counts the batches read and cut out."""
    calls = {"writes": 0, "prepared": 0, "full": 1}
    write_many, prepare_batch = PhotoFiles.write_many, PhotoImporter.prepare_batch

    def full_disk(self: PhotoFiles, *args: Any, **kwargs: Any) -> Any:
        calls["writes"] += 1
        if calls["full"] and calls["writes"] > stored:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_many(self, *args, **kwargs)

    def counted(self: PhotoImporter, *args: Any, **kwargs: Any) -> Any:
        calls["prepared"] += 1
        return prepare_batch(self, *args, **kwargs)

    monkeypatch.setattr(PhotoFiles, "write_many", full_disk)
    monkeypatch.setattr(PhotoImporter, "prepare_batch", counted)
    monkeypatch.setattr(catalogue, "BATCH_SIZE", 2)
    return calls


def test_a_full_disk_stops_the_import_says_so_and_a_rerun_finishes_it(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the import read and cut out every remaining photo for nothing (hours for a big shop), listed each
    as failed, and ended as if all went well (exit status 0, not "interrupted")."""
    shop = _shop(tmp_path / "shop", 10)
    calls = _fill_disk_after(3, monkeypatch)
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        with pytest.raises(DiskFullError):
            wardrobe.import_catalogue("Shop", shop)
        assert calls["prepared"] <= 3  # the batch that hit the full disk, and at most the one read meanwhile
        assert [(c.name, c.items) for c in wardrobe.catalogues()] == [("Shop", 3)]
        calls["full"] = 0  # space freed
        again = wardrobe.import_catalogue("Shop", shop)
        assert (again.added, again.already_in, again.failed) == (7, 3, [])
        assert wardrobe.doctor().healthy


def test_the_cli_exits_with_an_error(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: CliRun
) -> None:
    shop = _shop(tmp_path / "shop", 4)
    _fill_disk_after(1, monkeypatch)
    code, _out, err = run("catalogue", "import", "Shop", str(shop))
    assert code == 1 and "disk is full" in err and "Traceback" not in err
    assert err.count("disk is full") == 1
