"""Outfit engine v2 on small drawn closets: terms, context rules, explanations, the taste model, the board."""

from __future__ import annotations

from datetime import date
from itertools import product

import numpy as np
import pytest

from tests.unit.recommend.conftest import HSV, item
from wardrobe_app.domain import Colour
from wardrobe_app.recommend.context import Context, UnknownWeatherError, allowed, parse_weather, season_of
from wardrobe_app.recommend.engine import QUALITY_FLOOR, build_board
from wardrobe_app.recommend.expert import _pair
from wardrobe_app.recommend.explain import explain
from wardrobe_app.recommend.personal import Rating, fit_taste, outfit_features, prior_taste
from wardrobe_app.recommend.pieces import LAYER_CATEGORIES, by_role, facts_of
from wardrobe_app.recommend.rules import OCCASIONS, expert_rules
from wardrobe_app.recommend.samples import synthetic_closet
from wardrobe_app.recommend.terms import expert_terms, pair_scores

RULES = expert_rules()
CLOSET = [
    item(1, "shirt", "white"),
    item(2, "t-shirt", "red"),
    item(3, "blouse", "pink"),
    item(4, "longsleeve", "grey"),
    item(5, "blazer", "navy"),
    item(6, "coat", "black"),
    item(7, "hoodie", "green"),
    item(11, "trousers", "navy"),
    item(12, "jeans", "blue"),
    item(13, "shorts", "yellow"),
    item(14, "skirt", "black"),
    item(21, "dress", "black"),
    item(31, "sneakers", "white"),
    item(32, "formal shoes", "black"),
    item(33, "boots", "grey"),
    item(34, "slippers", "grey"),
    item(35, "sandals", "beige"),
    item(36, "flip-flops", "red"),
    item(41, "hat", "beige"),
    item(42, "bag", "black"),
]
BY_ID = {i.id: i for i in CLOSET}


def cats(outfit) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        f: BY_ID[getattr(outfit, f)].category or ""
        for f in ("layer", "top", "middle", "full", "bottom", "accessory")
        if getattr(outfit, f) is not None
    }


def test_vectorised_colour_pairs_match_the_expert_pair_rule() -> None:
    items = synthetic_closet(np.random.default_rng(0), {"top": 25, "middle": 25}, RULES)
    a, b = items[:25], items[25:]
    scores = pair_scores(facts_of(a, RULES), facts_of(b, RULES), RULES, top_middle=True)
    for (i, x), (j, y) in product(enumerate(a), enumerate(b)):
        assert scores[i, j] == pytest.approx(_pair(x.colours[0], y.colours[0], RULES, True)[0])


@pytest.mark.parametrize(
    ("text", "weather"),
    [("cold", "cold"), ("HOT", "hot"), ("3", "cold"), ("12 °C", "mild"), ("21c", "warm"), ("30", "hot"), (None, None)],
)
def test_weather_words_and_temperatures(text: str | None, weather: str | None) -> None:
    assert parse_weather(text) == weather


def test_unknown_weather_is_a_typed_error() -> None:
    with pytest.raises(UnknownWeatherError, match="cold, mild, warm, hot"):
        parse_weather("stormy")


def test_season_from_date_and_hemisphere() -> None:
    assert season_of(date(2026, 1, 5)) == "winter" and season_of(date(2026, 7, 5)) == "summer"
    assert season_of(date(2026, 1, 5), "south") == "summer" and season_of(date(2026, 4, 5), "south") == "autumn"


def test_slippers_only_at_home() -> None:
    slippers = BY_ID[34]
    assert allowed(slippers, Context("casual"), RULES)
    assert not any(allowed(slippers, Context(o), RULES) for o in ("work", "formal", "party", "date", "sport"))


@pytest.mark.parametrize("occasion", OCCASIONS)
def test_boards_are_dressed_as_people_dress(occasion: str) -> None:
    for weather in (None, "cold", "hot"):
        board = build_board(CLOSET, Context(occasion, weather), prior_taste(), k=6)
        for outfit in board.outfits:
            c = cats(outfit)
            assert "bottom" in c and (("full" in c) != ("top" in c and "middle" in c))
            assert c.get("top") not in LAYER_CATEGORIES and c.get("layer", "coat") in LAYER_CATEGORIES
            if occasion != "casual":
                assert c["bottom"] != "slippers"
            if weather == "hot":
                assert c.get("layer") not in ("coat", "hoodie") and c["bottom"] != "boots"
            if weather == "cold":
                assert c.get("middle") != "shorts" and c["bottom"] not in ("sandals", "flip-flops")
        assert [o.score for o in board.outfits] == sorted((o.score for o in board.outfits), reverse=True)


def test_layers_when_cold_and_accessories_when_the_closet_has_them() -> None:
    board = build_board(CLOSET, Context("casual", "cold"), prior_taste(), k=5)
    assert sum(o.layer is not None for o in board.outfits) >= 3
    assert any(o.accessory is not None for o in board.outfits)
    without = [i for i in CLOSET if i.category not in ("hat", "bag")]
    assert all(o.accessory is None for o in build_board(without, Context("casual"), prior_taste(), k=5).outfits)


def test_keeping_a_layer_wears_it() -> None:
    board = build_board(CLOSET, Context("work"), prior_taste(), k=3, with_item=5)
    assert board.outfits and all(o.layer == 5 for o in board.outfits)


def test_quality_floor_and_what_is_missing() -> None:
    casual_only = [BY_ID[i] for i in (2, 7, 12, 13, 31, 36)]
    board = build_board(casual_only, Context("work"), prior_taste(), k=5)
    assert len(board.outfits) < 5 and board.missing
    terms_ok = True
    for outfit in board.outfits:
        roles = by_role(casual_only)
        picks = {
            r: [i.id for i in roles[r]].index(getattr(outfit, f))
            for r, f in (("top", "top"), ("middle", "middle"), ("shoes", "bottom"))
            if getattr(outfit, f) is not None
        }
        facts = {r: facts_of(roles[r], RULES) for r in roles}
        terms_ok &= expert_terms(facts, Context("work"), RULES).outfit(picks) >= QUALITY_FLOOR
    assert terms_ok


def test_explanations_never_contradict_each_other() -> None:
    rng = np.random.default_rng(4)
    roles = by_role(CLOSET)
    for _ in range(300):
        occasion = OCCASIONS[rng.integers(len(OCCASIONS))]
        worn = {"shoes": roles["shoes"][rng.integers(len(roles["shoes"]))]}
        if rng.random() < 0.3:
            worn["full"] = roles["full"][0]
        else:
            worn["top"] = roles["top"][rng.integers(len(roles["top"]))]
            worn["middle"] = roles["middle"][rng.integers(len(roles["middle"]))]
        if rng.random() < 0.5:
            worn["layer"] = roles["layer"][rng.integers(len(roles["layer"]))]
        words = explain(worn, Context(occasion), RULES, limit=10)
        for piece in worn.values():
            about = [w for w in words if w.startswith(f"{piece.category} ")]
            assert len(about) <= 1  # one verdict per piece: never "suits" and "too casual" together
        assert not any(w.startswith("too ") for w in words)  # no outfit-wide verdict to contradict a piece


def ratings_for(occasion: str, liked, n: int, seed: int) -> list[Rating]:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    roles = by_role(CLOSET)
    facts = {r: facts_of(v, RULES) for r, v in roles.items()}
    terms = expert_terms(facts, Context(occasion), RULES)
    out = []
    for _ in range(n):
        picks = {r: int(rng.integers(len(roles[r]))) for r in ("top", "middle", "shoes")}
        worn = [roles[r][p] for r, p in picks.items()]
        out.append(
            Rating(
                occasion,
                terms.outfit(picks),
                outfit_features(facts, picks),
                float(liked(worn)),
                tuple(i.id for i in worn),
            )
        )
    return out


def plain(worn) -> bool:  # type: ignore[no-untyped-def]
    """A hidden taste: no strong colour anywhere."""
    return all(i.colours[0].hsv[1] <= 0.3 for i in worn)


def test_taste_learns_and_stays_in_its_occasion() -> None:
    train = ratings_for("work", plain, 120, 0)
    taste = fit_taste(train)
    assert taste.occasions == ("work",)
    held = ratings_for("work", plain, 200, 1)
    p = taste.probability(
        "work", np.array([r.quality for r in held]), np.stack([r.phi for r in held]), [r.items for r in held]
    )
    y = np.array([r.liked for r in held])
    assert p[y == 1].mean() > p[y == 0].mean() + 0.3
    party = ratings_for("party", plain, 50, 2)
    args = (np.array([r.quality for r in party]), np.stack([r.phi for r in party]))
    np.testing.assert_allclose(taste.probability("party", *args), prior_taste().probability("party", *args))


def test_thompson_draws_explore() -> None:
    taste = fit_taste(ratings_for("casual", plain, 30, 3))
    rng = np.random.default_rng(0)
    draws = np.stack([taste.draw("casual", rng) for _ in range(3)])
    assert np.ptp(draws, axis=0).max() > 0  # Thompson draws differ
    np.testing.assert_allclose(taste.draw("casual", None), taste.draw("casual", None))  # the mean does not
    boards = [
        {o.item_ids for o in build_board(CLOSET, Context("casual"), taste, 5, rng=np.random.default_rng(seed)).outfits}
        for seed in range(4)
    ]
    assert all(boards) and len({frozenset(b) for b in boards}) > 1  # exploration varies the board


def test_a_thompson_draw_depends_only_on_the_state_and_the_seed() -> None:
    """The same ratings and seed give the same draw (never rated features share one variance: an eigenbasis
    of that repeated eigenvalue may rotate with rounding; the Cholesky root does not), with the posterior's
    spread: many draws have the posterior covariance."""
    taste = fit_taste(ratings_for("casual", plain, 30, 3))
    again = fit_taste(ratings_for("casual", plain, 30, 3))
    np.testing.assert_array_equal(
        taste.draw("casual", np.random.default_rng(7)), again.draw("casual", np.random.default_rng(7))
    )
    rng = np.random.default_rng(1)
    draws = np.stack([taste.draw("casual", rng, temperature=1.0) for _ in range(400)])
    _mean, cov = taste._moments("casual")
    np.testing.assert_allclose(draws[:, :2].std(0), np.sqrt(np.diag(cov)[:2]), rtol=0.25)


def test_all_colours_known_to_the_tests() -> None:
    assert all(isinstance(Colour(n, "#000", hsv, 1.0), Colour) for n, hsv in HSV.items())
