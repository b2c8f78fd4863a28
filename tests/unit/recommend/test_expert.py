"""The expert scorer on hand-made outfits: dress codes, colour harmony, reasons in words."""

from __future__ import annotations

import pytest

from tests.unit.recommend.conftest import item
from wardrobe_app.domain import CATEGORY_GROUPS, Group, UnknownOccasionError
from wardrobe_app.recommend.expert import judge
from wardrobe_app.recommend.rules import OCCASIONS, expert_rules


def outfit(top, middle, shoes):  # type: ignore[no-untyped-def]
    return {"top": top, "middle": middle, "full": None, "bottom": shoes}


def test_rule_files_cover_every_occasion_and_wearable_category() -> None:
    rules = expert_rules()
    assert set(OCCASIONS) >= {"casual", "work", "formal", "party", "date", "sport"}
    wearable = {c for c, g in CATEGORY_GROUPS.items() if g is not Group.ACCESSORY}
    for occasion in OCCASIONS:
        assert wearable <= set(rules.suitability[occasion]), occasion
        assert all(0.0 <= v <= 1.0 for v in rules.suitability[occasion].values())
    assert wearable <= set(rules.category_formality)


def test_navy_and_white_is_a_classic_contrast_and_sneakers_suit_casual() -> None:
    verdict = judge(
        outfit(item(1, "shirt", "white"), item(2, "chinos", "navy"), item(3, "sneakers", "white")), "casual"
    )
    words = verdict.words(10)
    assert "white and navy: classic contrast" in words
    assert "sneakers suit casual" in words
    assert 0.7 < verdict.score <= 1.0


def test_sneakers_at_work_score_lower_and_say_why() -> None:
    top, trousers = item(1, "shirt", "white"), item(2, "trousers", "navy")
    sneakers = judge(outfit(top, trousers, item(3, "sneakers", "black")), "work")
    formal = judge(outfit(top, trousers, item(4, "formal shoes", "black")), "work")
    assert formal.score > sneakers.score + 0.1
    assert "sneakers are out of place at work" in sneakers.words(10)


def test_clashing_and_too_many_loud_colours_are_penalised() -> None:
    calm = judge(outfit(item(1, "t-shirt", "white"), item(2, "jeans", "navy"), item(3, "sneakers", "white")), "casual")
    loud = judge(outfit(item(1, "t-shirt", "red"), item(2, "jeans", "green"), item(3, "sneakers", "yellow")), "casual")
    assert loud.score < calm.score - 0.05
    words = loud.words(10)
    assert "red and green clash" in words and "3 loud colours compete" in words


def test_one_accent_on_neutrals_is_praised() -> None:
    verdict = judge(outfit(item(1, "t-shirt", "red"), item(2, "jeans", "navy"), item(3, "sneakers", "white")), "casual")
    assert "one red accent on neutrals" in verdict.words(10)


def test_a_dress_with_heels_suits_formal_better_than_shorts() -> None:
    dress = judge(
        {"top": None, "middle": None, "full": item(1, "dress", "black"), "bottom": item(2, "heels", "black")}, "formal"
    )
    shorts = judge(
        outfit(item(3, "t-shirt", "white"), item(4, "shorts", "blue"), item(5, "sandals", "beige")), "formal"
    )
    assert dress.score > shorts.score + 0.3
    assert any("too casual" in w for w in shorts.words(10))


def test_unknown_occasion_is_a_clear_error() -> None:
    with pytest.raises(UnknownOccasionError, match="known occasions: casual"):
        judge(outfit(item(1, "shirt", "white"), item(2, "jeans", "navy"), item(3, "sneakers", "white")), "wedding")


def test_season_hints_lower_pieces_out_of_season() -> None:
    summer = outfit(item(1, "t-shirt", "white"), item(2, "shorts", "navy"), item(3, "sandals", "beige"))
    assert judge(summer, "casual", season="winter").score < judge(summer, "casual", season="summer").score
    assert "shorts: not for winter" in judge(summer, "casual", season="winter").words(10)
