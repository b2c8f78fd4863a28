"""The expert's outfit score as a sum of per-piece and per-pair terms (what makes exact top-k fast).

quality = HARMONY_BASE + sum over pieces of unary terms + sum over worn pairs of pair terms. For a
top + bottom + shoes (or dress + shoes) outfit this is the dress-code and colour-theory score of
``expert.judge`` written additively; a layer adds its own small, weather-aware terms and its colour
with everything it is worn with (top or dress, bottom, shoes). An accessory adds its fit for the occasion
and the weather (a hat in hot sun, a scarf when cold) and its colour with the pieces it is seen against
(the top or dress, and the layer over it); ``topk`` folds its best choice into those pair terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wardrobe_app.recommend.context import LAYER_BONUS, Context, season_penalty
from wardrobe_app.recommend.pieces import Facts, facts_of, hue_distance
from wardrobe_app.recommend.rules import ExpertRules

WEIGHTS = {"suitability": 0.55, "harmony": 0.35, "formality": 0.10}
ROLE_WEIGHT = {"top": 0.35, "middle": 0.3, "shoes": 0.35, "full": 0.65, "layer": 0.2}
#: Pairs of roles whose colours are judged together (the layer is judged with what it covers).
PAIRS: tuple[tuple[str, str], ...] = (
    ("top", "middle"),
    ("top", "shoes"),
    ("middle", "shoes"),
    ("full", "shoes"),
    ("layer", "top"),
    ("layer", "middle"),
    ("layer", "full"),
    ("layer", "shoes"),
)
#: The accessory's colour is judged against the pieces it is seen with: the top or dress, and the layer.
ACCESSORY_PAIRS: tuple[tuple[str, str], ...] = (("top", "accessory"), ("full", "accessory"), ("layer", "accessory"))
ACCESSORY_PAIR_SHARE = {"top": 0.3, "full": 0.3, "layer": 0.2}
ACCESSORY_PAIR_CENTRE = 0.05  # an ordinary colour pairing adds nothing: only a good one helps
#: An accessory in the weather (degrees are the user's words): a hat against hot sun, a scarf in the cold.
ACCESSORY_WEATHER: dict[str, dict[str, float]] = {
    "scarf": {"cold": 0.06, "mild": 0.0, "warm": -0.2, "hot": -0.3},
    "hat": {"cold": 0.03, "warm": 0.02, "hot": 0.05},
    "cap": {"warm": 0.02, "hot": 0.05},
}
#: An accessory at an occasion (what the occasion table does not say).
ACCESSORY_OCCASION: dict[str, dict[str, float]] = {
    "tie": {"work": 0.04, "formal": 0.06},
    "cap": {"work": -0.2, "formal": -0.3, "date": -0.05, "party": -0.05},
    "hat": {"work": -0.1, "formal": -0.1, "sport": -0.05},
    "bag": {"work": 0.02, "formal": 0.01, "date": 0.01, "sport": -0.05},
    "belt": {"work": 0.02, "formal": 0.02, "sport": -0.05},
}
ACCESSORY_DEFAULT = {"tie": -0.1}  # a tie is out of place unless the occasion asks for one
LAYER_PAIR_SHARE = 0.5  # a layer's colour pairs count half, centred on an ordinary pairing
LAYER_PAIR_CENTRE = 0.06
LAYER_CENTRE = 0.55 * 0.7 + 0.10 * 0.8  # a typical piece's term: a layer only helps when it is better
HARMONY_BASE = WEIGHTS["harmony"] * 0.6


def fit_of(formality: np.ndarray, target: float) -> np.ndarray:
    return np.maximum(0.0, 1.0 - np.abs(formality - target) / 3.0)


def accessory_fit(category: str, context: Context) -> float:
    """What an accessory of ``category`` adds in this weather and at this occasion (its colour aside)."""
    weather = ACCESSORY_WEATHER.get(category, {}).get(context.weather or "", 0.0)
    occasion = ACCESSORY_OCCASION.get(category, {}).get(context.occasion, ACCESSORY_DEFAULT.get(category, 0.0))
    return weather + occasion


def unary(facts: Facts, role: str, context: Context, rules: ExpertRules) -> np.ndarray:
    """Each item's own term for the role: suitability and formality for the occasion, season, weather."""
    occasion = context.occasion
    if role == "accessory":
        suits = np.array([rules.suits(occasion, c) for c in facts.categories], dtype=np.float64).reshape(-1)
        fit = np.array([accessory_fit(c, context) for c in facts.categories], dtype=np.float64).reshape(-1)
        season = np.array([season_penalty(i, context, rules) for i in facts.items], dtype=np.float64).reshape(-1)
        return 0.1 * (suits - 0.5) + fit + season - 0.01
    suits = np.array([rules.suits(occasion, c) for c in facts.categories], dtype=np.float64).reshape(-1)
    fit = fit_of(facts.formality, rules.occasion_formality[occasion])
    own = WEIGHTS["suitability"] * suits + WEIGHTS["formality"] * fit
    season = np.array([season_penalty(i, context, rules) for i in facts.items], dtype=np.float64).reshape(-1)
    if role == "layer":
        return ROLE_WEIGHT["layer"] * (own - LAYER_CENTRE) + LAYER_BONUS[context.weather] + season
    return ROLE_WEIGHT[role] * own + season


def _name_codes(a: Facts, b: Facts, pairs: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Colour names as integer codes for both sides, and a code x code table of the listed pairs."""
    names = sorted(set(a.names) | set(b.names) | {n for p in pairs for n in p})
    code = {n: i for i, n in enumerate(names)}
    table = np.zeros((len(names), len(names)), dtype=bool)
    for x, y in pairs:
        if x != y:
            table[code[x], code[y]] = table[code[y], code[x]] = True
    ca = np.array([code[n] for n in a.names], dtype=np.int64).reshape(-1)
    cb = np.array([code[n] for n in b.names], dtype=np.int64).reshape(-1)
    return ca, cb, table


def pair_scores(a: Facts, b: Facts, rules: ExpertRules, top_middle: bool = False) -> np.ndarray:
    """Colour-harmony score of every pair (a item, b item), as ``expert._pair`` rates one pair."""
    pr = rules.colour["pair_rules"]
    na, nb = a.neutral[:, None] > 0, b.neutral[None, :] > 0
    ca, cb, table = _name_codes(a, b, rules.colour["classic_pairs"])
    same_name = ca[:, None] == cb[None, :]
    classic = table[ca[:, None], cb[None, :]]
    contrast = np.abs(a.val[:, None] - b.val[None, :]) >= pr["value_contrast"]["min_contrast"]
    both_neutral = np.where(
        classic,
        pr["classic_pair"]["score"],
        np.where(
            same_name,
            pr["monochrome"]["score"],
            pr["both_neutral"]["score"] + (pr["value_contrast"]["score"] * contrast if top_middle else 0.0),
        ),
    )
    d = hue_distance(a.hue[:, None], b.hue[None, :])
    both_sat = np.minimum(a.sat[:, None], b.sat[None, :]) >= pr["clash"]["min_saturation"]
    chromatic = np.select(
        [
            d <= pr["monochrome"]["max_hue"],
            d <= pr["analogous"]["max_hue"],
            d >= pr["complementary"]["min_hue"],
            (d >= pr["clash"]["min_hue"]) & (d <= pr["clash"]["max_hue"]) & both_sat,
        ],
        [pr["monochrome"]["score"], pr["analogous"]["score"], pr["complementary"]["score"], pr["clash"]["score"]],
        0.0,
    )
    return np.where(na & nb, both_neutral, np.where(na | nb, pr["one_neutral"]["score"], chromatic))


def pair_term(a: Facts, b: Facts, roles: tuple[str, str], context: Context, rules: ExpertRules) -> np.ndarray:
    """The expert term of every pair of items of two roles: colour harmony, loud colours, patterns."""
    score = pair_scores(a, b, rules, top_middle=set(roles) == {"top", "middle"})
    loud_penalty = rules.colour["outfit_rules"]["too_many_loud"]["score_per_extra"]
    score = score + a.loud[:, None] * b.loud[None, :] * (
        loud_penalty if rules.loud_ok[context.occasion] <= 1 else loud_penalty / 3
    )
    score = score + a.pattern[:, None] * b.pattern[None, :] * rules.colour["outfit_rules"]["two_patterns"]["score"]
    if "accessory" in roles:
        return ACCESSORY_PAIR_SHARE[roles[0]] * (score - ACCESSORY_PAIR_CENTRE)
    if "layer" in roles:
        return WEIGHTS["harmony"] * LAYER_PAIR_SHARE * (score - LAYER_PAIR_CENTRE)
    return WEIGHTS["harmony"] * score


@dataclass(frozen=True)
class Terms:
    """Additive scores: a constant, one vector per role and one matrix per pair of roles."""

    const: float
    unary: dict[str, np.ndarray]
    pair: dict[tuple[str, str], np.ndarray]

    def plus(self, other: Terms, scale: float = 1.0) -> Terms:
        """self + scale * other (same closet; a term ``other`` lacks counts as zero)."""
        return Terms(
            self.const + scale * other.const,
            {r: self.unary[r] + scale * other.unary[r] if r in other.unary else self.unary[r] for r in self.unary},
            {p: self.pair[p] + scale * other.pair[p] if p in other.pair else self.pair[p] for p in self.pair},
        )

    def scaled(self, scale: float) -> Terms:
        return Terms(
            scale * self.const,
            {r: scale * u for r, u in self.unary.items()},
            {p: scale * m for p, m in self.pair.items()},
        )

    def outfit(self, picks: dict[str, int]) -> float:
        """The score of one outfit given as role -> position (roles not worn left out)."""
        total = self.const + sum(float(self.unary[r][i]) for r, i in picks.items() if r in self.unary)
        for a, b in self.pair:
            if a in picks and b in picks:
                total += float(self.pair[(a, b)][picks[a], picks[b]])
        return total


def expert_terms(facts: dict[str, Facts], context: Context, rules: ExpertRules) -> Terms:
    """The expert quality of every outfit of a closet as additive terms."""
    roles = ("top", "layer", "middle", "full", "shoes", "accessory")
    empty = facts_of([], rules)
    facts = {r: facts.get(r, empty) for r in roles}
    return Terms(
        HARMONY_BASE,
        {r: unary(facts[r], r, context, rules) for r in roles},
        {(a, b): pair_term(facts[a], facts[b], (a, b), context, rules) for a, b in PAIRS + ACCESSORY_PAIRS},
    )
