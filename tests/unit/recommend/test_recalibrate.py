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
