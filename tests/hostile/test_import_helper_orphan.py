"""The desktop app's import helper process ends when the app's process dies, even by kill -9."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import pytest

from tests.conftest import draw_garment

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads process states from /proc")

ROOT = Path(__file__).resolve().parents[2]

# The window's process, reduced to what matters: it starts the helper, optionally gives it an import, prints
# the helper's pid, and waits to be killed.
PARENT = """
import sys, threading, time
from wardrobe_app.ui.import_process import ImportProcess

helper = ImportProcess(sys.argv[1], "none")
helper.wait_for_classifier()
photos = sys.argv[2:]
if photos:
    started = threading.Event()
    def run():
        helper.add_photos(photos, None, progress=lambda *a: started.set(), cancel=lambda: False)
    threading.Thread(target=run, daemon=True).start()
    started.wait(60)
print(helper.process.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]  # a zombie has ended; only its exit code waits to be read


def _helper_of_killed_parent(data_dir: Path, photos: list[str]) -> int:
    env = {**os.environ, "WARDROBE_CLASSIFIER": "none"}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(data_dir), *photos], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        line = parent.stdout.readline()
        assert line.strip().isdigit(), f"the parent did not start its helper: {line!r}"
        helper = int(line)
        assert _alive(helper)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    return helper


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)  # never leave it behind, even when the test fails
    return False


def test_an_idle_helper_ends_with_its_killed_parent(data_dir: Path) -> None:
    helper = _helper_of_killed_parent(data_dir, [])
    assert _wait_gone(helper, 5.0), "the import helper outlived its parent"


def test_a_busy_helper_stops_its_import_and_ends(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(20):
        cv2.imwrite(str(folder / f"{n:02}.jpg"), draw_garment(seed=n, size=(300, 220)))
    helper = _helper_of_killed_parent(data_dir, [str(folder)])
    assert _wait_gone(helper, 10.0), "the import helper outlived its parent"
    from wardrobe_app.services.wardrobe import Wardrobe

    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        assert len(wardrobe.items()) < 20  # cancelled, not carried on to the end
        assert all(Path(item.photo_path).is_file() for item in wardrobe.items())  # whole items only
