"""Paths that are symbolic-link loops (``a -> b``, ``b -> a``): a clear error, never a RuntimeError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.domain import DataDirError
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    return folder / "a"


def test_a_data_dir_that_is_a_link_loop_is_a_clear_error(loop: Path) -> None:
    """Before: RuntimeError: Symlink loop from '.../a' (Python's resolve), a raw traceback."""
    with pytest.raises(DataDirError, match="symbolic link"):
        Wardrobe.open(loop, classifier="none")
    with pytest.raises(DataDirError, match="symbolic link"):
        Wardrobe.open(loop / "closet", classifier="none")


def test_outputs_that_are_link_loops_are_clear_errors(
    small_closet: Wardrobe, loop: Path, run: CliRun, tmp_path: Path
) -> None:
    before = closet_snapshot(small_closet)
    small_closet.close()
    for args in (
        ("export", str(loop)),
        ("export", str(loop / "backup.zip")),
        ("stats", "--png", str(loop)),
        ("pack", "--days", "1", "--occasions", "casual", "--output", str(loop)),
        ("--data-dir", str(loop), "list"),
    ):
        code, _out, err = run(*args)
        assert code == 1, args
        assert "Traceback" not in err and "RuntimeError" not in err and "error:" in err, (args, err)
    with Wardrobe.open(small_closet.data_dir, classifier="none") as wardrobe:
        assert closet_snapshot(wardrobe) == before


def test_a_photo_under_a_link_loop_costs_only_itself(small_closet: Wardrobe, loop: Path, tmp_path: Path) -> None:
    """Before: the check that a photo is not one of the closet's own files resolved its folder and raised
    RuntimeError, ending the whole import (the good photo beside it was not added)."""
    import cv2

    from tests.conftest import draw_garment

    good = tmp_path / "good.jpg"
    cv2.imwrite(str(good), draw_garment(seed=77, colour_bgr=(200, 30, 30)))
    results = small_closet.add_photos([loop / "x.jpg", good])
    assert results[0].item is None and results[0].error
    assert results[1].item is not None


def test_an_item_file_turned_into_a_link_loop_is_diagnosed_not_a_crash(small_closet: Wardrobe) -> None:
    """Before: doctor (the tool for exactly this), doctor --repair and export all ended in RuntimeError."""
    from wardrobe_app.domain import DamagedClosetError

    item = small_closet.items()[0]
    photo = Path(item.photo_path)
    photo.unlink()
    photo.symlink_to(photo.name + ".x")
    photo.with_name(photo.name + ".x").symlink_to(photo.name)
    report = small_closet.doctor()
    assert not report.healthy and any(f"item {item.id}" in line for line in report.problems)
    with pytest.raises(DamagedClosetError):
        small_closet.export(small_closet.data_dir.parent / "backup.zip")
    repaired = small_closet.doctor(repair=True)
    assert any(f"item {item.id}" in line for line in repaired.left)
    assert len(small_closet.items()) == 3


def test_reclassify_and_backfill_skip_an_item_whose_photo_is_a_link_loop(data_dir: Path, tmp_path: Path) -> None:
    """Before: reclassify's own check that the photo lies in the closet resolved it and raised RuntimeError, so no
    item of the closet could be brought to a new classifier."""
    import cv2

    from tests.conftest import draw_garment
    from tests.unit.services.review_fakes import LabelledFake

    paths = []
    for i in range(2):
        paths.append(tmp_path / f"p{i}.jpg")
        cv2.imwrite(str(paths[-1]), draw_garment(seed=120 + i, colour_bgr=(30, 60 * i, 200)))
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-1")) as wardrobe:
        looped, fine = (wardrobe.add_photo(p) for p in paths)
    photo = Path(looped.photo_path)
    photo.unlink()
    photo.symlink_to(photo.name + ".x")
    photo.with_name(photo.name + ".x").symlink_to(photo.name)
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-2")) as wardrobe:
        report = wardrobe.reclassify()
        assert report.unreadable == (looped.id,) and report.processed == (fine.id,)
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-3")) as wardrobe:
        assert wardrobe.backfill_embeddings().updated == (fine.id,)
