"""Outfits through the facade and the CLI: suggest, feedback rows, the retrain policy, reset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import PhotoFactory
from wardrobe_app.cli import main
from wardrobe_app.db.tables import FeedbackRow, OutfitRow, RankerVersionRow
from wardrobe_app.domain import CannotMakeOutfitError, Outfit, UnknownOccasionError

CLOSET = [  # category, BGR colour, shape
    ("shirt", (245, 245, 245), "shirt"), ("t-shirt", (40, 40, 210), "shirt"), ("longsleeve", (110, 40, 20), "shirt"),
    ("trousers", (90, 30, 15), "ellipse"), ("jeans", (160, 90, 40), "ellipse"),
    ("sneakers", (240, 240, 240), "ellipse"), ("formal shoes", (15, 15, 15), "ellipse"),
]


@pytest.fixture
def stocked(wardrobe, photo_factory: PhotoFactory):  # type: ignore[no-untyped-def]
    ids = {}
    for seed, (category, colour, shape) in enumerate(CLOSET):
        path = photo_factory(f"{category}.jpg", colour_bgr=colour, seed=seed, shape=shape)
        ids[category] = wardrobe.add_photo(path, category=category).id
    return wardrobe, ids


def count(wardrobe, table) -> int:  # type: ignore[no-untyped-def]
    with wardrobe.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)))


def test_suggest_feedback_retrain_and_reset(stocked) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = stocked
    assert wardrobe.occasions()[:2] == ["casual", "work"]
    outfits = wardrobe.suggest("work", k=3)
    assert len(outfits) == 3 and all(isinstance(o, Outfit) and o.reasons for o in outfits)
    assert len({o.top for o in outfits}) == 3
    assert outfits[0].bottom == ids["formal shoes"]

    disliked = outfits[0]
    change = wardrobe.feedback(disliked, "work", liked=False)
    assert change.notes == ("feedback 1",)
    assert all(o.item_ids != disliked.item_ids for o in wardrobe.suggest("work", k=5))
    assert disliked.item_ids in {o.item_ids for o in wardrobe.suggest("casual", k=12)}  # only for work
    with wardrobe.sessions() as session:
        row = session.scalars(select(FeedbackRow)).one()
        assert (row.occasion, row.rating, row.source) == ("work", 0.0, "dislike")

    for outfit in wardrobe.suggest("casual", k=3):
        wardrobe.feedback(outfit, "casual", liked=True)
    change = wardrobe.wore(outfits[1], "work")  # the fifth rating: the policy retrains
    assert "ranker v1" in change.notes
    assert count(wardrobe, FeedbackRow) == 5 and count(wardrobe, OutfitRow) == 5
    with wardrobe.sessions() as session:
        version = session.scalars(select(RankerVersionRow)).one()
        assert version.active and version.n_ratings == 5 and version.last_feedback_id == 5
    assert (Path(wardrobe.data_dir) / "ranker" / "v1" / "ranker.npz").exists()

    stats = wardrobe.retrain()
    assert stats["version"] == 2 and stats["n_ratings"] == 5
    shutil.rmtree(Path(wardrobe.data_dir) / "ranker" / "v2")  # e.g. a restored closet without its ranker
    assert len(wardrobe.suggest("work", k=2)) == 2  # falls back to the expert ranker
    assert wardrobe.retrain(reset=True)["ranker"] == "expert"
    with wardrobe.sessions() as session:
        assert not session.scalars(select(RankerVersionRow).where(RankerVersionRow.active.is_(True))).all()


def test_with_item_locked_and_errors(stocked) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = stocked
    assert all(o.middle == ids["jeans"] for o in wardrobe.suggest("casual", k=3, with_item=ids["jeans"]))
    locked = wardrobe.suggest("date", k=2, locked={"top": ids["shirt"], "bottom": ids["sneakers"]})
    assert all(o.top == ids["shirt"] and o.bottom == ids["sneakers"] for o in locked)
    with pytest.raises(UnknownOccasionError):
        wardrobe.suggest("wedding")
    wardrobe.update_item(ids["sneakers"], archived=True)
    wardrobe.update_item(ids["formal shoes"], archived=True)
    with pytest.raises(CannotMakeOutfitError, match="no shoes"):
        wardrobe.suggest("casual")


def test_cli_suggest_feedback_retrain(stocked, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    wardrobe, ids = stocked
    monkeypatch.setenv("WARDROBE_CLASSIFIER", "none")
    base = ["--data-dir", str(wardrobe.data_dir)]
    assert main([*base, "occasions"]) == 0 and "formal" in capsys.readouterr().out.split()
    assert main([*base, "suggest", "--occasion", "work", "--top", "2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and set(rows[0]) == {"top", "middle", "bottom", "full", "score", "reasons"}
    assert main([*base, "suggest", "--occasion", "work", "--with", str(ids["jeans"])]) == 0
    assert "jeans" in capsys.readouterr().out
    ids3 = [str(rows[0][s]) for s in ("top", "middle", "bottom")]
    assert main([*base, "feedback", "--occasion", "work", "--like", *ids3]) == 0
    assert "feedback 1" in capsys.readouterr().out
    assert main([*base, "retrain"]) == 0 and "personal ranker v1" in capsys.readouterr().out
    assert main([*base, "retrain", "--reset"]) == 0 and "expert" in capsys.readouterr().out
    assert main([*base, "suggest", "--occasion", "gala"]) == 1
    assert "unknown occasion 'gala'" in capsys.readouterr().err
    assert main([*base, "feedback", "--occasion", "work", "--like", str(ids["shirt"]), str(ids["t-shirt"])]) == 1
    assert "outfit" in capsys.readouterr().err
