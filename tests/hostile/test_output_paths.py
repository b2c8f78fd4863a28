"""Files the CLI writes where the user says (export, packing list, plots) never land inside the closet's folder.

``wardrobe export DATA_DIR/wardrobe.sqlite3`` replaced the closet's database by a zip (every item lost to the
app); ``pack --output`` and ``stats --png`` could overwrite the database or write among the photos, also through
a symbolic link that points there.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.services.wardrobe import Wardrobe

Target = Callable[[Path, Path], Path]


def _database(data_dir: Path, _tmp: Path) -> Path:
    return data_dir / DB_FILENAME


def _settings(data_dir: Path, _tmp: Path) -> Path:
    return data_dir / "outfit_settings.json"


def _among_photos(data_dir: Path, _tmp: Path) -> Path:
    return data_dir / "photos" / "list.txt"


def _link_to_database(data_dir: Path, tmp: Path) -> Path:
    link = tmp / "innocent.txt"
    link.symlink_to(data_dir / DB_FILENAME)
    return link


def _the_folder_itself(data_dir: Path, _tmp: Path) -> Path:
    return data_dir


def _hard_link_to_database(data_dir: Path, tmp: Path) -> Path:
    link = tmp / "hard-linked.zip"
    os.link(data_dir / DB_FILENAME, link)
    return link


TARGETS = {
    "database": _database,
    "settings": _settings,
    "among the photos": _among_photos,
    "link to the database": _link_to_database,
    "the folder itself": _the_folder_itself,
    "hard link to the database": _hard_link_to_database,
}


def _fingerprint(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / DB_FILENAME).read_bytes()).hexdigest()


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize(
    "command",
    [
        ("export", "{path}"),
        ("pack", "--days", "1", "--occasions", "casual", "--output", "{path}"),
        ("stats", "--png", "{path}"),
    ],
    ids=["export", "pack", "stats"],
)
def test_writing_inside_the_closet_is_refused(
    small_closet: Wardrobe, run: CliRun, tmp_path: Path, target: str, command: tuple[str, ...]
) -> None:
    data_dir = small_closet.data_dir
    small_closet.set_outfit_settings(hemisphere="south")
    path = TARGETS[target](data_dir, tmp_path)
    before, database = closet_snapshot(small_closet), _fingerprint(data_dir)
    code, _out, err = run(*(part.format(path=path) for part in command))
    assert code == 1 and "inside the closet's own folder" in err
    assert _fingerprint(data_dir) == database
    assert small_closet.outfit_settings()["hemisphere"] == "south"
    assert closet_snapshot(small_closet) == before
    assert small_closet.doctor().healthy


def test_writing_outside_still_works(small_closet: Wardrobe, run: CliRun, tmp_path: Path) -> None:
    assert run("export", str(tmp_path / "backup.zip"))[0] == 0
    assert run("pack", "--days", "1", "--occasions", "casual", "--output", str(tmp_path / "list.txt"))[0] == 0
    assert run("stats", "--png", str(tmp_path / "plots"))[0] == 0
    assert (tmp_path / "backup.zip").is_file() and (tmp_path / "list.txt").is_file()
    assert sorted(p.suffix for p in (tmp_path / "plots").iterdir()) == [".png"] * 4


def test_the_api_refuses_an_export_inside_the_closet(small_closet: Wardrobe) -> None:
    from wardrobe_app.domain import DataDirError

    database = _fingerprint(small_closet.data_dir)
    with pytest.raises(DataDirError, match="inside the closet"):
        small_closet.export(small_closet.data_dir / DB_FILENAME)
    assert _fingerprint(small_closet.data_dir) == database


def test_restoring_an_item_id_that_is_also_a_file_name_never_replaces_the_closet(
    small_closet: Wardrobe, run: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`wardrobe restore 2` (item 2 from the trash) with a backup named "2" in the current folder replaced the
    whole closet by that backup."""
    here = tmp_path / "cwd"
    here.mkdir()
    item = small_closet.items()[1]
    small_closet.remove(item.id)
    small_closet.export(here / str(item.id))
    small_closet.restore_from_trash([item.id])
    small_closet.update_item(item.id, name="changed after the backup")
    before = closet_snapshot(small_closet)
    monkeypatch.chdir(here)
    code, _out, err = run("restore", str(item.id))
    assert code == 2 and "both item ids and files" in err
    assert closet_snapshot(small_closet) == before
    assert small_closet.item(item.id).name == "changed after the backup"
    assert run("restore", f"./{item.id}")[0] == 0  # said plainly, the file is restored
    assert [t.id for t in small_closet.trash()] == [item.id]


def test_another_spelling_of_the_closet_folder_is_refused(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a case-insensitive disk (macOS, Windows) ``~/WARDROBE/wardrobe.sqlite3`` is the closet's database.

    Simulated here: every path is looked up by its lower-case spelling, as such a disk does, while resolve()
    keeps the spelling it was given (as it does on macOS).
    """
    from wardrobe_app.domain import DataDirError
    from wardrobe_app.services.data_dir import outside_closet

    data_dir = small_closet.data_dir
    spelled = Path(str(data_dir).upper())
    if spelled == data_dir:
        pytest.skip("the data dir has no letters to change")
    real_stat = Path.stat

    def folded_stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if str(self).lower().startswith(str(data_dir).lower()):
            self = Path(str(data_dir) + str(self)[len(str(data_dir)) :])
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", folded_stat)
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: Path(os.path.abspath(self)))
    for target in (spelled / DB_FILENAME, spelled, spelled / "photos" / "new.zip"):
        with pytest.raises(DataDirError, match="inside the closet"):
            outside_closet(data_dir, target, "the export")
    assert outside_closet(data_dir, tmp_path / "backup.zip", "the export") == tmp_path / "backup.zip"


def test_an_existing_folder_or_a_file_on_another_disk_never_walks_the_closet(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder always has several links (``stats --png FOLDER``): it cannot be a hard link to a closet file, nor
    can a file on another device; neither may walk every file of a large closet to find out."""
    from wardrobe_app.services import data_dir as data_dir_module
    from wardrobe_app.services.data_dir import outside_closet

    plots = tmp_path / "plots"
    plots.mkdir()
    (plots / "old.png").write_bytes(b"png")
    linked = tmp_path / "linked.zip"
    linked.write_bytes(b"zip")
    os.link(linked, tmp_path / "second-name.zip")

    def no_walk(self: Path, pattern: str) -> list[Path]:
        raise AssertionError(f"walked {self}")

    monkeypatch.setattr(Path, "rglob", no_walk)
    assert outside_closet(small_closet.data_dir, plots, "the plots folder") == plots.resolve()
    real_identity = data_dir_module.file_identity

    def closet_on_another_device(path: Path) -> tuple[int, int] | None:
        found = real_identity(path)
        if found is None or path != small_closet.data_dir.resolve():
            return found
        return found[0] + 1, found[1]

    monkeypatch.setattr(data_dir_module, "file_identity", closet_on_another_device)
    assert outside_closet(small_closet.data_dir, linked, "the export") == linked.resolve()


def test_a_disk_that_gives_no_file_identity_refuses_nothing_outside(
    small_closet: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.stat's st_ino identifies a file only when it is non-zero: some disks (network shares, FAT on Windows) give
    0 for every file, so every folder would look like the closet's and every export would be refused."""
    from wardrobe_app.domain import DataDirError
    from wardrobe_app.services import data_dir as data_dir_module
    from wardrobe_app.services.data_dir import outside_closet

    def no_inode(path: Path) -> tuple[int, int]:
        return path.stat().st_dev, 0

    monkeypatch.setattr(data_dir_module, "file_identity", no_inode)
    assert outside_closet(small_closet.data_dir, tmp_path / "backup.zip", "the export") == tmp_path / "backup.zip"
    with pytest.raises(DataDirError, match="inside the closet"):  # by spelling, still refused
        outside_closet(small_closet.data_dir, small_closet.data_dir / DB_FILENAME, "the export")
