"""Export and restore the closet; a damaged archive is refused and changes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from wardrobe_app.domain import ArchiveError
from wardrobe_app.services.wardrobe import Wardrobe


def _closet(data_dir: Path, photo_factory: PhotoFactory, n: int) -> Wardrobe:
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    for i in range(n):
        wardrobe.add_photo(photo_factory(f"p{i}.jpg", seed=i, colour_bgr=(30 * i, 60, 120)), category="shirt")
    return wardrobe


def test_export_then_restore_round_trip(tmp_path: Path, photo_factory: PhotoFactory) -> None:
    source = _closet(tmp_path / "a", photo_factory, 3)
    archive = source.export(tmp_path / "closet.zip")
    before = [(i.id, i.category, i.content_hash) for i in source.items()]
    source.close()

    other = _closet(tmp_path / "b", photo_factory, 0)
    other.add_photo(photo_factory("other.jpg", seed=99), category="hat")
    other.restore(archive)
    after = other.items()
    assert [(i.id, i.category, i.content_hash) for i in after] == before
    assert all(Path(i.photo_path).is_file() and Path(i.thumb_path or "").is_file() for i in after)
    other.add_photo(photo_factory("new.jpg", seed=42), category="skirt")  # the restored closet is usable
    other.close()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "not-ours"])
def test_damaged_archive_is_refused_without_touching_the_closet(
    tmp_path: Path, photo_factory: PhotoFactory, damage: str
) -> None:
    wardrobe = _closet(tmp_path / "a", photo_factory, 2)
    archive = wardrobe.export(tmp_path / "closet.zip")
    data = archive.read_bytes()
    if damage == "truncate":
        archive.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        archive.write_bytes(data[:200] + b"\x00" * 500 + data[700:])
    else:
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("hello.txt", "hi")
    before = wardrobe.items()
    with pytest.raises(ArchiveError):
        wardrobe.restore(archive)
    assert wardrobe.items() == before
    assert all(Path(i.photo_path).is_file() for i in before)
    wardrobe.close()


def test_a_failure_while_swapping_puts_the_closet_back(
    tmp_path: Path, photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _closet(tmp_path / "a", photo_factory, 1)
    archive = source.export(tmp_path / "closet.zip")
    source.close()
    wardrobe = _closet(tmp_path / "b", photo_factory, 0)
    mine = wardrobe.add_photo(photo_factory("mine.jpg", seed=77), category="skirt")
    real_rename = Path.rename

    def failing_rename(self: Path, target: Path) -> Path:  # the archive's files cannot be moved in
        if self.parent.name.startswith(".restore-"):
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(ArchiveError, match="closet is unchanged"):
        wardrobe.restore(archive)
    monkeypatch.undo()
    assert [i.id for i in wardrobe.items()] == [mine.id]
    assert Path(wardrobe.item(mine.id).photo_path).is_file()
    wardrobe.close()
