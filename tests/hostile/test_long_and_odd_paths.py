"""Paths a person can type that no file can have (a name over 255 bytes, a NUL), and exports onto things no file is."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.domain import ArchiveError, PhotoError, WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe

TOO_LONG = "x" * 300  # one name over the 255 bytes every common file system allows


def test_a_name_too_long_for_the_disk_is_a_clear_error_everywhere(
    small_closet: Wardrobe, tmp_path: Path, run: CliRun
) -> None:
    """Before: a raw OSError traceback (Errno 36, File name too long) from each of these commands."""
    before = closet_snapshot(small_closet)
    small_closet.close()
    long_photo, long_zip, long_folder = tmp_path / f"{TOO_LONG}.jpg", tmp_path / f"{TOO_LONG}.zip", tmp_path / TOO_LONG
    for args in (
        ("add", str(long_photo)),
        ("classify", str(long_photo)),
        ("catalogue", "import", "Shop", str(long_folder)),
        ("catalogue", "import", "Shop", str(tmp_path), "--csv", str(tmp_path / f"{TOO_LONG}.csv")),
        ("export", str(long_zip)),
        ("restore", str(long_zip)),
        ("eval-classifier", str(long_folder)),
    ):
        code, _out, err = run(*args)
        assert code != 0, args
        assert "Traceback" not in err and "error:" in err and "too long" in err, (args, err)
    with Wardrobe.open(small_closet.data_dir, classifier="none") as wardrobe:
        assert closet_snapshot(wardrobe) == before
        assert wardrobe.catalogues() == []


def test_the_api_reports_such_paths_as_typed_errors(small_closet: Wardrobe, tmp_path: Path) -> None:
    for bad in (tmp_path / f"{TOO_LONG}.jpg", f"{tmp_path}/nul\x00byte.jpg"):
        with pytest.raises(PhotoError):
            small_closet.add_photo(bad)
        [result] = small_closet.add_photos([bad])
        assert result.item is None and result.error
        with pytest.raises(WardrobeError):
            small_closet.similar(str(bad))
    with pytest.raises(ArchiveError):
        small_closet.restore(tmp_path / f"{TOO_LONG}.zip")
    with pytest.raises(ArchiveError):
        small_closet.export(tmp_path / f"{TOO_LONG}.zip")
    with pytest.raises(WardrobeError):
        small_closet.import_catalogue("Shop", tmp_path / TOO_LONG)
    assert len(small_closet.items()) == 3


def test_an_export_named_near_the_limit_is_written(small_closet: Wardrobe, tmp_path: Path) -> None:
    """Before: the temporary file beside it, named after it, was too long a name, so a valid name failed."""
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / ("b" * 250 + ".zip")
    assert small_closet.export(target) == target.resolve()
    assert zipfile.is_zipfile(target)
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.parametrize("kind", ["fifo", "link to a fifo", "socket"])
def test_an_export_onto_something_that_is_no_file_is_refused_and_leaves_it(
    small_closet: Wardrobe, tmp_path: Path, kind: str
) -> None:
    """Before: the zip was renamed over it. Run as root, ``wardrobe export /dev/null`` replaced the device node."""
    import socket

    out = tmp_path / "out"
    out.mkdir()
    special = out / "special"
    holder = None
    if kind == "socket":
        holder = socket.socket(socket.AF_UNIX)
        holder.bind(str(special))
    else:
        os.mkfifo(special)
    target = special
    if kind == "link to a fifo":
        target = out / "link.zip"
        target.symlink_to(special)
    try:
        with pytest.raises(ArchiveError, match="not a file"):
            small_closet.export(target)
        mode = special.lstat().st_mode
        assert stat.S_ISSOCK(mode) if kind == "socket" else stat.S_ISFIFO(mode)
        assert target.is_symlink() == (kind == "link to a fifo")
        assert sorted(p.name for p in out.iterdir()) == sorted({"special", target.name})
    finally:
        if holder is not None:
            holder.close()


def test_an_export_over_an_older_backup_or_an_empty_file_still_replaces_it(
    small_closet: Wardrobe, tmp_path: Path
) -> None:
    target = small_closet.export(tmp_path / "backup.zip")
    small_closet.remove(small_closet.items()[0].id)
    small_closet.export(target)  # over the older backup
    assert zipfile.is_zipfile(target)
    empty = tmp_path / "made-by-mktemp.zip"
    empty.touch()
    small_closet.export(empty)
    assert zipfile.is_zipfile(empty)


@pytest.mark.parametrize("theirs", [b"%PDF-1.7 the person's thesis", "a zip of something else"])
def test_an_export_never_replaces_a_file_that_is_no_wardrobe_backup(
    small_closet: Wardrobe, tmp_path: Path, run: CliRun, theirs: bytes | str
) -> None:
    """Before: ``wardrobe export ~/thesis.pdf`` (a slip of tab completion) replaced the thesis by a zip."""
    target = tmp_path / "thesis.pdf"
    if isinstance(theirs, str):
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("notes.txt", theirs)
    else:
        target.write_bytes(theirs)
    before = target.read_bytes()
    small_closet.close()
    code, _out, err = run("export", str(target))
    assert code == 1 and "not a Wardrobe backup" in err and "Traceback" not in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["thesis.pdf"]


def test_a_photo_in_a_folder_that_cannot_be_entered_is_reported(
    small_closet: Wardrobe, photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the user may not enter (EACCES on stat): before, a raw PermissionError ended the whole import."""
    good = photo_factory("good.jpg", seed=40, colour_bgr=(10, 200, 10))
    locked = good.parent / "locked" / "photo.jpg"
    real_stat = Path.stat

    def stat_(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if "locked" in self.parts:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat_)
    results = small_closet.add_photos([locked, good])
    assert results[0].item is None and results[0].error
    assert results[1].item is not None
    assert len(small_closet.items()) == 4


def test_an_id_too_long_to_be_a_file_name_is_no_traceback(small_closet: Wardrobe, run: CliRun) -> None:
    """Before: ``restore``, ``similar`` and ``shop`` asked whether a 300-digit id was also a file, and Python's
    exists() raised OSError (File name too long): a raw traceback instead of "there is no item"."""
    small_closet.close()
    huge = "1" * 300
    for args in (("restore", huge), ("similar", huge), ("shop", huge)):
        code, _out, err = run(*args)
        assert code != 0 and "Traceback" not in err and "error" in err, (args, err)
