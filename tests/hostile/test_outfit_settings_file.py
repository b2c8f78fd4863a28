"""A damaged, planted or huge outfit_settings.json: outfits still work on the defaults, and say so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.conftest import CliRun
from wardrobe_app.services.outfit_settings import REST_RATINGS, SETTINGS_FILE, read_settings, write_settings
from wardrobe_app.services.wardrobe import Wardrobe

DAMAGED = [
    "{not json",
    "5",
    "[1, 2]",
    '"north"',
    "null",
    '{"hemisphere": 5, "rest_ratings": "lots"}',
    '{"hemisphere": "mars", "rest_ratings": -3}',
    '{"rest_ratings": 1e300}',
    '{"rest_ratings": true}',
    '{"hemisphere": ["north"], "rest_ratings": 99999999999999999999}',
    "\udcff",
]


@pytest.mark.parametrize("text", DAMAGED)
def test_damaged_settings_fall_back_to_defaults_and_say_so(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / SETTINGS_FILE).write_bytes(text.encode("utf-8", "surrogateescape"))
    settings = read_settings(data_dir)
    assert settings["hemisphere"] in ("north", "south")
    assert isinstance(settings["rest_ratings"], int) and settings["rest_ratings"] >= 0
    assert "damaged" in settings["problem"]


def test_suggest_works_with_a_damaged_settings_file(small_closet: Wardrobe, data_dir: Path) -> None:
    (data_dir / SETTINGS_FILE).write_text('{"rest_ratings": "lots", "hemisphere": 7}', encoding="utf-8")
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    try:
        wardrobe.suggest("casual", k=3)
        assert "damaged" in wardrobe.outfit_settings()["problem"]
        saved = wardrobe.set_outfit_settings(hemisphere="south")  # writing repairs the file
        assert saved["hemisphere"] == "south" and saved["rest_ratings"] == REST_RATINGS
        assert "problem" not in wardrobe.outfit_settings()
    finally:
        wardrobe.close()


def test_cli_says_the_settings_file_is_damaged(small_closet: Wardrobe, data_dir: Path, run: CliRun) -> None:
    (data_dir / SETTINGS_FILE).write_text("[[[", encoding="utf-8")
    code, out, err = run("settings")
    assert code == 0 and "hemisphere: north" in out and "damaged" in err


def test_a_settings_link_out_of_the_data_dir_is_not_read(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"hemisphere": "south", "rest_ratings": 7}', encoding="utf-8")
    (data_dir / SETTINGS_FILE).symlink_to(outside)
    settings = read_settings(data_dir)
    assert settings["hemisphere"] == "north" and settings["rest_ratings"] == REST_RATINGS
    assert "link" in settings["problem"]
    write_settings(data_dir, hemisphere="south")  # replaces the link itself; the outside file is untouched
    assert not (data_dir / SETTINGS_FILE).is_symlink()
    assert outside.read_text(encoding="utf-8") == '{"hemisphere": "south", "rest_ratings": 7}'


def test_a_planted_partial_link_is_never_written_through(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (data_dir / "outfit_settings.json.partial").symlink_to(victim)
    write_settings(data_dir, hemisphere="south")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert read_settings(data_dir)["hemisphere"] == "south"
    assert (os.stat(data_dir / SETTINGS_FILE).st_mode & 0o777) == 0o600


def test_a_fifo_or_huge_settings_file_does_not_hang_or_load(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    os.mkfifo(data_dir / SETTINGS_FILE)  # reading it would block forever
    assert "damaged" in read_settings(data_dir)["problem"]
    os.unlink(data_dir / SETTINGS_FILE)
    (data_dir / SETTINGS_FILE).write_text('{"rest_ratings": 3, "pad": "' + "x" * 200_000 + '"}', encoding="utf-8")
    settings = read_settings(data_dir)
    assert settings["rest_ratings"] == REST_RATINGS and "bytes" in settings["problem"]
