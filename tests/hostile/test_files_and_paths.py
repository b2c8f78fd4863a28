"""Odd files and paths: pipes, devices, huge files, odd data-dir names, lost databases, private modes, full disks."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.db import photo_files
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.domain import DamagedClosetError, PhotoError
from wardrobe_app.services.wardrobe import Wardrobe
from wardrobe_app.vision import loading

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")


def _add_in_thread(wardrobe: Wardrobe, path: Path) -> list[object]:
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.extend(wardrobe.add_photos([path])), daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the import hung"
    return results


@posix_only
def test_a_fifo_named_like_a_photo_does_not_hang(wardrobe: Wardrobe, tmp_path: Path) -> None:
    fifo = tmp_path / "x.jpg"
    os.mkfifo(fifo)
    (result,) = _add_in_thread(wardrobe, fifo)
    assert "not a regular file" in (result.error or "")  # type: ignore[attr-defined]


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused_without_reading_it(wardrobe: Wardrobe, tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    link = tmp_path / "endless.jpg"
    link.symlink_to(device)
    (result,) = _add_in_thread(wardrobe, link)
    assert "not a regular file" in (result.error or "")  # type: ignore[attr-defined]


def test_a_huge_non_image_is_refused_before_it_is_read(
    wardrobe: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.jpg"
    with big.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 2**30)
    read_calls = []
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: read_calls.append(a) or real_fdopen(*a, **k))
    with pytest.raises(PhotoError, match="too large a file"):
        loading.read_photo_file(big)
    assert read_calls == []


@pytest.mark.parametrize("name", ["zoë", "衣橱", "100%", "a#b", "it's", "what?", "sp ace", "x%(here)s"])
def test_a_data_dir_with_odd_characters_works(tmp_path: Path, photo_factory: PhotoFactory, name: str) -> None:
    data_dir = tmp_path / name / "closet"
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    wardrobe.add_photo(photo_factory("p.jpg"), category="shirt")
    wardrobe.close()
    assert (data_dir / DB_FILENAME).is_file()  # the database is inside the data dir, not beside it
    assert sorted(p.name for p in (tmp_path / name).iterdir()) == ["closet"]
    reopened = Wardrobe.open(data_dir, classifier="none")
    assert len(closet_snapshot(reopened)) == 1
    reopened.close()


@pytest.mark.parametrize("damage", ["missing", "empty"])
def test_a_lost_database_is_never_taken_for_a_new_closet(small_closet: Wardrobe, damage: str) -> None:
    data_dir = small_closet.data_dir
    photos = sorted(p for p in (data_dir / "photos").rglob("*") if p.is_file())
    small_closet.close()
    db = data_dir / DB_FILENAME
    for suffix in ("-wal", "-shm"):
        (data_dir / (DB_FILENAME + suffix)).unlink(missing_ok=True)
    if damage == "missing":
        db.unlink()
    else:
        db.write_bytes(b"")
    for _ in range(2):
        with pytest.raises(DamagedClosetError, match="Nothing was changed or deleted"):
            Wardrobe.open(data_dir, classifier="none")
    assert sorted(p for p in (data_dir / "photos").rglob("*") if p.is_file()) == photos


def test_a_damaged_database_is_reported_not_a_traceback(small_closet: Wardrobe) -> None:
    data_dir = small_closet.data_dir
    small_closet.close()
    db = data_dir / DB_FILENAME
    for suffix in ("-wal", "-shm"):
        (data_dir / (DB_FILENAME + suffix)).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DamagedClosetError, match="cannot be read"):
        Wardrobe.open(data_dir, classifier="none")


@posix_only
def test_the_closet_is_private(small_closet: Wardrobe) -> None:
    data_dir = small_closet.data_dir
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DB_FILENAME).stat().st_mode) == 0o600
    for kind in photo_files.KINDS:
        for path in (data_dir / kind).rglob("*"):
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


@posix_only
def test_an_existing_open_closet_is_made_private(data_dir: Path) -> None:
    data_dir.chmod(0o755)
    Wardrobe.open(data_dir, classifier="none").close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_paths_outside_the_data_dir_are_never_deleted(small_closet: Wardrobe, tmp_path: Path) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_text("not the closet's")
    item = small_closet.items()[0]
    with small_closet.sessions.begin() as session:  # a tampered database
        from wardrobe_app.db.tables import ItemRow

        row = session.get(ItemRow, item.id)
        assert row is not None
        row.cutout_path = os.path.relpath(outside, small_closet.data_dir)
        row.thumb_path = str(outside)
    small_closet.remove(item.id)
    small_closet.empty_trash()  # only emptying the trash deletes files
    assert outside.read_text() == "not the closet's"


def test_a_full_disk_is_reported_and_loses_nothing(
    small_closet: Wardrobe, photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = closet_snapshot(small_closet)
    paths = [photo_factory(f"new{i}.jpg", seed=70 + i) for i in range(3)]

    def full(*_args: object, **_kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(photo_files.PhotoFiles, "write", full)
    results = small_closet.add_photos(paths)
    assert [r.ok for r in results] == [False, False, False]
    assert all("disk is full" in (r.error or "") for r in results)
    monkeypatch.undo()
    assert closet_snapshot(small_closet) == before
    partials = [p for p in small_closet.data_dir.rglob("*") if ".tmp-" in p.name or p.name.endswith(".partial")]
    assert partials == []


def test_export_refuses_a_closet_with_a_missing_photo_and_doctor_says_why(
    small_closet: Wardrobe, tmp_path: Path
) -> None:
    item = small_closet.items()[0]
    Path(item.photo_path).unlink()
    with pytest.raises(DamagedClosetError, match="missing"):
        small_closet.export(tmp_path / "out.zip")
    assert not list(tmp_path.glob("*.partial")) and not (tmp_path / "out.zip").exists()
    report = small_closet.doctor()
    assert not report.healthy and any(f"item {item.id}" in p and "missing" in p for p in report.problems)
    repaired = small_closet.doctor(repair=True)
    assert any(f"wardrobe remove {item.id}" in line for line in repaired.left)


def test_doctor_rebuilds_derived_files_and_collects_orphans(small_closet: Wardrobe) -> None:
    item = small_closet.items()[1]
    assert item.thumb_path is not None
    Path(item.thumb_path).unlink()
    orphan = small_closet.files.write("cutouts", "ee" + "1" * 62, ".png", b"nobody's")
    report = small_closet.doctor(repair=True)
    assert any("rebuilt" in line for line in report.repaired)
    assert any("no item used" in line for line in report.repaired)
    assert not (small_closet.data_dir / orphan).exists()
    assert small_closet.doctor().healthy
    closet_snapshot(small_closet)


def test_doctor_finds_a_corrupted_database_page(small_closet: Wardrobe) -> None:
    import sqlite3

    data_dir = small_closet.data_dir
    small_closet.close()
    db = data_dir / DB_FILENAME
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'item_colours'").fetchone()[0]
    connection.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page
    data[start + 8 : start + page - 8] = os.urandom(page - 16)  # keep the page header, scramble its cells
    db.write_bytes(bytes(data))
    try:
        wardrobe = Wardrobe.open(data_dir, classifier="none")
    except DamagedClosetError:
        return  # refused at open: also reported, not lost
    report = wardrobe.doctor()
    assert not report.healthy and any("damaged" in p for p in report.problems)
    with pytest.raises(DamagedClosetError):
        wardrobe.export(data_dir.parent / "out.zip")
    wardrobe.close()


def test_a_photo_deleted_behind_the_apps_back_is_reported_by_list(small_closet: Wardrobe, run: CliRun) -> None:
    item = small_closet.items()[0]
    Path(item.photo_path).unlink()
    code, out, _err = run("list")
    assert code == 0
    line = next(line for line in out.splitlines() if line.split()[0] == str(item.id))
    assert "photo missing" in line


def test_files_written_together_land_in_order_and_a_failure_is_raised_after_all_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = photo_files.PhotoFiles(tmp_path)
    entries = [
        (kind, "ab" + "3" * 62, suffix, kind.encode() * 100)
        for kind, suffix in (("photos", ".jpg"), ("cutouts", ".png"), ("thumbs", ".png"), ("masks", ".png"))
    ]
    paths = files.write_many(entries)
    assert paths == [files.relative_path(kind, digest, suffix) for kind, digest, suffix, _ in entries]
    assert [(tmp_path / p).read_bytes() for p in paths] == [data for *_, data in entries]

    written = files.write
    ended: list[str] = []

    def full_for_cutouts(kind: str, content_hash: str, suffix: str, data: bytes) -> str:
        if kind == "cutouts":
            raise OSError(errno.ENOSPC, "No space left on device")
        path = written(kind, content_hash, suffix, data)
        ended.append(kind)
        return path

    monkeypatch.setattr(files, "write", full_for_cutouts)
    other = [(kind, "cd" + "4" * 62, suffix, data) for kind, _, suffix, data in entries]
    with pytest.raises(OSError) as raised:
        files.write_many(other)
    assert raised.value.errno == errno.ENOSPC
    assert sorted(ended) == ["masks", "photos", "thumbs"]  # the others finished before the error came out
    assert not [p for p in tmp_path.rglob("*") if ".tmp-" in p.name]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_child_writes_files_together_too(tmp_path: Path) -> None:
    files = photo_files.PhotoFiles(tmp_path)
    files.write_many([("photos", "ef" + "5" * 62, ".jpg", b"a"), ("masks", "ef" + "5" * 62, ".png", b"b")])
    pid = os.fork()
    if pid == 0:  # the child: the parent's writer threads are not here; it must not wait for them forever
        import signal

        signal.alarm(20)
        try:
            files.write_many([("photos", "ef" + "6" * 62, ".jpg", b"c"), ("masks", "ef" + "6" * 62, ".png", b"d")])
        finally:
            os._exit(0 if (tmp_path / files.relative_path("masks", "ef" + "6" * 62, ".png")).is_file() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
