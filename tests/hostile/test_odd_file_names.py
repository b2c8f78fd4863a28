"""File names that are not valid UTF-8 (or hold control characters) never abort an import or a print."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import cv2
import pytest

from tests.conftest import draw_garment
from wardrobe_app.domain.names import printable
from wardrobe_app.services.wardrobe import Wardrobe

LATIN1 = b"caf\xe9.jpg"  # "café.jpg" written by a Latin-1 system: not UTF-8
ESCAPE = b"x\x1b[2Jy.jpg"  # a terminal escape in the name


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "odd"
    folder.mkdir()
    for n, name in enumerate((b"a.jpg", LATIN1, ESCAPE, b"z.jpg")):
        ok, encoded = cv2.imencode(".jpg", draw_garment(seed=60 + n))
        assert ok
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(encoded.tobytes())
    with open(os.path.join(os.fsencode(folder), b"bro\xffken.jpg"), "wb") as handle:
        handle.write(b"not a photo")
    return folder


def test_printable_names() -> None:
    assert printable(os.fsdecode(LATIN1)) == "caf\\xe9.jpg"
    assert printable(os.fsdecode(ESCAPE)) == "x\\x1b[2Jy.jpg"
    assert printable("衣橱 zoë.jpg") == "衣橱 zoë.jpg"
    assert printable("\ud800") == "\\ud800"


def test_a_folder_with_undecodable_names_imports_whole(data_dir: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        results = wardrobe.add_photos([folder])
        assert sum(r.ok for r in results) == 4
        (broken,) = [r for r in results if not r.ok]
        assert broken.path.endswith("bro\\xffken.jpg") and broken.error
        names = sorted(i.source_name or "" for i in wardrobe.items())
        assert names == ["a.jpg", "caf\\xe9.jpg", "x\\x1b[2Jy.jpg", "z.jpg"]
        for result in results:
            result.path.encode("utf-8")  # storable and printable as it is


def test_a_catalogue_folder_with_undecodable_names(data_dir: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        report = wardrobe.import_catalogue("Odd", folder)
        assert report.added == 4 and len(report.failed) == 1
        assert all(path.encode("utf-8") for path, _ in report.failed)


@pytest.mark.parametrize("command", ["add", "catalogue"])
def test_the_cli_prints_such_names_escaped(data_dir: Path, tmp_path: Path, command: str) -> None:
    folder = _folder(tmp_path)
    args = ["add", str(folder)] if command == "add" else ["catalogue", "import", "Odd", str(folder)]
    env = {**os.environ, "WARDROBE_CLASSIFIER": "none", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "wardrobe_app", "--data-dir", str(data_dir), *args],
        capture_output=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert "bro\\xffken.jpg" in err and "\x1b" not in err + done.stdout.decode("utf-8")
    assert done.returncode == (1 if command == "add" else 0)  # add: one file failed; catalogue: the import worked
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        if command == "add":
            assert len(wardrobe.items()) == 4
        else:
            assert wardrobe.catalogues()[0].items == 4


def test_printing_a_raw_surrogate_never_crashes(run: Any, tmp_path: Path) -> None:
    odd = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"gone\xe9.jpg"))
    code, _, err = run("add", odd)
    assert code == 1 and "gone" in err
