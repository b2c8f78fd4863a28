"""Fixtures of the unit tests: the ``wardrobe`` command line run in-process on a temporary closet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wardrobe_app.cli import main

CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRun:
    """``run("list", "--json")`` -> (exit code, stdout, stderr), without the garment classifier."""
    monkeypatch.setenv("WARDROBE_CLASSIFIER", "none")  # no TensorFlow in these tests

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
