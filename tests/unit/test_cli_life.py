"""`wardrobe cleanout` and `wardrobe pack` on a small drawn closet, good and bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.unit.conftest import CliRun
from tests.unit.services.drawn_closet import draw
from wardrobe_app.db.tables import CleanoutDismissalRow
from wardrobe_app.services.wardrobe import Wardrobe

CLOSET = [
    ("shirt", "white"),
    ("shirt", "blue"),
    ("t-shirt", "red"),
    ("trousers", "navy"),
    ("jeans", "blue"),
    ("sneakers", "white"),
    ("formal shoes", "black"),
]


@pytest.fixture
def closet(data_dir: Path) -> dict[str, list[int]]:
    """The drawn closet; the blue shirt and jeans were last worn 400 days ago, the rest lately."""
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        ids = draw(wardrobe, CLOSET)
        diary, today = wardrobe._diary(), date.today()
        diary.record([ids["shirt"][1], ids["jeans"][0], ids["sneakers"][0]], today - timedelta(days=400), "casual")
        diary.record([ids["shirt"][0], ids["trousers"][0], ids["formal shoes"][0]], today - timedelta(days=3), "work")
        diary.record([ids["t-shirt"][0], ids["trousers"][0], ids["sneakers"][0]], today - timedelta(days=1), "casual")
    return ids


def dismissed(data_dir: Path) -> int:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe, wardrobe.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(CleanoutDismissalRow)) or 0)


def test_cleanout_lists_reasons_and_dismiss_is_kept(run: CliRun, data_dir: Path, closet: dict[str, list[int]]) -> None:
    code, out, err = run("cleanout", "--json")
    assert code == 0, err
    found = {c["id"]: c for c in json.loads(out)}
    blue_shirt, jeans = closet["shirt"][1], closet["jeans"][0]
    assert set(found) == {blue_shirt, jeans}  # worn 400 days ago; the rest lately (sneakers too)
    assert found[blue_shirt]["reasons"][0]["kind"] == "unworn"
    assert "not worn in 12 months" in found[blue_shirt]["reasons"][0]["text"]
    code, out, _ = run("cleanout", "--months", "24")
    assert code == 0 and "Nothing to clean out" in out
    code, out, _ = run("cleanout")
    assert code == 0 and "2 items you could donate or sell" in out and "not worn in 12 months" in out

    code, out, err = run("cleanout", "--dismiss", str(blue_shirt))
    assert code == 0 and "keeping blue shirt" in out, err
    code, out, _ = run("cleanout", "--json")
    assert [c["id"] for c in json.loads(out)] == [jeans]  # the kept item does not come back
    code, _, _ = run("cleanout", "--dismiss", str(blue_shirt))  # again: nothing new, no error
    assert code == 0 and dismissed(data_dir) == 1


def test_cleanout_bad_input_changes_nothing(run: CliRun, data_dir: Path, closet: dict[str, list[int]]) -> None:
    code, _, err = run("cleanout", "--dismiss", str(closet["jeans"][0]), "4242")
    assert code == 1 and "4242" in err
    assert dismissed(data_dir) == 0  # all or nothing: the jeans were not kept either
    code, _, err = run("cleanout", "--months", "0")
    assert code == 1 and "from 1 to 120 months" in err
    with pytest.raises(SystemExit) as refused:
        run("cleanout", "--months", "soon")
    assert refused.value.code == 2


def test_pack_covers_every_day_with_few_items(run: CliRun, closet: dict[str, list[int]], tmp_path: Path) -> None:
    code, out, err = run("pack", "--days", "4", "--occasions", "casual", "--json")
    assert code == 0, err
    plan = json.loads(out)
    days = [tuple(sorted(d["items"])) for d in plan["days"]]
    assert len(days) == 4 and len(set(days)) == 4  # a different outfit every day
    packed = {i["id"] for i in plan["items"]}
    assert set().union(*map(set, days)) == packed  # the list is exactly what the days wear
    assert len(packed) <= plan["greedy_items"]
    assert all(d["occasion"] == "casual" for d in plan["days"])

    target = tmp_path / "trip.txt"
    code, out, _ = run("pack", "--occasions", "work:1,casual:2", "--output", str(target))
    assert code == 0 and "day 1 (work)" in out and "day 3 (casual)" in out and "greedy baseline" in out
    assert target.read_text(encoding="utf-8").startswith("Packing list for 3 days")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "3", "--occasions", "holiday"], "holiday"),
        (["--days", "0", "--occasions", "casual"], "from 1 to 60 days"),
        (["--occasions", "casual"], "how many days"),
        (["--days", "3", "--occasions", "casual", "--weather", "stormy"], "stormy"),
        (["--days", "5", "--occasions", "work:1,casual:2"], "count 3 days"),
        (["--days", "40", "--occasions", "formal"], "good outfit"),
    ],
)
def test_pack_bad_input_says_why(run: CliRun, closet: dict[str, list[int]], args: list[str], message: str) -> None:
    code, out, err = run("pack", *args)
    assert code == 1 and message in err and out == ""


def test_pack_days_not_a_number_is_a_usage_error(run: CliRun, closet: dict[str, list[int]]) -> None:
    with pytest.raises(SystemExit) as refused:
        run("pack", "--days", "a week", "--occasions", "casual")
    assert refused.value.code == 2
