"""Adding photos: failures listed in the summary, cancelling midway leaves a consistent closet."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.gui.conftest import FakeClassifier, open_window, wait_for_import
from wardrobe_app.services.import_pipeline import ramped_starts
from wardrobe_app.services.wardrobe import CLASSIFY_BATCH, Wardrobe


def test_failing_files_in_a_batch_show_up_in_the_summary(qtbot, window, photo_factory, tmp_path) -> None:
    good = photo_factory("good.jpg", seed=1)
    empty = tmp_path / "photos" / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "photos" / "notes.jpg"
    text.write_text("this is not a photo")
    window.add_paths([str(good), str(empty), str(text), str(tmp_path / "missing.jpg"), str(good)], "shirt")
    wait_for_import(qtbot, window)
    summary = window.last_summary
    assert summary.isVisible()
    rows = dict(summary.failure_rows())
    assert set(rows) == {"empty.jpg", "notes.jpg", "missing.jpg", "good.jpg"}
    assert "empty" in rows["empty.jpg"]
    assert "not found" in rows["missing.jpg"]
    assert "already in the closet" in rows["good.jpg"]
    assert "1 photo added" in summary.text.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


def test_cancel_an_import_midway_keeps_the_closet_consistent(qtbot, data_dir, settings, photo_factory) -> None:
    # Photos are classified in batches ramping up to CLASSIFY_BATCH (1, 2, 4, ...): the first three batches
    # pass, the fourth waits in the classifier while the user cancels; it is stored whole, and nothing after
    # it is imported.
    batch = CLASSIFY_BATCH
    starts = ramped_starts(3 * batch, batch)
    classifier = FakeClassifier()
    classifier.gate, classifier.pass_before = threading.Event(), starts[3]
    photos = [str(photo_factory(f"p{i:02d}.jpg", seed=i, colour_bgr=(30 + 8 * i, 60, 200))) for i in range(3 * batch)]
    window = open_window(qtbot, data_dir, settings, classifier=classifier)
    window.add_paths(photos)
    bar = window.import_progress.bar
    qtbot.waitUntil(lambda: bar.value() >= starts[4] - 1 and bar.maximum() == 3 * batch, timeout=30000)
    assert window.import_progress.isVisible()
    window.import_progress.cancel_button.click()  # the second batch is waiting in the classifier
    classifier.gate.set()
    wait_for_import(qtbot, window)
    assert "cancelled" in window.last_summary.text.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == starts[4])
    window.close()
    with Wardrobe.open(data_dir, classifier="none") as closet:
        items = closet.items()
        assert len(items) == starts[4]
        for item in items:
            assert all(Path(p).is_file() for p in (item.photo_path, item.cutout_path, item.thumb_path))
        assert closet.collect_orphans() == []


def test_worker_reports_progress_failure_and_cancel(qtbot, window) -> None:
    seen: list[tuple[int, int, str]] = []

    ready = threading.Event()

    def count(progress, cancel) -> int:
        ready.wait(5)
        done = 0
        for i in range(1000):
            if cancel():
                break
            progress(i, 1000, f"step {i}")
            done += 1
            if i == 5:
                job.cancel()
        return done

    results: list[object] = []
    job = window.worker.submit(count, done=results.append, progress=lambda *a: seen.append(a))
    ready.set()
    qtbot.waitUntil(lambda: bool(results))
    assert results == [6]
    assert seen[0] == (0, 1000, "step 0")
    errors: list[BaseException] = []
    window.worker.submit(lambda: 1 / 0, failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
    assert not window.worker.busy


def test_cancel_in_the_import_helper_process_keeps_the_closet_consistent(qtbot, window, photo_factory) -> None:
    assert window.import_process is not None  # "none"/"auto" closets import in the helper process
    photos = [str(photo_factory(f"q{i}.jpg", seed=40 + i, colour_bgr=(20 * i, 90, 160))) for i in range(12)]
    window.add_paths(photos)
    qtbot.waitUntil(lambda: window.import_progress.bar.value() >= 1, timeout=30000)
    window.import_progress.cancel_button.click()
    wait_for_import(qtbot, window)
    summary = window.last_summary.text.text()
    added = window.session.wardrobe.counts()["all"]
    assert added < 12 and "cancelled" in summary
    qtbot.waitUntil(lambda: window.model.rowCount() == added)
    for item in window.session.wardrobe.items():
        assert all(Path(p).is_file() for p in (item.photo_path, item.cutout_path, item.thumb_path))
    assert window.session.wardrobe.collect_orphans() == []


def test_a_dead_import_helper_is_reported_and_replaced(qtbot, window, photo_factory) -> None:
    helper = window.import_process
    helper.process.kill()
    helper.process.join(5)
    window.add_paths([str(photo_factory("a.jpg", seed=1))], "shirt")
    qtbot.waitUntil(lambda: window.findChild(object, "errorDialog") is not None, timeout=20000)
    assert "stopped unexpectedly" in window.findChild(object, "errorDialog").text()
    assert window.import_process is None
    window.last_summary = None
    window.add_paths([str(photo_factory("a.jpg", seed=1))], "shirt")  # now through the worker thread
    wait_for_import(qtbot, window)
    assert window.session.wardrobe.counts()["all"] == 1
