"""A closet an older version left with a photo stored under a suffix its checks refuse: doctor --repair mends it."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.domain import DiskFullError
from wardrobe_app.services.wardrobe import Wardrobe


def test_doctor_repair_renames_the_photo_and_the_closet_exports_again(small_closet: Wardrobe, tmp_path: Path) -> None:
    """Before: such a closet could never be exported (no backup), and doctor --repair left it so."""
    data_dir = small_closet.data_dir
    item = small_closet.items()[0]
    old = Path(item.photo_path)
    odd = old.with_name(old.stem + ".jpg ")  # how an older version stored "shirt.jpg " (a trailing space)
    old.rename(odd)
    with sqlite3.connect(data_dir / "wardrobe.sqlite3") as db:
        db.execute("UPDATE items SET photo_path = ? WHERE id = ?", (odd.relative_to(data_dir).as_posix(), item.id))
    data = odd.read_bytes()
    assert not small_closet.doctor().healthy
    report = small_closet.doctor(repair=True)
    assert any(f"item {item.id}" in line and "renamed" in line for line in report.repaired), report
    assert small_closet.doctor().healthy
    fixed = small_closet.item(item.id)
    assert Path(fixed.photo_path).read_bytes() == data and Path(fixed.photo_path).suffix == ".jpg"
    new_name = Path(fixed.photo_path).relative_to(data_dir).as_posix()
    assert any(line.endswith(f"as {new_name!r}") for line in report.repaired), report  # the name it now has
    before = closet_snapshot(small_closet)
    small_closet.restore(small_closet.export(tmp_path / "backup.zip"))
    assert closet_snapshot(small_closet) == before


def test_a_catalogue_product_of_the_same_photo_keeps_it_too(small_closet: Wardrobe, tmp_path: Path) -> None:
    data_dir = small_closet.data_dir
    item = small_closet.items()[0]
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "same.jpg").write_bytes(Path(item.photo_path).read_bytes())
    assert small_closet.import_catalogue("Shop", shop).added == 1
    old = Path(item.photo_path)
    odd = old.with_name(old.stem + ".jpeg2000")
    old.rename(odd)
    with sqlite3.connect(data_dir / "wardrobe.sqlite3") as db:
        renamed = db.execute(
            "UPDATE items SET photo_path = ? WHERE content_hash = ?",
            (odd.relative_to(data_dir).as_posix(), item.content_hash),
        )
        assert renamed.rowcount == 2  # the closet item and the product name one file
    report = small_closet.doctor(repair=True)
    assert small_closet.doctor().healthy, report
    [product] = small_closet.catalogue_products("Shop")
    assert Path(product.photo_path).is_file() and Path(small_closet.item(item.id).photo_path).is_file()


def _point_item_at(small_closet: Wardrobe, item_id: int, odd: Path) -> None:
    with sqlite3.connect(small_closet.data_dir / "wardrobe.sqlite3") as db:
        db.execute(
            "UPDATE items SET photo_path = ? WHERE id = ?", (odd.relative_to(small_closet.data_dir).as_posix(), item_id)
        )


def test_an_odd_name_that_links_to_the_photo_never_deletes_the_photo(small_closet: Wardrobe, tmp_path: Path) -> None:
    """Before: the odd name was resolved first, so the link went unseen and --repair deleted the only photo."""
    item = small_closet.items()[0]
    shop = tmp_path / "shop"
    shop.mkdir()
    real = Path(item.photo_path)
    data = real.read_bytes()
    (shop / "same.jpg").write_bytes(data)
    assert small_closet.import_catalogue("Shop", shop).added == 1
    odd = real.with_name(real.stem + ".jpg ")
    os.symlink(real.name, odd)  # a dedup tool made the old name a link to the identical file
    _point_item_at(small_closet, item.id, odd)
    small_closet.doctor(repair=True)
    assert real.read_bytes() == data
    [product] = small_closet.catalogue_products("Shop")
    assert Path(product.photo_path).read_bytes() == data
    assert Path(small_closet.item(item.id).photo_path).read_bytes() == data
    assert small_closet.doctor().healthy


def test_a_half_copied_file_under_the_new_name_is_never_trusted(small_closet: Wardrobe) -> None:
    """Before: a truncated file at the new name (a copy killed half-way) was kept and the intact photo deleted."""
    item = small_closet.items()[0]
    old = Path(item.photo_path)
    odd = old.with_name(old.stem + ".jpg ")
    old.rename(odd)
    _point_item_at(small_closet, item.id, odd)
    data = odd.read_bytes()
    old.write_bytes(data[: len(data) // 3])
    small_closet.doctor(repair=True)
    assert Path(small_closet.item(item.id).photo_path).read_bytes() == data
    assert small_closet.doctor().healthy


def test_a_full_disk_while_renaming_is_a_typed_error_and_keeps_the_photo(
    small_closet: Wardrobe, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = small_closet.items()[0]
    old = Path(item.photo_path)
    odd = old.with_name(old.stem + ".jpg ")
    old.rename(odd)
    _point_item_at(small_closet, item.id, odd)
    data = odd.read_bytes()

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", full)
    monkeypatch.setattr(shutil, "copyfileobj", full)
    monkeypatch.setattr(shutil, "copy2", full)
    with pytest.raises(DiskFullError):
        small_closet.doctor(repair=True)
    assert odd.read_bytes() == data and not old.exists()
    assert Path(small_closet.item(item.id).photo_path) == odd
    assert not [p for p in odd.parent.iterdir() if p.name.startswith(".tmp-")]
