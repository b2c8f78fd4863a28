"""The ``wardrobe`` command line over a temporary closet: output, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory


def test_add_json_list_show_set_remove(run, photo_factory: PhotoFactory) -> None:  # type: ignore[no-untyped-def]
    red = photo_factory("red.jpg", colour_bgr=(30, 30, 200), seed=1)
    blue = photo_factory("blue.jpg", colour_bgr=(200, 60, 20), seed=2)
    code, out, err = run("add", str(red), str(blue), "--category", "t-shirt", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["category"] for r in rows] == ["t-shirt", "t-shirt"]
    assert set(rows[0]) >= {"id", "category", "group", "confidence", "colours", "photo"}
    assert rows[0]["colours"][0]["name"] == "red" and rows[0]["group"] == "top"

    code, out, _ = run("list", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = run("set", str(rows[1]["id"]), "--category", "skirt")
    assert code == 0 and "skirt" in out
    code, out, _ = run("list", "--group", "middle")
    assert code == 0 and len(out.strip().splitlines()) == 1
    code, out, _ = run("show", str(rows[0]["id"]))
    assert code == 0 and "colour: red" in out
    code, out, _ = run("remove", str(rows[0]["id"]))
    assert code == 0 and "trash" in out
    code, out, err = run("show", str(rows[0]["id"]))
    assert code == 0 and "[in the trash]" in out
    code, out, err = run("trash", "--empty")
    assert code == 0 and "1 item deleted" in out
    code, out, err = run("show", str(rows[0]["id"]))
    assert code == 1 and "no item" in err


def test_bad_file_in_batch_exit_1_others_added(run, photo_factory: PhotoFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = photo_factory("good.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    code, out, err = run("add", str(good), str(empty), "--category", "hat", "--json")
    assert code == 1
    assert "empty.jpg" in err and "empty file" in err
    assert len(out.strip().splitlines()) == 1
    code, out, err = run("add", str(good), "--category", "hat")
    assert code == 0 and "already in the closet" in err


def test_usage_errors_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        run("add")
    assert exc.value.code == 2


def test_unknown_category_is_exit_1(run, photo_factory: PhotoFactory) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("add", str(photo_factory()), "--category", "spacesuit")
    assert code == 1 and "unknown category" in err


def test_empty_closet_says_how_to_start(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("list")
    assert code == 0 and "wardrobe add" in out


def test_export_and_restore(run, photo_factory: PhotoFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("add", str(photo_factory()), "--category", "shoes")
    code, out, _ = run("export", str(tmp_path / "c.zip"))
    assert code == 0 and "exported 1 items" in out
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 nonsense")
    code, _, err = run("restore", str(tmp_path / "bad.zip"))
    assert code == 1 and "archive" in err
    code, out, _ = run("restore", str(tmp_path / "c.zip"))
    assert code == 0 and "restored 1 items" in out
