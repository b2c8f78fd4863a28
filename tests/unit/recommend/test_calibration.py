"""The shown chance of a like: calibrated on outfits unlike the rated ones, unchanged on familiar ones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from wardrobe_app.domain import Item, Outfit
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.engine import IdKey, build_board, id_key
from wardrobe_app.recommend.personal import (
    Rating,
    Taste,
    expert_logit,
    fit_taste,
    moderated_logit,
    outfit_features,
    prior_taste,
)
from wardrobe_app.recommend.pieces import by_role, facts_of
from wardrobe_app.recommend.rules import expert_rules
from wardrobe_app.recommend.samples import synthetic_closet
from wardrobe_app.recommend.terms import expert_terms

RULES = expert_rules()
ROLE_OF_FIELD = {"layer": "layer", "top": "top", "full": "full", "middle": "middle", "bottom": "shoes"}
Taste_ = Callable[[list[Item]], bool]


def ece(prob: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    which = np.clip((prob * bins).astype(int), 0, bins - 1)
    return float(
        sum(
            abs(prob[which == b].mean() - truth[which == b].mean()) * (which == b).mean()
            for b in range(bins)
            if (which == b).any()
        )
    )


def hsv(item: Item) -> tuple[float, float, float]:
    return item.colours[0].hsv


def no_loud_colour(worn: list[Item]) -> bool:
    """A hidden taste (on the true colour, not on what the app extracted): nothing saturated."""
    return all(hsv(i)[1] <= 0.35 for i in worn)


def light_over_dark(worn: list[Item]) -> bool:
    """A hidden taste: a light upper piece over a dark bottom (or shoes)."""
    return len(worn) >= 3 and hsv(worn[0])[2] >= 0.6 and hsv(worn[-2])[2] <= 0.5


class Person:
    """A simulated person rating the boards of a synthetic closet; their ratings feed the taste."""

    def __init__(self, seed: int, likes: Taste_, occasion: str = "casual") -> None:
        self.rng = np.random.default_rng(seed)
        self.closet = synthetic_closet(self.rng, {"top": 30, "middle": 18, "full": 6, "bottom": 12}, RULES)
        self.roles = by_role(self.closet)
        self.facts = {r: facts_of(v, RULES) for r, v in self.roles.items()}
        self.terms = expert_terms(self.facts, Context(occasion), RULES)
        self.likes, self.occasion = likes, occasion
        self.ratings: list[Rating] = []

    def rating(self, picks: dict[str, int]) -> Rating:
        worn = [self.roles[r][p] for r, p in picks.items()]
        return Rating(
            self.occasion,
            self.terms.outfit(picks),
            outfit_features(self.facts, picks),
            float(self.likes(worn)),
            tuple(i.id for i in worn),
        )

    def picks_of(self, outfit: Outfit) -> dict[str, int]:
        where = {r: {item.id: n for n, item in enumerate(v)} for r, v in self.roles.items()}
        return {
            ROLE_OF_FIELD[f]: where[ROLE_OF_FIELD[f]][getattr(outfit, f)]
            for f in ROLE_OF_FIELD
            if getattr(outfit, f) is not None
        }

    def rate_boards(self, rounds: int) -> Taste:
        """Rate 5 suggestions a round (Thompson exploration on), learning after each round."""
        taste, seen = prior_taste(), set[IdKey]()
        for n in range(rounds):
            rng = np.random.default_rng([n, 7]) if n else None
            board = build_board(self.closet, Context(self.occasion), taste, 5, rng=rng, excluded=seen, rules=RULES)
            for outfit in board.outfits:
                seen.add(id_key(outfit))
                self.ratings.append(self.rating(self.picks_of(outfit)))
            taste = fit_taste(self.ratings)
        return taste

    def random_outfits(self, n: int) -> list[Rating]:
        """Held out: random outfits of every shape (layer or not, dress or top + bottom), truth known."""
        held = []
        for _ in range(n):
            slots = ("full", "shoes") if self.rng.random() < 0.2 else ("top", "middle", "shoes")
            if self.rng.random() < 0.3:
                slots = ("layer", *slots)
            held.append(self.rating({r: int(self.rng.integers(len(self.roles[r]))) for r in slots}))
        return held


def held_out(taste: Taste, held: list[Rating], calibrated: bool) -> np.ndarray:
    args = (np.array([h.quality for h in held]), np.stack([h.phi for h in held]), [h.items for h in held])
    return taste.probability(held[0].occasion, *args, calibrated=calibrated)


@pytest.mark.slow
def test_calibrated_chances_are_closer_to_the_truth_on_outfits_never_rated() -> None:
    """Rated outfits are what boards show (the best, mostly liked); held-out ones are random, of every shape.
    Over five closets the calibrated chance has the lower expected calibration error there (per closet the
    two are close: measured plain 0.030/0.062/0.038/0.088/0.057, calibrated 0.046/0.032/0.045/0.071/0.030),
    and it still gives the liked outfits the higher chance. Known limit: a person who likes most random
    outfits is better served by the plain mean, as the expert the moderation falls back to expects less."""
    plain_ece, calibrated_ece = [], []
    for seed in range(5):
        person = Person(seed, light_over_dark)
        taste = person.rate_boards(14)
        held = person.random_outfits(500)
        truth = np.array([h.liked for h in held])
        plain, calibrated = held_out(taste, held, False), held_out(taste, held, True)
        assert 0.02 < truth.mean() < 0.5  # a selective taste: most random outfits are not liked
        assert calibrated[truth == 1].mean() > calibrated[truth == 0].mean()  # liked ones still rank higher
        plain_ece.append(ece(plain, truth))
        calibrated_ece.append(ece(calibrated, truth))
    assert np.mean(calibrated_ece) < np.mean(plain_ece)


def test_outfits_like_the_rated_ones_keep_the_learnt_chance() -> None:
    """As certain as a typical rated outfit (within the rated outfits' upper quartile of variance): no moderation."""
    person = Person(2, no_loud_colour)
    taste = person.rate_boards(6)
    rated = person.ratings
    plain, calibrated = held_out(taste, rated, False), held_out(taste, rated, True)
    _mu, var = taste.logit(
        "casual", np.array([r.quality for r in rated]), np.stack([r.phi for r in rated]), [r.items for r in rated]
    )
    familiar = var <= taste.familiar[0] + 1e-9
    assert familiar.mean() >= 0.7  # about three quarters of the rated outfits
    np.testing.assert_allclose(calibrated[familiar], plain[familiar])
    assert not np.allclose(calibrated[~familiar], plain[~familiar])


def test_without_ratings_the_chance_is_the_expert_prior() -> None:
    """An occasion never rated (and a reset, which learns from nothing) shows the expert's chance."""
    person = Person(3, no_loud_colour)
    taste = person.rate_boards(3)
    party = Person(3, no_loud_colour, occasion="party").random_outfits(50)
    quality = np.array([h.quality for h in party])
    expert = 1.0 / (1.0 + np.exp(-expert_logit(quality)))
    for model in (taste, prior_taste(), fit_taste([])):
        np.testing.assert_allclose(held_out(model, party, True), expert)


def test_moderation_goes_from_the_learnt_logit_to_the_expert_with_the_excess_uncertainty() -> None:
    mu, expert = np.array([3.0, 3.0, 3.0, -4.0]), np.array([-1.0, -1.0, -1.0, -1.0])
    var = np.array([2.0, 5.0, 1e6, 5.0])
    z = moderated_logit(mu, var, expert, familiar=2.0)
    assert z[0] == pytest.approx(3.0)  # no more uncertain than the rated outfits: unchanged
    assert -1.0 < z[1] < 3.0  # more uncertain: part of the way back to the expert
    assert z[2] == pytest.approx(-1.0, abs=0.01)  # nothing known: the expert
    assert -4.0 < z[3] < -1.0  # from below too: a dislike is softened, never turned into a like
    same = moderated_logit(np.array([-2.0, 0.0, 2.0]), np.full(3, 5.0), np.full(3, -1.0), familiar=2.0)
    assert np.all(np.diff(same) > 0)  # at one uncertainty the order is kept
