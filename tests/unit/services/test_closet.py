"""The closet through the Wardrobe facade: add, duplicates, bad files, corrections, removal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from wardrobe_app.domain import (
    DataDirError,
    DuplicatePhotoError,
    Group,
    ItemNotFoundError,
    PhotoError,
    UnknownCategoryError,
)
from wardrobe_app.services.wardrobe import Wardrobe


def test_add_photo_stores_files_colours_and_row(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(30, 30, 200)), category="t-shirt")
    assert item.group is Group.TOP and item.category == "t-shirt" and item.corrected
    for path in (item.photo_path, item.cutout_path, item.thumb_path, item.mask_path):
        assert path is not None and Path(path).is_file()
    assert Path(item.photo_path).name.startswith(item.content_hash)
    assert item.colours and item.colours[0].name == "red"
    assert abs(sum(c.share for c in item.colours) - 1.0) < 0.05
    assert wardrobe.items() == [item]


def test_unclassified_without_a_classifier(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    item = wardrobe.add_photo(photo_factory())
    assert item.category is None and item.group is None and item.confidence is None
    assert wardrobe.counts()["unclassified"] == 1


def test_duplicate_photo_is_refused_and_not_stored_twice(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    path = photo_factory()
    first = wardrobe.add_photo(path, category="shirt")
    copy = path.with_name("copy.jpg")
    copy.write_bytes(path.read_bytes())
    with pytest.raises(DuplicatePhotoError, match=f"item {first.id}"):
        wardrobe.add_photo(copy)
    assert len(wardrobe.items()) == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"this is not a photo at all\n" * 20, "not an image")],
)
def test_bad_files_are_refused_with_a_reason(wardrobe: Wardrobe, tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(content)
    with pytest.raises(PhotoError, match=reason):
        wardrobe.add_photo(bad)
    assert wardrobe.items() == []


def test_batch_reports_bad_files_and_adds_the_rest(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    good = [photo_factory(f"g{i}.jpg", seed=i, colour_bgr=(20 * i, 100, 50)) for i in range(3)]
    truncated = good[0].with_name("truncated.jpg")
    truncated.write_bytes(good[0].read_bytes()[:700])
    (good[0].parent / "notes.txt").write_text("not a photo")
    seen: list[tuple[int, int]] = []
    results = wardrobe.add_photos([good[0].parent], category="pants", progress=lambda d, t, _p: seen.append((d, t)))
    by_name = {Path(r.path).name: r for r in results}
    assert sum(r.ok for r in results) == 3
    assert not by_name["truncated.jpg"].ok and by_name["truncated.jpg"].error
    assert "notes.txt" not in by_name  # folders are scanned for photo suffixes only
    assert seen[-1] == (4, 4)
    assert len(wardrobe.items(group="middle")) == 3


def test_cancel_stops_the_batch_between_photos(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    paths = [photo_factory(f"c{i}.jpg", seed=i, colour_bgr=(10 * i, 50, 90)) for i in range(4)]
    done: list[int] = []
    results = wardrobe.add_photos(
        paths, category="skirt", progress=lambda d, _t, _p: done.append(d), cancel=lambda: len(done) > 2
    )
    # progress announced photos 0, 1, 2; the cancel is seen before photo 3 starts
    assert len(results) == 3 and all(r.ok for r in results)
    assert len(wardrobe.items()) == 3


def test_correction_is_kept(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    item = wardrobe.add_photo(photo_factory())
    corrected = wardrobe.set_category(item.id, "Jeans")
    assert corrected.category == "jeans" and corrected.group is Group.MIDDLE and corrected.corrected
    assert wardrobe.item(item.id).category == "jeans"
    with pytest.raises(UnknownCategoryError):
        wardrobe.set_category(item.id, "cape of invisibility")
    with pytest.raises(ItemNotFoundError):
        wardrobe.set_category(9999, "jeans")


def test_update_and_archive(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    item = wardrobe.add_photo(photo_factory(), category="dress")
    wardrobe.update_item(item.id, name="Summer dress", season="summer", formality=3, archived=True)
    assert wardrobe.items() == []
    archived = wardrobe.items(include_archived=True)[0]
    assert (archived.name, archived.season, archived.formality) == ("Summer dress", "summer", 3)
    assert archived.archived


def test_remove_trashes_and_emptying_deletes_row_and_files(wardrobe: Wardrobe, photo_factory: PhotoFactory) -> None:
    item = wardrobe.add_photo(photo_factory(), category="shoes")
    change = wardrobe.remove(item.id)
    assert change.removed == (item.id,)
    assert wardrobe.items() == []
    assert Path(item.photo_path).exists()  # in the trash: restorable until emptied
    with pytest.raises(ItemNotFoundError):
        wardrobe.remove(item.id)
    assert wardrobe.empty_trash().removed == (item.id,)
    assert not Path(item.photo_path).exists() and not Path(item.cutout_path or "").exists()
    with pytest.raises(ItemNotFoundError):
        wardrobe.remove(item.id)


def test_orphan_files_of_a_crash_are_collected_on_open(data_dir: Path, photo_factory: PhotoFactory) -> None:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        kept = wardrobe.add_photo(photo_factory(), category="hat")
    stray = data_dir / "photos" / "ff" / ("f" * 64 + ".jpg")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left by a crash")
    (data_dir / ".writes-pending").touch()  # what a crash between the files and the commit leaves
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        assert not stray.exists()
        assert not wardrobe.files.writes_pending()
        assert Path(wardrobe.item(kept.id).photo_path).is_file()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(DataDirError, match="cannot use the data folder"):
            Wardrobe.open(locked / "closet")
    finally:
        locked.chmod(0o700)


def test_data_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(DataDirError, match="cannot use the data folder"):
        Wardrobe.open(not_a_dir / "closet")


def test_env_var_chooses_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARDROBE_DATA_DIR", str(tmp_path / "from-env"))
    with Wardrobe.open(classifier="none") as wardrobe:
        assert wardrobe.data_dir == (tmp_path / "from-env").resolve()
        assert (wardrobe.data_dir / "wardrobe.sqlite3").is_file()


def test_the_first_photo_is_in_the_closet_before_the_rest_are_classified(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    """Batches ramp up (1, 2, 4, ... photos): a first import shows its first item after one photo's work."""
    from tests.unit.services.garment_fakes import FakeClassifier

    paths = [photo_factory(f"r/{i:02d}.jpg", seed=i, colour_bgr=(20, 20 + 10 * i, 200)) for i in range(20)]
    seen: list[int] = []

    class Counting(FakeClassifier):
        def classify(self, images, masks=None):  # type: ignore[no-untyped-def]
            seen.append(len(wardrobe.items()))
            return super().classify(images, masks)

    fake = Counting()
    with Wardrobe.open(data_dir, classifier=fake) as wardrobe:
        results = wardrobe.add_photos([paths[0].parent])
        assert all(r.ok for r in results) and len(wardrobe.items()) == 20
    assert fake.batch_sizes == [1, 2, 4, 8, 5]
    assert seen == [0, 1, 3, 7, 15]  # each pass comes after the earlier batches were stored


def test_classifier_fills_category_and_a_correction_is_kept(data_dir: Path, photo_factory: PhotoFactory) -> None:
    from tests.unit.services.garment_fakes import FakeClassifier

    with Wardrobe.open(data_dir, classifier=FakeClassifier(version="fake-1")) as wardrobe:
        item = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=(30, 30, 220)))
        assert (item.category, item.group, item.classifier_version) == ("t-shirt", Group.TOP, "fake-1")
        assert item.confidence is not None and not item.corrected
        wardrobe.set_category(item.id, "blouse")
    with Wardrobe.open(data_dir, classifier=FakeClassifier(version="fake-2")) as wardrobe:
        wardrobe.backfill_embeddings()  # a later classifier run refreshes features, never the user's category
        again = wardrobe.item(item.id)
        assert (again.category, again.corrected) == ("blouse", True)


def test_batched_import_with_a_classifier_and_a_copy_in_the_same_batch(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    from tests.unit.services.garment_fakes import FakeClassifier

    # Batches ramp up (1, 2, 4 photos): the copy of 3.jpg sorts right after it, in the third batch.
    paths = [photo_factory(f"b/{i}.jpg", seed=i, colour_bgr=(20, 20 + 20 * i, 200)) for i in range(6)]
    copy = paths[3].with_name("3z-copy.jpg")
    copy.write_bytes(paths[3].read_bytes())
    fake = FakeClassifier()
    with Wardrobe.open(data_dir, classifier=fake) as wardrobe:
        results = wardrobe.add_photos([paths[0].parent])
        assert [r.ok for r in results] == [True, True, True, True, False, True, True]
        assert results[4].duplicate_of == results[3].item.id  # type: ignore[union-attr]
        assert fake.batch_sizes == [1, 2, 3]  # one forward pass a batch; the copy is not classified again
        assert len(wardrobe.items()) == 6
