"""The shown chance recalibrated on the exploration cards' ratings: identity without them, never reorders a board."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tests.unit.recommend.test_engine_v2 import CLOSET, plain, ratings_for
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.engine import build_board
from wardrobe_app.recommend.personal import fit_taste
from wardrobe_app.recommend.recalibrate import MIN_SLOPE, platt_map, recalibrated

TASTE = fit_taste(ratings_for("casual", plain, 40, 3))
HELD = ratings_for("casual", plain, 200, 9)


def shown(taste):  # type: ignore[no-untyped-def]
    return taste.probability(
        "casual", np.array([r.quality for r in HELD]), np.stack([r.phi for r in HELD]), [r.items for r in HELD]
    )


def test_no_exploration_ratings_change_nothing() -> None:
    assert recalibrated(TASTE, []) is TASTE
    assert platt_map(np.array([]), np.array([])) == (0.0, 1.0)


def test_few_ratings_move_little_and_many_move_towards_what_the_person_says() -> None:
    easy = [replace(r, liked=1.0) for r in ratings_for("casual", plain, 40, 5)]  # likes everything shown
    one = recalibrated(TASTE, easy[:1])
    many = recalibrated(TASTE, easy)
    before, after_one, after_many = shown(TASTE).mean(), shown(one).mean(), shown(many).mean()
    assert before < after_one < after_many
    assert after_one - before < 0.5 * (after_many - before)  # the prior holds one rating back
    assert after_many > 0.7
    picky = recalibrated(TASTE, [replace(r, liked=0.0) for r in easy])
    assert shown(picky).mean() < before


def test_the_map_is_increasing_so_boards_keep_their_order() -> None:
    noisy = ratings_for("casual", lambda worn: not plain(worn), 40, 6)  # rates against the taste's grain
    flipped = recalibrated(TASTE, noisy)
    assert flipped.recalibration[1] >= MIN_SLOPE
    before, after = shown(TASTE), shown(flipped)
    assert np.array_equal(np.argsort(before, kind="stable"), np.argsort(after, kind="stable"))
    for seed in range(3):
        plain_board = build_board(CLOSET, Context("casual"), TASTE, 5, rng=np.random.default_rng(seed))
        moved = build_board(CLOSET, Context("casual"), flipped, 5, rng=np.random.default_rng(seed))
        assert [o.item_ids for o in plain_board.outfits] == [o.item_ids for o in moved.outfits]
        assert [o.score for o in plain_board.outfits] != [o.score for o in moved.outfits]


def test_the_fit_is_the_regularised_maximum() -> None:
    rng = np.random.default_rng(0)
    logit = rng.normal(0, 2, 300)
    liked = (rng.random(300) < 1 / (1 + np.exp(-(1.0 + 0.5 * logit)))).astype(float)
    alpha, beta = platt_map(logit, liked, sd=(100.0, 100.0))  # a flat prior: the plain Platt fit
    assert abs(alpha - 1.0) < 0.4 and abs(beta - 0.5) < 0.2
    separable = platt_map(np.array([-3.0, -2.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.0, 1.0]), sd=(100.0, 100.0))
    assert np.isfinite(separable).all()  # the backtracking keeps Newton from running away


def test_many_likes_in_a_narrow_band_keep_the_board_spread() -> None:
    """40 likes at a shown chance of 10%: the slope would shrink towards 0 (every outfit ~83%); the bound keeps it."""
    alpha, beta = platt_map(np.log(np.full(40, 0.1 / 0.9)), np.ones(40))
    assert beta == MIN_SLOPE >= 0.3
    at = 1.0 / (
        1.0 + np.exp(-(alpha + beta * np.log(np.array([0.01, 0.1, 0.5, 0.9]) / (1 - np.array([0.01, 0.1, 0.5, 0.9])))))
    )
    assert np.all(np.diff(at) > 0.02) and at[-1] - at[0] > 0.2  # the best-ranked cards still stand out
    assert at[1] > 0.5  # and the person's likes still raise the chance


def _objective(alpha: float, beta: float, logit: np.ndarray, liked: np.ndarray) -> float:
    z = alpha + beta * logit
    return float(np.sum(np.logaddexp(0.0, z) - liked * z) + 0.5 * (alpha / 0.5) ** 2 + 0.5 * ((beta - 1) / 0.25) ** 2)


def test_a_slope_at_its_bound_refits_alpha() -> None:
    """The bound is inside the fit: alpha is the best for the bounded slope, not the free fit's alpha kept."""
    for logit in (np.full(20, -4.0), np.array([-8.0, -7.0, -9.0, -8.0, -7.5])):
        liked = np.ones(len(logit))
        alpha, beta = platt_map(logit, liked)
        assert beta == MIN_SLOPE
        best = _objective(alpha, beta, logit, liked)
        for a in np.linspace(alpha - 1, alpha + 1, 41):
            for b in np.linspace(MIN_SLOPE, MIN_SLOPE + 1, 21):
                assert _objective(a, b, logit, liked) >= best - 1e-9  # the constrained maximum
        free, _ = platt_map(logit, liked, min_slope=-np.inf)
        assert abs(alpha - free) > 0.1  # clipping the free fit's slope alone would have kept a wrong alpha


def test_non_finite_ratings_give_the_identity() -> None:
    assert platt_map(np.array([np.nan, 0.0, 1.0]), np.array([1.0, 0.0, 1.0])) == (0.0, 1.0)
    assert platt_map(np.array([np.inf, 0.0]), np.array([1.0, 0.0])) == (0.0, 1.0)
    assert platt_map(np.array([0.0, 1.0]), np.array([np.nan, 1.0])) == (0.0, 1.0)
    broken = [replace(r, phi=np.full_like(r.phi, np.nan)) for r in ratings_for("casual", plain, 5, 5)]
    assert recalibrated(TASTE, broken).recalibration == (0.0, 1.0)


def test_close_to_liked_is_decided_on_the_taste_not_on_the_map() -> None:
    """A map that raises every chance must not give every card the reason: it says what the taste learnt."""
    raised = replace(TASTE, recalibration=(3.0, 1.0))
    said = 0
    for seed in range(4):
        before = build_board(CLOSET, Context("casual"), TASTE, 5, rng=np.random.default_rng(seed)).outfits
        after = build_board(CLOSET, Context("casual"), raised, 5, rng=np.random.default_rng(seed)).outfits
        assert [o.reasons for o in before] == [o.reasons for o in after]
        assert all(a.score > b.score for a, b in zip(after, before, strict=True))  # the map raised them
        said += sum("close to outfits you liked" in o.reasons for o in after)
    assert said < 4 * 5  # not every card
