"""A kill -9 in the middle of a batch import leaves a consistent closet; re-running completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from wardrobe_app.services.wardrobe import Wardrobe

IMPORT_SCRIPT = """
import sys
from wardrobe_app.services.wardrobe import Wardrobe
w = Wardrobe.open(sys.argv[1], classifier="none")
w.add_photos([sys.argv[2]], category="t-shirt", progress=lambda d, t, p: print(d, flush=True))
print("finished", flush=True)
"""


@pytest.mark.slow
def test_kill_during_batch_import(tmp_path: Path, photo_factory: PhotoFactory) -> None:
    paths = [photo_factory(f"batch/{i:02d}.jpg", seed=i, colour_bgr=(10 * i, 80, 160)) for i in range(12)]
    folder = paths[0].parent
    data_dir = tmp_path / "data"
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [sys.executable, "-c", IMPORT_SCRIPT, str(data_dir), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line or line.strip() == "finished":
            break
        if int(line) >= 4:  # the fifth photo is being imported right now
            time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"

    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        items = wardrobe.items()
        assert 3 <= len(items) < len(paths)
        for item in items:  # every row points at existing files
            for path in (item.photo_path, item.cutout_path, item.thumb_path, item.mask_path):
                assert path is not None and Path(path).is_file()
        referenced = wardrobe.referenced_files()
        assert set(wardrobe.files.all_files()) == referenced  # no orphans left behind

        results = wardrobe.add_photos([folder], category="t-shirt")
        added = [r for r in results if r.ok]
        skipped = [r for r in results if r.duplicate_of is not None]
        assert len(added) == len(paths) - len(items)
        assert len(skipped) == len(items)
        assert len(wardrobe.items()) == len(paths)
        assert len({i.content_hash for i in wardrobe.items()}) == len(paths)
