"""GUI responsiveness benchmark: window visible with a 300-item closet; longest GUI stall while 50 photos import.

Run (prints figures, asserts nothing):

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_startup.py [--items 300] [--photos 50]
        [--classifier none|auto] [--closet DIR] [--runs 3] [--in-thread]

1. Builds (once, cached in --closet) a closet of N drawn garment photos through Wardrobe.add_photos.
2. Launches a fresh Python process that starts the app as ``main.py`` does and reports when the main window is
   exposed on screen and when the closet's items are in the grid; the time is counted from before the
   process is spawned (interpreter start and imports included).
3. In this process: opens the window on a copy of that closet, imports 50 new photos through the real
   import path (worker + import helper process + progress signals + summary; ``--in-thread`` runs the
   import in the worker thread instead), and records the longest gap between the ticks of a 10 ms QTimer
   heartbeat on the GUI thread, with a 3 s idle run of the same heartbeat as a control for machine noise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

CATEGORIES = ("t-shirt", "shirt", "jeans", "skirt", "sneakers", "dress", "pants", "boots")


def draw_photo(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    h, w = 480, 360
    image = rng.normal(205, 10, (h, w, 3)).clip(0, 255).astype(np.uint8)
    colour = tuple(int(c) for c in rng.integers(20, 235, 3))
    if seed % 3 == 0:
        cv2.ellipse(image, (w // 2, h // 2), (w // 4, h // 3), 0, 0, 360, colour, -1)
    else:
        cv2.rectangle(image, (w // 4, h // 5), (3 * w // 4, 4 * h // 5), colour, -1)
        cv2.circle(image, (w // 2, h // 2), 30 + seed % 40, tuple(255 - c for c in colour), -1)
    cv2.imwrite(str(path), image)


def build_closet(folder: Path, items: int) -> None:
    from wardrobe_app.services.wardrobe import Wardrobe

    with Wardrobe.open(folder, classifier="none") as closet:
        have = closet.counts()["all"]
        if have >= items:
            return
        photos = Path(tempfile.mkdtemp(prefix="wardrobe-bench-photos-"))
        for i in range(have, items):
            category = CATEGORIES[i % len(CATEGORIES)]
            (photos / category).mkdir(exist_ok=True)
            draw_photo(photos / category / f"{i:04d}.jpg", seed=10_000 + i)
        print(f"building a {items}-item closet in {folder} …", flush=True)
        for category in CATEGORIES:
            if (photos / category).is_dir():
                closet.add_photos([photos / category], category)
        shutil.rmtree(photos)


CHILD = r"""
import sys, time, json
from PySide6.QtCore import QTimer, QEvent, QObject
from PySide6.QtWidgets import QApplication
from wardrobe_app.ui.main_window import MainWindow
marks = {}
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and "visible" not in marks and obj.isExposed():
            marks["visible"] = time.time()
        return False
app = QApplication([sys.argv[0]])
window = MainWindow(sys.argv[1], classifier=sys.argv[2])
window.show()
watch = Watch()
window.windowHandle().installEventFilter(watch)
if window.windowHandle().isExposed():
    marks["visible"] = time.time()
QTimer.singleShot(0, window.start)
def poll():
    if window.model.rowCount() >= int(sys.argv[3]) and "items" not in marks:
        marks["items"] = time.time()
    if "items" in marks and window.classifier_state != "loading":
        marks.setdefault("classifier", time.time())
        print(json.dumps(marks), flush=True)
        window.close()
        app.quit()
timer = QTimer(); timer.timeout.connect(poll); timer.start(5)
QTimer.singleShot(120000, app.quit)
app.exec()
"""


def measure_startup(closet: Path, classifier: str, items: int) -> dict[str, float]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(closet), classifier, str(items)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    return {key: value - started for key, value in marks.items()}


def run_loop_until(done: Callable[[], bool], seconds: float) -> None:
    """Run the real Qt event loop (as app.exec() does) until ``done()`` or ``seconds`` pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.perf_counter() + seconds
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if done() or time.perf_counter() > deadline else None)
    poll.start()
    loop.exec()
    poll.stop()


def measure_import_stall(closet: Path, classifier: str, photos: int, in_thread: bool = False) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from wardrobe_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="wardrobe-bench-"))
    shutil.copytree(closet, work / "closet")
    folder = work / "new-photos"
    folder.mkdir()
    for i in range(photos):
        draw_photo(folder / f"new{i:03d}.jpg", seed=90_000 + i)
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(work / "closet", classifier=classifier, settings=settings, import_in_process=not in_thread)
    window.show()
    window.start()
    while window.classifier_state == "loading" or window.worker.busy:
        app.processEvents()
        time.sleep(0.005)
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    run_loop_until(lambda: False, 3.0)  # control: the same heartbeat with the app idle (machine noise)
    idle_gaps = np.array(gaps)
    gaps.clear()
    started = time.perf_counter()
    window.add_paths([str(folder)])
    run_loop_until(lambda: window.import_job is None and not window.worker.busy, 600.0)
    seconds = time.perf_counter() - started
    run_loop_until(lambda: False, 0.5)  # the grid reloads and thumbnails arrive while the heartbeat runs
    heartbeat.stop()
    window.close()
    shutil.rmtree(work, ignore_errors=True)
    gaps_ms = np.array(gaps)
    return {
        "idle_max_stall_ms": float(idle_gaps.max() - 10),
        "import_seconds": seconds,
        "max_stall_ms": float(gaps_ms.max() - 10),
        "p99_gap_ms": float(np.percentile(gaps_ms, 99)),
        "ticks": len(gaps),
        "added": window.model.rowCount(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--classifier", default="none", choices=["none", "auto"])
    parser.add_argument("--closet", type=Path, default=Path(tempfile.gettempdir()) / "wardrobe-bench-closet-300")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-thread", action="store_true", help="import in the worker thread (no helper process)")
    args = parser.parse_args()
    build_closet(args.closet, args.items)
    print(f"platform: {os.environ['QT_QPA_PLATFORM']}, classifier: {args.classifier}, cpus: {os.cpu_count()}")
    for run in range(args.runs):
        marks = measure_startup(args.closet, args.classifier, args.items)
        print(
            f"startup run {run + 1}: window visible {marks['visible']:.2f} s, {args.items} items in the grid "
            f"{marks['items']:.2f} s, classifier state known {marks['classifier']:.2f} s"
        )
    stalls = []
    for run in range(args.runs):
        stall = measure_import_stall(args.closet, args.classifier, args.photos, args.in_thread)
        stalls.append(stall["max_stall_ms"])
        print(
            f"import run {run + 1} of {args.photos} photos: {stall['import_seconds']:.1f} s, max GUI stall "
            f"{stall['max_stall_ms']:.0f} ms over a 10 ms heartbeat (p99 gap {stall['p99_gap_ms']:.0f} ms, "
            f"{stall['ticks']} ticks); grid now {stall['added']} items; idle control: max stall "
            f"{stall['idle_max_stall_ms']:.0f} ms"
        )
    print(f"worst GUI stall over {args.runs} imports: {max(stalls):.0f} ms")


if __name__ == "__main__":
    main()
