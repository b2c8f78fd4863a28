"""A blank data folder (``--data-dir ""`` from an unset shell variable, a variable holding a space)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wardrobe_app.domain import DataDirError
from wardrobe_app.services.data_dir import ENV_VAR
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.mark.parametrize("blank", ["", " ", "\t", "\n"])
def test_a_blank_data_dir_is_refused_and_nothing_is_made(
    blank: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: ``--data-dir "$CLOSET"`` with CLOSET unset opened a closet in the current folder (the home folder,
    say), laying a database and four item folders among the person's files; a space made a folder named " "."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataDirError, match="empty"):
        Wardrobe.open(blank, classifier="none")
    monkeypatch.setenv(ENV_VAR, blank)
    if blank:  # an empty variable is an unset one (the default folder); one of blanks is a mistake
        with pytest.raises(DataDirError, match="empty"):
            Wardrobe.open(classifier="none")
    assert os.listdir(tmp_path) == []


def test_the_cli_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from wardrobe_app.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", "", "list"]) == 1
    assert "empty" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_a_relative_data_dir_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Wardrobe.open("closet", classifier="none") as wardrobe:
        assert wardrobe.data_dir == tmp_path / "closet"
