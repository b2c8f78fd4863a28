"""A catalogue removed (or replaced) by another window while it is being imported: no product lands elsewhere."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

import cv2
import pytest

from tests.conftest import draw_garment
from wardrobe_app.cli import main
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.domain import ClosetBusyError, CollectionGoneError, DataDirError, DiskFullError
from wardrobe_app.services import catalogue
from wardrobe_app.services.wardrobe import Wardrobe


def _shop(folder: Path, n: int, first: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        cv2.imwrite(str(folder / f"{first + i}.jpg"), draw_garment(seed=first + i, colour_bgr=(30 * i, 90, 150)))
    return folder


def _rows(data_dir: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(data_dir / "wardrobe.sqlite3") as db:
        return db.execute(
            "SELECT c.name, count(i.id) FROM collections c LEFT JOIN items i ON i.collection_id = c.id "
            "WHERE c.kind = 'catalogue' GROUP BY c.id ORDER BY c.name"
        ).fetchall()


def _import_while(data_dir: Path, tmp_path: Path, meanwhile: str, monkeypatch: pytest.MonkeyPatch) -> Wardrobe:
    """Import 6 products of ShopA, 2 a batch; after the first batch another window runs ``meanwhile``."""
    monkeypatch.setattr(catalogue, "BATCH_SIZE", 2)
    shop_a = _shop(tmp_path / "a", 6, 100)
    shop_b = _shop(tmp_path / "b", 2, 200)
    first = Wardrobe.open(data_dir, classifier="none")
    other = Wardrobe.open(data_dir, classifier="none")
    calls = {"n": 0}

    def progress(_done: int, _total: int, _name: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the first batch is stored
            other.remove_catalogue("ShopA")
            if meanwhile == "remove and import another":
                other.import_catalogue("ShopB", shop_b)

    try:
        with pytest.raises(CollectionGoneError, match=r"'ShopA' was removed"):
            first.import_catalogue("ShopA", shop_a, progress=progress)
    finally:
        other.close()
    return first


def test_a_catalogue_removed_meanwhile_stops_its_import_with_a_clear_error(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _import_while(data_dir, tmp_path, "remove", monkeypatch) as wardrobe:
        assert wardrobe.catalogues() == []
    assert _rows(data_dir) == []


def test_products_never_land_in_another_catalogue_given_the_removed_ones_id(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: ShopB (made after ShopA was removed, given its id) ended up with 2 + 4 of ShopA's products."""
    with _import_while(data_dir, tmp_path, "remove and import another", monkeypatch) as wardrobe:
        assert [(c.name, c.items) for c in wardrobe.catalogues()] == [("ShopB", 2)]
        assert sorted(p.source_name or "" for p in wardrobe.catalogue_products("ShopB")) == ["200.jpg", "201.jpg"]
    assert _rows(data_dir) == [("ShopB", 2)]


def test_the_cli_says_so_and_a_name_with_spaces_around_still_imports(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = _shop(tmp_path / "a", 2, 100)
    assert main(["--data-dir", str(data_dir), "catalogue", "import", " Shop ", str(shop)]) == 0
    assert "added 2" in capsys.readouterr().out
    assert _rows(data_dir) == [("Shop", 2)]


def test_a_busy_closet_leaves_no_empty_catalogue_behind(data_dir: Path, tmp_path: Path) -> None:
    """Before: the catalogue's row was made outside the writer lock, so an import told "the closet is busy" still
    left an empty catalogue listed (and two windows importing one new name at once raced for it)."""
    shop = _shop(tmp_path / "a", 2, 100)
    first = Wardrobe.open(data_dir, classifier="none")
    other = Wardrobe.open(data_dir, classifier="none")
    first.lock.timeout = 0.2
    try:
        with other.writing("a long import"), pytest.raises(ClosetBusyError):
            first.import_catalogue("ShopA", shop)
        assert first.catalogues() == []
        assert first.import_catalogue("ShopA", shop).added == 2
    finally:
        first.close()
        other.close()


def test_an_import_that_stores_nothing_leaves_no_empty_catalogue(data_dir: Path, tmp_path: Path) -> None:
    """Before: a folder of damaged photos only (or none at all) left an empty catalogue listed."""
    shop = tmp_path / "broken"
    shop.mkdir()
    (shop / "a.jpg").write_bytes(b"not a photo")
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        report = wardrobe.import_catalogue("Broken", shop)
        assert report.added == 0 and len(report.failed) == 1
        assert wardrobe.catalogues() == []


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
def test_a_first_product_that_cannot_be_stored_leaves_no_empty_catalogue(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    """Before: a full (or read-only) disk on the first product raised, but the catalogue stayed listed, empty."""
    shop = _shop(tmp_path / "a", 2, 100)
    real_write_many = PhotoFiles.write_many

    def failing(self: PhotoFiles, *args: Any, **kwargs: Any) -> Any:
        raise OSError(error, os.strerror(error))

    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        monkeypatch.setattr(PhotoFiles, "write_many", failing)
        with pytest.raises((DiskFullError, DataDirError)):
            wardrobe.import_catalogue("Shop", shop)
        assert wardrobe.catalogues() == [] and _rows(data_dir) == []
        monkeypatch.setattr(PhotoFiles, "write_many", real_write_many)
        assert wardrobe.import_catalogue("Shop", shop).added == 2  # once the disk has room, it is made again
        assert _rows(data_dir) == [("Shop", 2)]
