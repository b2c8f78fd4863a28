"""Memory of the desktop app idle after start, with the classifier ready: RSS and PSS of its whole process tree.

    QT_QPA_PLATFORM=offscreen python benchmarks/app_memory.py [--items 30] [--closet DIR] [--idle 5]
        [--runtime auto|keras] [--then-import 16]

Starts the real app (the main window as ``wardrobe-gui`` starts it, offscreen) on a closet of drawn photos
in a fresh process, waits until the window says the classifier is ready and the grid holds the closet,
lets it idle, then sums the memory of the app's process and its children (the import helper) from /proc:
RSS (resident pages, shared libraries counted in each process) and PSS (each shared page split between
the processes that map it, so the sum is what the app really costs). It also says which of TensorFlow,
ONNX Runtime and FAISS each process has loaded (from its memory map). Then it imports ``--then-import``
drawn photos through the import helper, as the app's Add photos does, and measures again once idle.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from wardrobe_app.ui.main_window import MainWindow

app = QApplication([sys.argv[0]])
window = MainWindow(sys.argv[1], classifier="auto")
window.show()
QTimer.singleShot(0, window.start)
wanted = int(sys.argv[2])

def check():
    if window.classifier_state in ("ready", "unavailable") and window.model.rowCount() >= wanted:
        print("READY", window.classifier_state, window.classifier_label.text(), flush=True)
        if sys.argv[3:] and sys.stdin.readline():  # then import these photos through the helper, as the app does
            done = window.import_process.add_photos(sys.argv[3:], None, lambda *a: None, lambda: False)
            print("IMPORTED", len(done), flush=True)
    else:
        QTimer.singleShot(100, check)

QTimer.singleShot(100, check)
app.exec()
"""

LIBRARIES = {"TensorFlow": "libtensorflow", "ONNX Runtime": "onnxruntime", "FAISS": "faiss", "Keras/h5py": "h5py"}


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children.get(current, [])
    return out


def memory(pid: int) -> dict[str, object]:
    """RSS and PSS (MB) of one process, its command line and the big libraries it maps."""
    proc = Path(f"/proc/{pid}")
    rollup = {
        line.split(":")[0]: int(line.split()[1])
        for line in (proc / "smaps_rollup").read_text().splitlines()[1:]
        if line.split()[-1] == "kB"
    }
    maps = (proc / "maps").read_text()
    command = " ".join((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split())
    return {
        "pid": pid,
        "rss": rollup["Rss"] / 1024,
        "pss": rollup["Pss"] / 1024,
        "anon": rollup.get("Anonymous", 0) / 1024,
        "loaded": [name for name, needle in LIBRARIES.items() if needle in maps],
        "command": command[:70],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--closet", type=Path, default=None, help="closet folder (built once and reused)")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before measuring")
    parser.add_argument("--runtime", default="auto", choices=("auto", "keras"))
    parser.add_argument("--then-import", type=int, default=16, help="then import this many photos and measure again")
    args = parser.parse_args()
    from gui_startup import build_closet, draw_photo  # type: ignore[import-not-found]  # benchmarks/ is on sys.path

    with tempfile.TemporaryDirectory() as tmp:
        closet = Path(tmp) / "closet"
        if args.closet is not None:  # a cached closet, copied so that the import below leaves it as it was
            args.closet.mkdir(parents=True, exist_ok=True)
            build_closet(args.closet, args.items)
            shutil.copytree(args.closet, closet)
        else:
            closet.mkdir()
            build_closet(closet, args.items)
        photos = []
        for n in range(args.then_import):
            photos.append(str(Path(tmp) / f"new{n}.jpg"))
            draw_photo(Path(photos[-1]), 1000 + n)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WARDROBE_RUNTIME": args.runtime}
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        started = time.perf_counter()
        app = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(closet), str(args.items), *photos],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert app.stdout is not None
            line = app.stdout.readline()
            ready = time.perf_counter() - started
            if not line.startswith("READY"):
                print(f"the app did not get ready: {line!r}")
                return 1
            print(f"ready after {ready:.1f} s: {line.split(' ', 2)[2].strip()} (WARDROBE_RUNTIME={args.runtime})")
            time.sleep(args.idle)
            report("idle after start", [memory(pid) for pid in tree(app.pid)])
            if photos:
                assert app.stdin is not None
                app.stdin.write("go\n")
                app.stdin.flush()
                line = app.stdout.readline()
                if not line.startswith("IMPORTED"):
                    print(f"the import failed: {line!r}")
                    return 1
                time.sleep(args.idle)
                report(f"idle after importing {line.split()[1]} photos", [memory(pid) for pid in tree(app.pid)])
        finally:
            app.terminate()
            app.wait(10)
    return 0


def report(when: str, rows: list[dict[str, object]]) -> None:
    print(when)
    for row in rows:
        print(
            f"  pid {row['pid']:>7}  RSS {row['rss']:7.0f} MB  PSS {row['pss']:7.0f} MB  anon {row['anon']:6.0f} MB"
            f"  {','.join(row['loaded']) or '-':<28} {row['command']}"  # type: ignore[arg-type]
        )
    rss = sum(float(r["rss"]) for r in rows)  # type: ignore[arg-type]
    pss = sum(float(r["pss"]) for r in rows)  # type: ignore[arg-type]
    print(f"  all {len(rows)} processes: RSS {rss:.0f} MB, PSS {pss:.0f} MB (target <= 400 MB)")


if __name__ == "__main__":
    raise SystemExit(main())
