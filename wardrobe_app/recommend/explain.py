"""Reasons in words for one outfit: one dress-code verdict per piece (never two that disagree), colours, weather."""

from __future__ import annotations

from collections.abc import Mapping

from wardrobe_app.domain import Colour, Item, category_name
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.expert import _pair
from wardrobe_app.recommend.rules import ExpertRules
from wardrobe_app.recommend.terms import ACCESSORY_PAIR_CENTRE, ACCESSORY_WEATHER

ORDER = ("layer", "top", "full", "middle", "shoes", "accessory")
COLOUR_PAIRS = (
    ("top", "middle"),
    ("full", "shoes"),
    ("middle", "shoes"),
    ("layer", "top"),
    ("layer", "full"),
    ("top", "shoes"),
    ("layer", "shoes"),
)
#: Accessories' colours are judged against the piece they are seen with (the layer when one is worn).
ACCESSORY_SEEN_WITH = ("layer", "top", "full")
WEATHER_WORDS = {"cold": "for the cold", "mild": "for a mild day", "warm": "against the sun", "hot": "against the sun"}


def _plural(category: str) -> bool:
    return category.endswith("s") and category != "dress"


def piece_verdict(item: Item, occasion: str, rules: ExpertRules) -> tuple[float, str] | None:
    """The one dress-code reason of a piece: it suits, it is out of place, too casual or too dressy."""
    category = category_name(item.category, "item")
    suits = rules.suits(occasion, item.category)
    gap = rules.formality(item.category, item.formality) - rules.occasion_formality[occasion]
    be = "are" if _plural(category) else "is"
    where = f"at {occasion}" if occasion in ("work", "sport", "party") else f"for {occasion}"
    if suits <= 0.3:
        return -0.3, f"{category} {be} out of place {where}"
    if gap <= -2.0:
        return -0.2, f"{category} {be} too casual for {occasion}"
    if gap >= 2.0:
        return -0.2, f"{category} {be} too dressy for {occasion}"
    if suits >= 0.8:
        return 0.1 * suits, f"{category} {'suit' if _plural(category) else 'suits'} {occasion}"
    return None


def _colour(item: Item) -> Colour:
    return item.dominant_colour or Colour("grey", "#808080", (0.0, 0.0, 0.5), 1.0)


def explain(worn: Mapping[str, Item], context: Context, rules: ExpertRules, limit: int = 4) -> tuple[str, ...]:
    """Good reasons first, at most ``limit``, colour and dress code alternating."""
    code: list[tuple[float, str]] = []
    for role in ORDER:
        if role in worn and role != "accessory":
            verdict = piece_verdict(worn[role], context.occasion, rules)
            if verdict:
                code.append(verdict)
    colour: list[tuple[float, str]] = []
    said: set[frozenset[str]] = set()  # one reason per pair of colours ("white and black", then "black and white")
    for a, b in COLOUR_PAIRS:
        if a in worn and b in worn:
            ca, cb = _colour(worn[a]), _colour(worn[b])
            score, text = _pair(ca, cb, rules, {a, b} == {"top", "middle"})
            if text and frozenset((ca.name, cb.name)) not in said:
                said.add(frozenset((ca.name, cb.name)))
                colour.append((score, text))
    if "layer" in worn and context.weather == "cold":
        code.append((0.1, f"{category_name(worn['layer'].category, 'layer')} for the cold"))
    if "accessory" in worn:
        code.extend(accessory_reasons(worn, context, rules))
    mixed: list[str] = []
    code_good = [t for w, t in sorted(code, key=lambda r: -r[0]) if w >= 0]
    colour_good = [t for w, t in sorted(colour, key=lambda r: -r[0]) if w >= 0]
    while code_good or colour_good:
        for group in (colour_good, code_good):
            if group:
                mixed.append(group.pop(0))
    bad = [t for _, t in sorted((r for r in code + colour if r[0] < 0), key=lambda r: r[0])]
    if bad:  # the strongest objection always shows
        return tuple(dict.fromkeys(mixed[: limit - 1] + bad[:1]))
    return tuple(dict.fromkeys(mixed))[:limit]


def accessory_reasons(worn: Mapping[str, Item], context: Context, rules: ExpertRules) -> list[tuple[float, str]]:
    """Why the accessory is there: the weather (a hat against the sun, a scarf for the cold) and its colour."""
    accessory = worn["accessory"]
    category = category_name(accessory.category, "accessory")
    reasons: list[tuple[float, str]] = []
    weather = ACCESSORY_WEATHER.get(accessory.category or "", {}).get(context.weather or "", 0.0)
    if weather > 0 and context.weather:
        reasons.append((weather + 0.05, f"{category} {WEATHER_WORDS[context.weather]}"))
    seen = next((worn[r] for r in ACCESSORY_SEEN_WITH if r in worn), None)
    if seen is not None:
        score, text = _pair(_colour(accessory), _colour(seen), rules, False)
        if text and score > ACCESSORY_PAIR_CENTRE:
            reasons.append((score / 2, f"{category}: {text}"))
    if not reasons:
        reasons.append((0.01, f"{accessory.label} finishes it"))
    return reasons
