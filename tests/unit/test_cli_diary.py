"""`wardrobe wore`, `log`, `plan`, `status`, `list --status` and `laundry-rule` on a small drawn closet."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import cv2
import pytest
from sqlalchemy import func, select

from tests.conftest import draw_garment
from tests.unit.conftest import CliRun
from wardrobe_app.db.tables import FeedbackRow, WearEntryRow
from wardrobe_app.services.wardrobe import Wardrobe

CLOSET = [  # category, BGR colour, shape
    ("shirt", (245, 245, 245), "shirt"),
    ("t-shirt", (40, 40, 210), "shirt"),
    ("trousers", (90, 30, 15), "ellipse"),
    ("jeans", (160, 90, 40), "ellipse"),
    ("sneakers", (240, 240, 240), "ellipse"),
    ("formal shoes", (15, 15, 15), "ellipse"),
    ("hat", (30, 160, 30), "ellipse"),
]


@pytest.fixture(scope="module")
def drawn_closet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The closet drawn once per module (cutting out photos is the slow part); each test gets a copy."""
    folder = tmp_path_factory.mktemp("diary-closet")
    photos = folder / "photos"
    photos.mkdir()
    ids = {}
    with Wardrobe.open(folder / "data", classifier="none") as wardrobe:
        for n, (category, colour, shape) in enumerate(CLOSET):
            path = photos / f"{category}.jpg"
            cv2.imwrite(str(path), draw_garment(colour_bgr=colour, seed=n, shape=shape))
            ids[category] = wardrobe.add_photo(path, category=category).id
    return folder / "data", ids


@pytest.fixture
def closet(data_dir: Path, drawn_closet: tuple[Path, dict[str, int]]) -> dict[str, int]:
    shutil.copytree(drawn_closet[0], data_dir, dirs_exist_ok=True)
    return drawn_closet[1]


def counts(data_dir: Path) -> tuple[int, int]:
    """(diary entries, ratings) in the closet."""
    with Wardrobe.open(data_dir, classifier="none") as wardrobe, wardrobe.sessions() as session:
        return (
            int(session.scalar(select(func.count()).select_from(WearEntryRow)) or 0),
            int(session.scalar(select(func.count()).select_from(FeedbackRow)) or 0),
        )


def test_wore_logs_dated_entries_and_rates(run: CliRun, data_dir: Path, closet: dict[str, int]) -> None:
    outfit = [closet["shirt"], closet["trousers"], closet["formal shoes"], closet["hat"]]
    code, out, err = run("wore", *map(str, outfit), "--date", "2026-03-14", "--occasion", "work", "--json")
    assert code == 0, err
    entry = json.loads(out)
    assert (entry["date"], entry["occasion"], entry["kind"], entry["items"]) == ("2026-03-14", "work", "worn", outfit)
    code, out, _ = run("wore", str(closet["t-shirt"]), str(closet["jeans"]), str(closet["sneakers"]))
    assert code == 0 and out.startswith("wore: " + date.today().isoformat()) and "casual" in out
    assert counts(data_dir) == (2, 2)  # two entries, and each outfit rated "wore" (the hat is not rated)

    code, out, _ = run("log", "--json")
    logged = json.loads(out)
    assert [e["date"] for e in logged] == ["2026-03-14", date.today().isoformat()]
    assert logged[0]["labels"][0] == "white shirt" or logged[0]["labels"][0].endswith("shirt")
    code, out, _ = run("log", "--from", "2026-03-01", "--to", "2026-03-31", "--json")
    assert [e["id"] for e in json.loads(out)] == [logged[0]["id"]]
    code, out, _ = run("log", "--from", "2026-03-01", "--to", "2026-03-31")
    assert code == 0 and "2026-03-14  worn" in out and f"({closet['hat']})" in out
    code, out, _ = run("log", "--to", "2020-01-01")
    assert code == 0 and "Nothing in the diary" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["wore", "999", "--date", "2026-03-14"], "no item 999"),
        (["wore", "SHIRT", "TROUSERS", "SHOES", "--date", "2026-02-30"], "not a date"),
        (["wore", "SHIRT", "TROUSERS", "SHOES", "--date", "yesterday"], "YYYY-MM-DD"),
        (["wore", "SHIRT", "TROUSERS", "SHOES", "--occasion", "wedding"], "unknown occasion"),
        (["wore", "SHIRT", "TROUSERS", "SHOES", "--date", "2999-01-01"], "in the future"),
        (["wore", "SHIRT", "TSHIRT", "SHOES"], "slot is taken"),
        (["plan", "2026-13-01", "--occasion", "work"], "not a date"),
        (["plan", "2999-01-01", "--occasion", "wedding"], "unknown occasion"),
        (["plan", "2999-01-01", "--occasion", "work", "--with", "999"], "no item 999"),
        (["plan", "2000-01-01", "--occasion", "work"], "past"),
        (["status", "SHIRT", "999", "laundry"], "no item 999"),
        (["status", "SHIRT", "dirty"], "unknown status 'dirty'"),
        (["log", "--from", "2026-02-31"], "not a date"),
        (["laundry-rule", "spacesuit", "3"], "unknown category"),
        (["laundry-rule", "shirt", "0"], "from 1 to"),
    ],
)
def test_bad_input_changes_nothing(
    run: CliRun, data_dir: Path, closet: dict[str, int], args: list[str], message: str
) -> None:
    names = {
        "SHIRT": closet["shirt"],
        "TSHIRT": closet["t-shirt"],
        "TROUSERS": closet["trousers"],
        "SHOES": closet["formal shoes"],
    }
    code, out, err = run(*[str(names.get(a, a)) for a in args])
    assert code in (1, 2) and message in err and "Traceback" not in err
    assert counts(data_dir) == (0, 0)
    code, out, _ = run("list", "--json")
    assert {i["status"] for i in json.loads(out)} == {"available"}
    assert run("laundry-rule")[1].startswith("No laundry rules")


def test_plan_then_wear_the_plan(run: CliRun, data_dir: Path, closet: dict[str, int]) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    code, out, err = run("plan", tomorrow, "--occasion", "work", "--json")
    assert code == 0, err
    planned = json.loads(out)
    assert planned["kind"] == "planned" and planned["date"] == tomorrow and planned["reasons"]
    assert planned["items"][-1] == closet["formal shoes"]  # the best work outfit, as `suggest` ranks it
    code, out, _ = run("suggest", "--occasion", "work", "--top", "1", "--json")
    best = json.loads(out)[0]
    assert {best[s] for s in ("top", "middle", "bottom")} == set(planned["items"])

    # the next day gets another outfit than the one planned the day before
    after = (date.today() + timedelta(days=2)).isoformat()
    code, out, _ = run("plan", after, "--occasion", "work", "--with", str(closet["jeans"]), "--json")
    second = json.loads(out)
    assert closet["jeans"] in second["items"] and set(second["items"]) != set(planned["items"])
    assert counts(data_dir) == (2, 0)  # plans are not ratings

    today = date.today().isoformat()
    code, out, _ = run("plan", today, "--occasion", "casual", "--json")
    plan_today = json.loads(out)
    code, out, _ = run("wore", *map(str, plan_today["items"]), "--occasion", "casual")
    assert code == 0 and out.startswith("wore the plan: ")
    code, out, _ = run("log", "--from", today, "--to", today, "--json")
    entries = json.loads(out)
    assert [(e["id"], e["kind"]) for e in entries] == [(plan_today["id"], "worn")]  # the plan became the entry
    assert counts(data_dir) == (3, 1)


def test_status_leaves_items_out_of_suggestions_and_plans(run: CliRun, data_dir: Path, closet: dict[str, int]) -> None:
    code, out, err = run("status", str(closet["formal shoes"]), str(closet["trousers"]), "laundry")
    assert code == 0 and "in the laundry" in out, err
    code, out, _ = run("list", "--status", "laundry", "--json")
    assert sorted(i["id"] for i in json.loads(out)) == sorted([closet["formal shoes"], closet["trousers"]])
    code, out, _ = run("list", "--status", "available")
    assert "[laundry]" not in out and f"{closet['shirt']:>5}" in out
    code, out, _ = run("list")
    assert out.count("[laundry]") == 2
    with pytest.raises(SystemExit) as refused:
        run("list", "--status", "dirty")
    assert refused.value.code == 2

    code, out, _ = run("suggest", "--occasion", "work", "--top", "10", "--json")
    used = {i for o in json.loads(out) for i in (o["top"], o["middle"], o["bottom"])}
    assert used and not used & {closet["formal shoes"], closet["trousers"]}
    code, out, err = run("suggest", "--occasion", "work", "--with", str(closet["trousers"]))
    assert code == 1 and "in the laundry" in err and f"status {closet['trousers']} available" in err
    code, out, _ = run("plan", date.today().isoformat(), "--occasion", "work", "--json")
    assert not set(json.loads(out)["items"]) & {closet["formal shoes"], closet["trousers"]}

    # worn items in the laundry can still be logged (a past day); back from the wash they are suggested again
    assert (
        run("wore", str(closet["shirt"]), str(closet["trousers"]), str(closet["formal shoes"]), "--date", "2026-01-05")[
            0
        ]
        == 0
    )
    assert run("status", str(closet["formal shoes"]), str(closet["trousers"]), "available")[0] == 0
    code, out, _ = run("suggest", "--occasion", "work", "--top", "10", "--json")
    assert closet["formal shoes"] in {o["bottom"] for o in json.loads(out)}


def test_laundry_rule_sends_items_to_the_wash(run: CliRun, data_dir: Path, closet: dict[str, int]) -> None:
    code, out, _ = run("laundry-rule", "jeans", "2")
    assert code == 0 and "jeans" in out and "after 2 wears" in out
    outfit = [str(closet["t-shirt"]), str(closet["jeans"]), str(closet["sneakers"])]
    code, out, err = run("wore", *outfit, "--date", "2026-01-01")
    assert code == 0 and "laundry" not in err
    code, out, err = run("wore", *outfit, "--date", "2026-01-02", "--json")
    assert json.loads(out)["to_laundry"] == [closet["jeans"]] and "goes to the laundry" in err
    code, out, _ = run("list", "--status", "laundry", "--json")
    assert [i["id"] for i in json.loads(out)] == [closet["jeans"]]
    # washed: counts afresh (one wear is not yet two)
    run("status", str(closet["jeans"]), "available")
    code, out, _ = run("wore", *outfit, "--date", "2026-01-03", "--json")
    assert json.loads(out)["to_laundry"] == []
    code, out, _ = run("laundry-rule", "jeans", "off")
    assert code == 0 and "No laundry rules" in out


def test_stats_command_counts_the_diary(run: CliRun, data_dir: Path, closet: dict[str, int], tmp_path: Path) -> None:
    shirt, trousers, shoes, jeans = closet["shirt"], closet["trousers"], closet["formal shoes"], closet["jeans"]
    assert run("set", str(shirt), "--price", "60", "--purchased", "2025-09-01")[0] == 0
    assert run("set", str(jeans), "--price", "80.5")[0] == 0
    code, out, _ = run("show", str(shirt))
    assert "price: 60.0" in out and "purchased_on: 2025-09-01" in out
    code, out, _ = run("show", str(shirt), "--json")
    assert (json.loads(out)["price"], json.loads(out)["purchased_on"]) == (60.0, "2025-09-01")
    for day in ("2026-01-01", "2026-01-08", "2026-01-15"):
        assert run("wore", str(shirt), str(trousers), str(shoes), "--date", day, "--occasion", "work")[0] == 0
    run("plan", (date.today() + timedelta(days=1)).isoformat(), "--occasion", "work")  # plans are not wears

    code, out, err = run("stats", "--json", "--png", str(tmp_path / "plots"))
    assert code == 0, err
    stats = json.loads(out)
    wears = {i["id"]: i["wears"] for i in stats["items"]}
    assert wears[shirt] == wears[trousers] == wears[shoes] == 3 and wears[jeans] == 0
    assert stats["outfits_worn"] == 3 and stats["from"] == "2026-01-01" and stats["to"] == "2026-01-15"
    cost = {i["id"]: i["cost_per_wear"] for i in stats["items"]}
    assert cost[shirt] == 20.0 and cost[jeans] == 80.5 and cost[trousers] is None
    assert stats["best_value"] == [shirt] and stats["worst_value"] == [jeans, shirt]
    assert jeans in stats["never_worn"] and closet["hat"] in stats["never_worn"]
    assert abs(sum(c["share"] for c in stats["colour_mix"]) - 1) < 1e-3
    assert {c["category"] for c in stats["categories"]} == {c for c, _, _ in CLOSET}
    assert sorted(Path(p).name for p in stats["png"]) == [
        "categories.png",
        "colours.png",
        "cost_per_wear.png",
        "wears.png",
    ]
    code, out, _ = run("stats")
    assert code == 0 and "3 outfits worn from 2026-01-01 to 2026-01-15" in out and "20.00 per wear" in out


def test_set_price_and_purchase_date_refuse_bad_values(run: CliRun, closet: dict[str, int]) -> None:
    shirt = str(closet["shirt"])
    for args, message in (
        (["--price", "cheap"], "price 'cheap'"),
        (["--price", "-3"], "from 0"),
        (["--purchased", "2026-02-30"], "not a date"),
        (["--purchased", "2999-01-01"], "future"),
        (["--price", "5", "--purchased", "soon"], "not a date"),
    ):
        code, _, err = run("set", shirt, *args)
        assert code == 1 and message in err, (args, err)
    code, out, _ = run("show", shirt, "--json")
    assert json.loads(out)["price"] is None and json.loads(out)["purchased_on"] is None
    code, out, _ = run("show", shirt)
    assert "price:" not in out and "purchased_on" not in out


def test_plan_when_the_only_outfit_is_resting_takes_it_rather_than_nothing(wardrobe, photo_factory) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    ids = [
        wardrobe.add_photo(photo_factory(f"{c}.jpg", seed=n, colour_bgr=(30 + 60 * n, 60, 120)), category=c).id
        for n, c in enumerate(("shirt", "jeans", "sneakers"))
    ]
    wardrobe.wear(ids, "casual", date.today())  # worn today: it rests
    planned = wardrobe.plan(date.today() + timedelta(days=1), "casual").entry
    assert sorted(planned.item_ids) == sorted(ids)
