"""Hostile or unlucky backups: restore is a transaction, and a refused archive changes nothing."""

from __future__ import annotations

import json
import signal
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import closet_snapshot, restore_interrupted_at
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.domain import ArchiveError
from wardrobe_app.services import archive as archive_module
from wardrobe_app.services.restore_folders import STAGING_PREFIX, make_restore_folder
from wardrobe_app.services.wardrobe import Wardrobe


def _tampered(
    source: Path,
    target: Path,
    sql: str | None = None,
    *,
    extra: dict[str, bytes] | None = None,
    database: bytes | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """A copy of an export with SQL run on its database, entries added, replaced or dropped."""
    work = target.with_suffix(".d")
    work.mkdir()
    with zipfile.ZipFile(source) as archive:
        archive.extractall(work)
    if database is not None:
        (work / DB_FILENAME).write_bytes(database)
    if sql:
        connection = sqlite3.connect(work / DB_FILENAME)
        connection.executescript(sql)
        connection.commit()
        connection.close()
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            name = path.relative_to(work).as_posix()
            if name not in drop:
                archive.write(path, name)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


@pytest.fixture
def exported(small_closet: Wardrobe, tmp_path: Path) -> Path:
    return small_closet.export(tmp_path / "good.zip")


def _refused(wardrobe: Wardrobe, archive: Path, match: str) -> None:
    before = closet_snapshot(wardrobe)
    with pytest.raises(ArchiveError, match=match):
        wardrobe.restore(archive)
    assert closet_snapshot(wardrobe) == before
    leftovers = [p.name for p in wardrobe.data_dir.iterdir() if p.name.startswith((".restore", ".before-restore"))]
    assert leftovers == []
    reopened = Wardrobe.open(wardrobe.data_dir, classifier="none")  # and it still opens, as it was
    assert closet_snapshot(reopened) == before
    reopened.close()


def test_archive_of_a_newer_schema_is_refused(small_closet: Wardrobe, exported: Path, tmp_path: Path) -> None:
    bad = _tampered(exported, tmp_path / "newer.zip", "UPDATE alembic_version SET version_num = 'ffff9999'")
    _refused(small_closet, bad, "newer version")


def test_foreign_sqlite_file_with_an_items_table_is_refused(
    small_closet: Wardrobe, exported: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.executescript(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, photo_path TEXT); INSERT INTO items VALUES (1, 'photos/ab/x.jpg');"
    )
    connection.close()
    bad = _tampered(exported, tmp_path / "foreign.zip", database=foreign.read_bytes())
    _refused(small_closet, bad, "not a Wardrobe closet")


@pytest.mark.parametrize("column", ["photo_path", "cutout_path", "thumb_path", "mask_path"])
@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../outside.txt", "photos/../../outside.txt"])
def test_rows_pointing_outside_the_data_dir_are_refused(
    small_closet: Wardrobe, exported: Path, tmp_path: Path, column: str, path: str
) -> None:
    bad = _tampered(exported, tmp_path / "outside.zip", f"UPDATE items SET {column} = '{path}' WHERE id = 1")
    _refused(small_closet, bad, "not a closet file path")


def test_ranker_path_outside_is_refused(small_closet: Wardrobe, exported: Path, tmp_path: Path) -> None:
    sql = (
        "INSERT INTO ranker_versions (version, path, trained_at, n_ratings, last_feedback_id, active) "
        "VALUES (7, '../../../etc', '2026-01-01 00:00:00', 0, 0, 1)"
    )
    bad = _tampered(exported, tmp_path / "ranker.zip", sql)
    _refused(small_closet, bad, "ranker path")


def test_invalid_values_are_refused(small_closet: Wardrobe, exported: Path, tmp_path: Path) -> None:
    bad = _tampered(exported, tmp_path / "values.zip", "UPDATE items SET formality = 99999, season = 'banana'")
    _refused(small_closet, bad, "formality")


def test_photo_that_does_not_match_its_checksum_is_refused(
    small_closet: Wardrobe, exported: Path, tmp_path: Path
) -> None:
    photo = small_closet.items()[0].photo_path
    name = Path(photo).relative_to(small_closet.data_dir).as_posix()
    bad = _tampered(exported, tmp_path / "swapped.zip", drop=(name,), extra={name: b"not the photo"})
    _refused(small_closet, bad, "damaged|checksum")


def test_symlink_entries_are_refused(small_closet: Wardrobe, exported: Path, tmp_path: Path) -> None:
    bad = _tampered(exported, tmp_path / "link.zip")
    with zipfile.ZipFile(bad, "a") as archive:
        info = zipfile.ZipInfo("ranker/evil")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    _refused(small_closet, bad, "symbolic link")


def test_unexpected_entries_are_refused(small_closet: Wardrobe, exported: Path, tmp_path: Path) -> None:
    bad = _tampered(exported, tmp_path / "extra.zip", extra={"../evil.txt": b"x"})
    _refused(small_closet, bad, "unexpected or unsafe")


def test_zip_bomb_is_refused_and_leaves_nothing(
    small_closet: Wardrobe, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _tampered(exported, tmp_path / "bomb.zip")
    with zipfile.ZipFile(bad, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ranker/bomb.bin", b"\0" * (8 * 2**20))  # 8 MB of zeros, a few KB packed
    monkeypatch.setattr(archive_module, "MAX_UNPACKED_BYTES", 4 * 2**20)
    _refused(small_closet, bad, "more than the disk can take")


KILL_DURING_SWAP = """
import os, signal, sys
from pathlib import Path
from wardrobe_app.services.wardrobe import Wardrobe
calls = {"n": 0}
real_rename = Path.rename
def dying_rename(self, target):
    calls["n"] += 1
    if calls["n"] == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_rename(self, target)
Path.rename = dying_rename
Wardrobe.open(sys.argv[1], classifier="none").restore(sys.argv[2])
"""


@pytest.mark.parametrize("die_at", [2, 5, 9])
def test_kill_9_during_the_swap_is_rolled_back_on_next_open(
    small_closet: Wardrobe, tmp_path: Path, photo_factory: PhotoFactory, die_at: int
) -> None:
    other = Wardrobe.open(tmp_path / "other", classifier="none")
    other.add_photo(photo_factory("other.jpg", seed=50), category="hat")
    other_archive = other.export(tmp_path / "other.zip")
    other.close()
    before = closet_snapshot(small_closet)
    small_closet.close()
    done = subprocess.run(
        [sys.executable, "-c", KILL_DURING_SWAP, str(small_closet.data_dir), str(other_archive), str(die_at)],
        cwd=Path(__file__).parents[2],
        timeout=120,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    reopened = Wardrobe.open(small_closet.data_dir, classifier="none")
    assert any("interrupted" in n for n in reopened.notices)
    assert closet_snapshot(reopened) == before
    assert not [p for p in reopened.data_dir.iterdir() if p.name.startswith((".restore", ".before-restore"))]
    reopened.close()


def test_ctrl_c_during_the_swap_puts_the_closet_back(
    small_closet: Wardrobe, tmp_path: Path, photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Wardrobe.open(tmp_path / "other", classifier="none")
    other.add_photo(photo_factory("other.jpg", seed=50), category="hat")
    other_archive = other.export(tmp_path / "other.zip")
    other.close()
    before = closet_snapshot(small_closet)
    restore_interrupted_at(small_closet, other_archive, 5, monkeypatch)
    assert closet_snapshot(small_closet) == before


def test_restore_is_followed_by_another_open_closet(
    small_closet: Wardrobe, tmp_path: Path, photo_factory: PhotoFactory
) -> None:
    """The GUI keeps the closet open while the CLI restores: its next writes land in the restored closet."""
    other = Wardrobe.open(tmp_path / "other", classifier="none")
    hat = other.add_photo(photo_factory("hat.jpg", seed=60), category="hat")
    archive = other.export(tmp_path / "other.zip")
    other.close()
    gui = Wardrobe.open(small_closet.data_dir, classifier="none")
    small_closet.restore(archive)
    assert [i.content_hash for i in gui.items()] == [hat.content_hash]
    gui.set_category(hat.id, "cap")
    assert small_closet.item(hat.id).category == "cap"
    gui.close()


def test_round_trip_keeps_manifest_checksums(small_closet: Wardrobe, exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        manifest = json.loads(archive.read("wardrobe-export.json"))
    assert manifest["version"] == 2 and len(manifest["sha256"]) == manifest["files"] > 0
    before = closet_snapshot(small_closet)
    small_closet.restore(exported)
    assert closet_snapshot(small_closet) == before


def test_leftovers_of_a_restore_killed_while_unpacking_are_cleaned(small_closet: Wardrobe) -> None:
    data_dir = small_closet.data_dir
    staging = make_restore_folder(data_dir, STAGING_PREFIX)  # as a restore makes it: marked as the app's
    (staging / "photos").mkdir(parents=True)
    (staging / "photos" / "big.bin").write_bytes(b"\0" * 4096)
    before = closet_snapshot(small_closet)
    reopened = Wardrobe.open(data_dir, classifier="none")
    assert not staging.exists()
    assert closet_snapshot(reopened) == before
    reopened.close()


def test_a_closet_with_a_learnt_and_a_reset_ranker_round_trips(small_closet: Wardrobe, tmp_path: Path) -> None:
    outfit = small_closet.outfit([i.id for i in small_closet.items()])
    small_closet.feedback(outfit, "casual", True)
    small_closet.retrain()
    small_closet.retrain(reset=True)
    archive = small_closet.export(tmp_path / "with-ranker.zip")
    before = closet_snapshot(small_closet)
    small_closet.restore(archive)
    assert closet_snapshot(small_closet) == before
    assert small_closet.doctor().healthy


def test_a_stray_file_in_an_item_folder_does_not_make_the_backup_unrestorable(
    small_closet: Wardrobe, tmp_path: Path
) -> None:
    """A Finder .DS_Store or an editor's temp file among the photos: export leaves it out, restore takes it."""
    (small_closet.data_dir / "photos" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (small_closet.data_dir / "thumbs" / "notes.txt~").write_text("draft")
    count = len(small_closet.items())
    archive = small_closet.export(tmp_path / "with-strays.zip")
    with zipfile.ZipFile(archive) as opened:
        assert not [n for n in opened.namelist() if n.endswith((".DS_Store", "~"))]
    small_closet.restore(archive)
    assert len(small_closet.items()) == count
