"""`wardrobe set --brand/--tag/--untag`, `remove` (to the trash), `trash [--json|--empty]`, `restore ID`,
`search`, with bad input: a clear message, exit 1 or 2, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.unit.conftest import CliRun
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.fixture
def ids(data_dir: Path, photo_factory: PhotoFactory) -> dict[str, int]:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        return {
            c: wardrobe.add_photo(photo_factory(f"{c}.jpg", seed=n), category=c).id
            for n, c in enumerate(("jeans", "t-shirt", "sneakers"))
        }


def _item(data_dir: Path, item_id: int) -> object:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        return wardrobe.find(item_id)


def test_set_brand_and_tags(run: CliRun, ids: dict[str, int], data_dir: Path) -> None:
    jeans = str(ids["jeans"])
    code, out, err = run("set", jeans, "--brand", "Levi's", "--tag", "Weekend", "--tag", "gift", "--name", "Old 501")
    assert code == 0, err
    code, out, _ = run("show", jeans)
    assert "brand: Levi's" in out and "tags: gift, weekend" in out
    code, out, _ = run("set", jeans, "--untag", "gift", "--tag", "travel")
    code, out, _ = run("show", jeans)
    assert "tags: travel, weekend" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["set", "999", "--brand", "x"], 1, "no item 999"),
        (["set", "{jeans}", "--tag", "a,b"], 1, "comma"),
        (["set", "{jeans}", "--tag", "x" * 41], 1, "at most 40"),
        (["set", "{jeans}", "--brand", "b" * 101, "--name", "ok"], 1, "at most 100"),
        (["set", "{jeans}", "--formality", "9"], 2, "invalid choice"),
        (["set", "{jeans}", "--price", "-3", "--tag", "fine"], 1, "price"),
        (["remove", "{jeans}", "999"], 1, "no item 999"),
        (["restore", "999"], 1, "no item 999"),
        (["restore", "{jeans}"], 1, "not in the trash"),
        (["restore", "1", "x.zip"], 2, "one FILE.zip"),
    ],
)
def test_bad_input_changes_nothing(
    run: CliRun, ids: dict[str, int], data_dir: Path, args: list[str], code: int, message: str
) -> None:
    before = {i: _item(data_dir, i) for i in ids.values()}
    if code == 2 and args[0] == "set":
        with pytest.raises(SystemExit) as caught:
            run(*[a.format(**ids) for a in args])
        assert caught.value.code == 2
        return
    got, _, err = run(*[a.format(**ids) for a in args])
    assert got == code and message in err
    assert {i: _item(data_dir, i) for i in ids.values()} == before


def test_remove_trash_restore_and_empty(run: CliRun, ids: dict[str, int], data_dir: Path) -> None:
    jeans, tee = str(ids["jeans"]), str(ids["t-shirt"])
    code, out, _ = run("trash")
    assert code == 0 and "The trash is empty." in out
    code, out, _ = run("remove", jeans, tee)
    assert code == 0 and out.count("to the trash") == 2
    code, out, _ = run("list", "--json")
    assert [row["id"] for row in json.loads(out)] == [ids["sneakers"]]
    code, out, _ = run("trash", "--json")
    rows = json.loads(out)
    assert {row["id"] for row in rows} == {ids["jeans"], ids["t-shirt"]} and all(r["trashed_at"] for r in rows)
    code, out, err = run("set", jeans, "--name", "x")
    assert code == 1 and "in the trash" in err
    code, out, _ = run("restore", jeans)
    assert code == 0 and f"restored item {jeans}" in out
    code, out, _ = run("trash", "--empty")
    assert code == 0 and "1 item deleted" in out
    code, out, _ = run("list", "--json")
    assert {row["id"] for row in json.loads(out)} == {ids["jeans"], ids["sneakers"]}
    code, _, err = run("restore", tee)
    assert code == 1 and f"no item {tee}" in err


def test_search_with_synonyms(run: CliRun, ids: dict[str, int]) -> None:
    code, out, _ = run("search", "denim", "--json")
    assert code == 0 and [row["id"] for row in json.loads(out)] == [ids["jeans"]]
    code, out, _ = run("search", "tee")
    assert str(ids["t-shirt"]) in out and "jeans" not in out
    code, out, _ = run("search", "trainers", "--json")
    assert [row["id"] for row in json.loads(out)] == [ids["sneakers"]]
    code, out, err = run("search", "ballgown")
    assert code == 0 and out == "" and "No items match 'ballgown'" in err


def test_restore_still_restores_an_archive(run: CliRun, ids: dict[str, int], tmp_path: Path) -> None:
    code, _, _ = run("export", str(tmp_path / "c.zip"))
    assert code == 0
    run("remove", str(ids["jeans"]))
    code, out, _ = run("restore", str(tmp_path / "c.zip"))
    assert code == 0 and "restored 3 items" in out


def test_human_output_says_outerwear_json_keeps_the_stored_word(
    run: CliRun, data_dir: Path, photo_factory: PhotoFactory
) -> None:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        wardrobe.add_photo(photo_factory("coat.jpg", seed=7), category="outwear")
    code, out, err = run("list")
    assert code == 0, err
    assert "outerwear" in out and "outwear" not in out
    code, out, _ = run("search", "outerwear")
    assert code == 0 and "outerwear" in out and "outwear" not in out
    code, out, _ = run("stats")
    assert code == 0 and "1 item, 0 outfits worn" in out and "outerwear 1 (0 wears)" in out and "outwear" not in out
    code, out, _ = run("search", "coat", "--json")
    assert code == 0 and json.loads(out)[0]["category"] == "outwear"  # the machine interface keeps its value
