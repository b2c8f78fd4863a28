"""Outfits through the facade and the CLI: shapes, rules, weather, learning that behaves, reset, undo."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.unit.services.drawn_closet import draw
from wardrobe_app.cli import main
from wardrobe_app.db.tables import FeedbackRow, RankerVersionRow
from wardrobe_app.domain import CannotMakeOutfitError, Outfit, UnknownOccasionError, UnsafePathError, WardrobeError
from wardrobe_app.recommend.personal import prior_taste
from wardrobe_app.recommend.pieces import LAYER_CATEGORIES

CLOSET = [
    ("shirt", "white"),
    ("shirt", "blue"),
    ("t-shirt", "red"),
    ("t-shirt", "black"),
    ("longsleeve", "grey"),
    ("blouse", "pink"),
    ("sweater", "burgundy"),
    ("polo", "green"),
    ("blazer", "navy"),
    ("coat", "black"),
    ("jacket", "brown"),
    ("cardigan", "beige"),
    ("hoodie", "grey"),
    ("trousers", "navy"),
    ("trousers", "black"),
    ("jeans", "blue"),
    ("chinos", "beige"),
    ("shorts", "yellow"),
    ("skirt", "black"),
    ("dress", "black"),
    ("dress", "red"),
    ("formal shoes", "black"),
    ("sneakers", "white"),
    ("boots", "brown"),
    ("sandals", "beige"),
    ("slippers", "grey"),
    ("loafers", "brown"),
    ("hat", "beige"),
    ("bag", "black"),
    ("belt", "brown"),
    ("scarf", "red"),
]


@pytest.fixture
def closet(wardrobe):  # type: ignore[no-untyped-def]
    ids = draw(wardrobe, CLOSET)
    return wardrobe, ids


def categories(wardrobe, outfit: Outfit) -> dict[str, str]:  # type: ignore[no-untyped-def]
    items = {i.id: i.category for i in wardrobe.items()}
    return {
        s: items[getattr(outfit, s)]
        for s in ("top", "layer", "middle", "full", "bottom", "accessory")
        if getattr(outfit, s) is not None
    }


def count(wardrobe, table) -> int:  # type: ignore[no-untyped-def]
    with wardrobe.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)))


def test_outfits_are_dressed_as_people_dress(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    for occasion in ("casual", "work", "party"):
        for weather in ("cold", "mild", None):
            outfits = wardrobe.suggest(occasion, k=6, weather=weather, explore=False)
            assert outfits
            for outfit in outfits:
                cats = categories(wardrobe, outfit)
                assert "bottom" in cats
                assert ("full" in cats) != ("top" in cats and "middle" in cats)
                assert cats.get("top") not in LAYER_CATEGORIES  # a jacket is never the only top
                assert "layer" not in cats or cats["layer"] in LAYER_CATEGORIES
    cold = wardrobe.suggest("casual", k=6, weather="cold", explore=False)
    assert sum(o.layer is not None for o in cold) >= 4  # layers when it is cold
    assert any(o.accessory is not None for o in cold)
    assert [o.score for o in cold] == sorted((o.score for o in cold), reverse=True)


def test_slippers_stay_at_home(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = closet
    slippers = ids["slippers"][0]
    for occasion in ("work", "formal", "party", "date", "sport"):
        shown = [o for page in range(3) for o in wardrobe.suggest(occasion, k=8, explore=False)]
        assert all(o.bottom != slippers for o in shown)


def test_weather_and_season(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = closet
    hot = [categories(wardrobe, o) for o in wardrobe.suggest("casual", k=8, weather="hot", explore=False)]
    assert hot and not any(
        c.get("layer") in ("coat", "hoodie", "cardigan", "jacket") or c["bottom"] == "boots" for c in hot
    )
    for weather in ("cold", "mild", "4", "12 °C"):
        shown = [categories(wardrobe, o) for o in wardrobe.suggest("casual", k=8, weather=weather, explore=False)]
        assert not any(c.get("middle") == "shorts" or c["bottom"] == "sandals" for c in shown)
    cold = [categories(wardrobe, o) for o in wardrobe.suggest("casual", k=8, weather="2", explore=False)]
    assert not any(c.get("layer") is None and c.get("full") is None for c in cold[:3])
    with pytest.raises(WardrobeError, match="unknown weather"):
        wardrobe.suggest("casual", weather="stormy")
    wardrobe.update_item(ids["sneakers"][0], season="winter")  # the user's own season for an item
    july = wardrobe.suggest("casual", k=8, explore=False, when=date(2026, 7, 10))
    assert all(o.bottom != ids["sneakers"][0] for o in july)
    january = wardrobe.suggest("casual", k=8, explore=False, when=date(2026, 1, 10))
    assert any(o.bottom == ids["sneakers"][0] for o in january)


def test_quality_floor_shows_fewer_and_says_what_is_missing(wardrobe) -> None:  # type: ignore[no-untyped-def]
    draw(
        wardrobe,
        [
            ("t-shirt", "red"),
            ("t-shirt", "yellow"),
            ("hoodie", "green"),
            ("jeans", "blue"),
            ("shorts", "yellow"),
            ("sneakers", "white"),
            ("flip-flops", "pink"),
        ],
    )
    board = wardrobe.suggestions("formal", k=5, explore=False)
    assert len(board.outfits) < 5
    assert board.missing and "formal shoes" in board.missing[0] and "suits formal" in board.missing[0]
    casual = wardrobe.suggestions("casual", k=3, explore=False)
    assert len(casual.outfits) == 3 and not casual.missing
    with pytest.raises(CannotMakeOutfitError, match="no shoes"):
        for item in wardrobe.items(group="bottom"):
            wardrobe.update_item(item.id, archived=True)
        wardrobe.suggest("casual")


def test_formal_without_formal_shoes_names_them(wardrobe) -> None:  # type: ignore[no-untyped-def]
    draw(
        wardrobe,
        [
            ("shirt", "white"),
            ("shirt", "blue"),
            ("trousers", "black"),
            ("trousers", "navy"),
            ("sneakers", "white"),
            ("sandals", "beige"),
        ],
    )
    board = wardrobe.suggestions("formal", k=5, explore=False)
    assert len(board.outfits) < 5
    assert board.missing[0].startswith("no formal shoes: a pair of ")
    assert "formal outfits" in board.missing[0]


def test_dislikes_stick_latest_rating_wins_and_undo(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    first = wardrobe.suggest("work", k=5)
    wardrobe.feedback(first[0], "work", liked=False)
    for _ in range(4):
        assert all(o.item_ids != first[0].item_ids for o in wardrobe.suggest("work", k=8))
    change = wardrobe.feedback(first[1], "work", liked=False)
    change = wardrobe.feedback(first[1], "work", liked=True)  # changed their mind: the like wins
    with wardrobe.sessions() as session:
        rows = session.scalars(select(FeedbackRow).order_by(FeedbackRow.id)).all()
        assert [(r.rating, r.source) for r in rows] == [(0.0, "dislike"), (1.0, "like")]
    feedback_id = int(change.notes[0].split()[1])
    assert wardrobe.undo_feedback(feedback_id).notes == (f"undone feedback {feedback_id}",)
    assert count(wardrobe, FeedbackRow) == 1
    with pytest.raises(WardrobeError):
        wardrobe.undo_feedback(feedback_id)


def test_liked_outfits_rest_then_come_back(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    (wardrobe.data_dir / "outfit_settings.json").write_text(json.dumps({"rest_ratings": 6}))
    board = wardrobe.suggest("casual", k=3, explore=False)
    for outfit in board:
        wardrobe.feedback(outfit, "casual", liked=True)
    resting = {o.item_ids for o in board}
    assert not resting & {o.item_ids for o in wardrobe.suggest("casual", k=5, explore=False)}
    for outfit in wardrobe.suggest("work", k=5, explore=False):  # five more ratings elsewhere
        wardrobe.feedback(outfit, "work", liked=True)
    resting_now = wardrobe._outfits().excluded("casual")
    keys = [(o.top, o.layer, o.middle, o.full, o.bottom) for o in board]
    assert keys[0] not in resting_now and keys[1] not in resting_now  # rested 6 ratings: back in the pool
    assert keys[2] in resting_now  # liked 6 ratings ago: still resting
    worn = wardrobe.suggest("work", k=1, explore=False)[0]
    wardrobe.wore(worn, "work")
    assert (worn.top, worn.layer, worn.middle, worn.full, worn.bottom) in wardrobe._outfits().excluded("party")


def test_f5_pages_to_different_outfits(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    seen: list[Outfit] = []
    for _ in range(3):
        page = wardrobe.suggest("casual", k=5, exclude=seen)
        assert len(page) == 5 and not {o.item_ids for o in page} & {o.item_ids for o in seen}
        seen += page


def test_teaching_work_leaves_party_alone(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    party = [o.item_ids for o in wardrobe.suggest("party", k=10, explore=False)]
    for round_ in range(4):
        for n, outfit in enumerate(wardrobe.suggest("work", k=5)):
            wardrobe.feedback(outfit, "work", liked=(n + round_) % 2 == 0)
    after = [o.item_ids for o in wardrobe.suggest("party", k=10, explore=False)]
    assert len(set(party) - set(after)) <= 2
    taste = wardrobe._outfits().taste()
    assert taste.occasions == ("work",)


def test_all_dislike_rounds_move_the_board_away(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    disliked_items: set[int] = set()
    boards = []
    for _ in range(3):
        board = wardrobe.suggest("casual", k=5)
        boards.append(board)
        for outfit in board:
            wardrobe.feedback(outfit, "casual", liked=False)
            disliked_items.update(outfit.item_ids)
    later = wardrobe.suggest("casual", k=5)
    assert later and not {o.item_ids for o in later} & {o.item_ids for b in boards for o in b}
    often = Counter(i for o in boards[0] for i in (o.top, o.full, o.middle, o.bottom) if i is not None)
    worst = {i for i, n in often.items() if n >= 2}  # pieces of several disliked outfits
    uses = [sum(len({o.top, o.full, o.middle, o.bottom} & worst) for o in b) for b in (boards[0], later)]
    assert uses[1] < uses[0]
    service = wardrobe._outfits()
    taste, ratings = service.taste(), service.ratings()
    quality, phi = np.array([r.quality for r in ratings]), np.stack([r.phi for r in ratings])
    worn = [r.items for r in ratings]
    before = prior_taste().probability("casual", quality, phi)
    after = taste.probability("casual", quality, phi, worn)
    assert after.mean() < before.mean() - 0.1  # it learnt that these are not liked


def test_reset_stays_a_reset(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    fresh = [o.item_ids for o in wardrobe.suggest("date", k=5, explore=False)]
    for _ in range(3):
        for outfit in wardrobe.suggest("date", k=5):
            wardrobe.feedback(outfit, "date", liked=False)
    assert wardrobe.retrain(reset=True)["ranker"] == "expert"
    assert "reset" in wardrobe.ranker_state()["ranker in use"]
    wardrobe.feedback(wardrobe.suggest("casual", k=1)[0], "casual", liked=True)  # one new rating
    taste = wardrobe._outfits().taste()
    assert taste.n_ratings == 1 and taste.occasions == ("casual",)
    again = [o.item_ids for o in wardrobe.suggest("date", k=5, explore=False)]
    expert = wardrobe._outfits().board("date", 5, explore=False, taste=prior_taste()).outfits
    assert again == [o.item_ids for o in expert]  # the expert's board, less the outfits that stay disliked
    assert not set(again) & set(fresh)  # the disliked ones stick
    shown = wardrobe.suggest("date", k=5, explore=False)
    expert_chance = wardrobe._outfits().predict(shown, "date", prior_taste())
    assert [o.score for o in shown] == pytest.approx(list(expert_chance), abs=1e-4)  # the expert's chances too


def test_retrain_records_versions(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    notes = [wardrobe.feedback(o, "casual", liked=True).notes for o in wardrobe.suggest("casual", k=5)]
    assert notes[-1][1] == "ranker v1"
    assert (wardrobe.data_dir / "ranker" / "v1" / "taste.npz").exists()
    with wardrobe.sessions() as session:
        version = session.scalars(select(RankerVersionRow)).one()
        assert version.active and version.n_ratings == 5
    assert "personal v1" in wardrobe.ranker_state()["ranker in use"]
    assert wardrobe.retrain()["version"] == 2


def test_errors(closet) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = closet
    with pytest.raises(UnknownOccasionError):
        wardrobe.suggest("wedding")
    assert all(o.middle == ids["jeans"][0] for o in wardrobe.suggest("casual", k=3, with_item=ids["jeans"][0]))
    kept = wardrobe.suggest("casual", k=3, locked={"top": ids["shirt"][0], "bottom": ids["sneakers"][0]})
    assert kept and all(o.top == ids["shirt"][0] and o.bottom == ids["sneakers"][0] for o in kept)
    coat = wardrobe.suggest("casual", k=3, with_item=ids["coat"][0])
    assert coat and all(o.layer == ids["coat"][0] for o in coat)


def test_cli_suggest_weather_feedback_retrain(closet, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = closet
    monkeypatch.setenv("WARDROBE_CLASSIFIER", "none")
    base = ["--data-dir", str(wardrobe.data_dir)]
    assert main([*base, "suggest", "--occasion", "casual", "--weather", "cold", "--top", "4", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4 and {"top", "layer", "middle", "bottom", "full", "accessory", "score"} <= set(rows[0])
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert main([*base, "suggest", "--occasion", "casual", "--weather", "3"]) == 0
    out = capsys.readouterr().out
    assert "shoes:" in out and ("layer:" in out or "dress:" in out)
    assert main([*base, "suggest", "--occasion", "casual", "--weather", "stormy"]) == 1
    assert "unknown weather" in capsys.readouterr().err
    worn = [str(rows[0][s]) for s in ("layer", "top", "middle", "full", "bottom") if rows[0][s] is not None]
    assert main([*base, "feedback", "--occasion", "casual", "--like", *worn]) == 0
    assert "feedback 1" in capsys.readouterr().out
    assert main([*base, "retrain"]) == 0 and "personal ranker v1" in capsys.readouterr().out
    assert main([*base, "retrain", "--reset"]) == 0 and "expert" in capsys.readouterr().out
    assert main([*base, "feedback", "--occasion", "work", "--like", str(ids["shirt"][0]), str(ids["t-shirt"][0])]) == 1
    assert "outfit" in capsys.readouterr().err
    draw(wardrobe, [])
    assert main([*base, "suggest", "--occasion", "formal", "--top", "30"]) == 0


def test_hemisphere_setting_drives_the_season(wardrobe, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Summer-only sandals in January: worn in the south (summer), not in the north (winter)."""
    draw(wardrobe, [("t-shirt", "white"), ("shorts", "beige")])
    sandals = draw(wardrobe, [("sandals", "beige")], season="summer")["sandals"][0]
    january = date(2027, 1, 15)
    assert wardrobe.outfit_settings()["hemisphere"] == "north"
    assert not wardrobe.suggest("casual", when=january)
    south = wardrobe.suggest("casual", when=january, hemisphere="south")  # for this once
    assert south and all(o.bottom == sandals for o in south)
    assert not wardrobe.suggest("casual", when=january)  # the setting did not change
    assert wardrobe.set_outfit_settings(hemisphere="Southern")["hemisphere"] == "south"
    assert wardrobe.suggest("casual", when=january)  # kept: every later board is southern
    with pytest.raises(WardrobeError, match="north or south"):
        wardrobe.set_outfit_settings(hemisphere="east")
    monkeypatch.setenv("WARDROBE_CLASSIFIER", "none")
    base = ["--data-dir", str(wardrobe.data_dir)]
    assert main([*base, "settings", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hemisphere"] == "south"
    assert main([*base, "settings", "--hemisphere", "north", "--rest", "10"]) == 0
    assert "hemisphere: north" in capsys.readouterr().out
    assert wardrobe.outfit_settings()["rest_ratings"] == 10
    assert main([*base, "settings", "--hemisphere", "east"]) == 1
    assert "north or south" in capsys.readouterr().err
    assert main([*base, "suggest", "--occasion", "casual", "--hemisphere", "south", "--json"]) == 0


def test_the_learnt_taste_is_never_written_through_a_link_out_of_the_closet(closet, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wardrobe, _ids = closet
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (wardrobe.data_dir / "ranker").symlink_to(elsewhere, target_is_directory=True)  # a ranker folder linked out
    wardrobe.feedback(wardrobe.suggest("casual", k=1)[0], "casual", liked=True)
    with pytest.raises(UnsafePathError):
        wardrobe.retrain()
    assert not list(elsewhere.rglob("*"))  # nothing written out there
    with wardrobe.sessions() as session:
        assert not session.scalars(select(RankerVersionRow)).all()  # and no version recorded without its file
