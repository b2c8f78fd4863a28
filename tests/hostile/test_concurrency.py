"""Two processes at once: one writer at a time, readers never collect another writer's files."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import closet_snapshot
from wardrobe_app.db.closet_lock import ClosetLock
from wardrobe_app.domain import ClosetBusyError
from wardrobe_app.services.wardrobe import Wardrobe

ROOT = Path(__file__).parents[2]


def test_opening_during_a_write_does_not_collect_its_files(
    small_closet: Wardrobe, photo_factory: PhotoFactory, data_dir: Path
) -> None:
    """An import has written its files (marker set) but not its row yet: another open must keep them."""
    files = small_closet.files
    with small_closet.writing("importing"):
        files.begin_writes()
        in_flight = files.write("photos", "ab" + "0" * 62, ".jpg", b"in flight")
        reader = Wardrobe.open(data_dir, classifier="none")  # `wardrobe list` in another window
        reader.items()
        reader.close()
        assert (data_dir / in_flight).is_file()
        files.end_writes()


def test_crash_leftovers_are_still_collected_when_nobody_writes(small_closet: Wardrobe, data_dir: Path) -> None:
    files = small_closet.files
    files.begin_writes()
    orphan = files.write("photos", "cd" + "0" * 62, ".jpg", b"left by a crash")
    reopened = Wardrobe.open(data_dir, classifier="none")
    assert not (data_dir / orphan).exists()
    closet_snapshot(reopened)
    reopened.close()


IMPORTER = """
import sys
from wardrobe_app.services.wardrobe import Wardrobe
w = Wardrobe.open(sys.argv[1], classifier="none")
results = w.add_photos([sys.argv[2]])
print(sum(1 for r in results if r.ok), sum(1 for r in results if r.duplicate_of is not None),
      sum(1 for r in results if not r.ok and r.duplicate_of is None))
"""


def _photos(photo_factory: PhotoFactory, n: int) -> Path:
    for i in range(n):
        photo_factory(f"batch/p{i:02d}.jpg", seed=100 + i, colour_bgr=(7 * i % 255, 90, 200 - 5 * i))
    return photo_factory("batch/p00.jpg", seed=100, colour_bgr=(0, 90, 200)).parent


@pytest.mark.slow
def test_readers_in_a_loop_during_a_real_import_lose_nothing(data_dir: Path, photo_factory: PhotoFactory) -> None:
    folder = _photos(photo_factory, 16)
    Wardrobe.open(data_dir, classifier="none").close()
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(data_dir), str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    opened = 0
    while importer.poll() is None:
        reader = Wardrobe.open(data_dir, classifier="none")
        reader.items()
        reader.close()
        opened += 1
    out, _ = importer.communicate(timeout=60)
    assert importer.returncode == 0 and out.split() == ["16", "0", "0"]
    final = Wardrobe.open(data_dir, classifier="none")
    assert len(closet_snapshot(final)) == 16  # every item still has all its files
    final.close()
    assert opened > 0


@pytest.mark.slow
def test_two_imports_of_the_same_photos_at_once(data_dir: Path, photo_factory: PhotoFactory) -> None:
    folder = _photos(photo_factory, 10)
    Wardrobe.open(data_dir, classifier="none").close()
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORTER, str(data_dir), str(folder)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    added = [out.split() for out, _ in outputs]
    assert sum(int(a[0]) for a in added) == 10  # each photo stored once, the copies reported as duplicates
    assert sum(int(a[1]) for a in added) == 10 and all(a[2] == "0" for a in added)
    final = Wardrobe.open(data_dir, classifier="none")
    assert len(closet_snapshot(final)) == 10
    final.close()


def test_a_writer_that_waits_too_long_is_told_the_closet_is_busy(small_closet: Wardrobe, data_dir: Path) -> None:
    other = Wardrobe.open(data_dir, classifier="none")
    other.lock.timeout = 0.3
    item = small_closet.items()[0]
    with small_closet.writing("importing 40 photos"):
        started = time.monotonic()
        with pytest.raises(ClosetBusyError, match="busy in another window"):
            other.set_category(item.id, "blouse")
        assert time.monotonic() - started < 10
    other.set_category(item.id, "blouse")  # and works once the other writer is done
    assert small_closet.item(item.id).category == "blouse"
    other.close()


def test_the_lock_serialises_threads_too(data_dir: Path) -> None:
    lock_a, lock_b = ClosetLock(data_dir), ClosetLock(data_dir)
    order: list[str] = []

    def second() -> None:
        with lock_b.writing("second"):
            order.append("b")

    with lock_a.writing("first"):
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.3)
        order.append("a")
    thread.join(10)
    assert order == ["a", "b"]


def test_concurrent_retrains_do_not_crash(small_closet: Wardrobe, data_dir: Path) -> None:
    outfit = small_closet.outfit([i.id for i in small_closet.items()])
    for liked in (True, False, True):
        small_closet.feedback(outfit, "casual", liked)
    other = Wardrobe.open(data_dir, classifier="none")
    errors: list[BaseException] = []

    def retrain(w: Wardrobe) -> None:
        try:
            w.retrain()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=retrain, args=(w,)) for w in (small_closet, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    other.close()
