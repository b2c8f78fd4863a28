"""What the closet lacks for an occasion: the one garment that would make the most good outfits."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS, CannotMakeOutfitError, Group, Item, category_name
from wardrobe_app.recommend.context import NOT_IN_WEATHER, Context
from wardrobe_app.recommend.pieces import LAYER_CATEGORIES, Facts, facts_of
from wardrobe_app.recommend.rules import ExpertRules
from wardrobe_app.recommend.samples import make_item
from wardrobe_app.recommend.terms import Terms, pair_term, unary

if TYPE_CHECKING:
    from wardrobe_app.recommend.engine import Wearable


def check_pieces(tops: int, middles: int, fulls: int, shoes: int) -> None:
    """CannotMakeOutfitError saying what is missing when these counts of pieces make no outfit."""
    missing = []
    if not shoes:
        missing.append("shoes")
    if not fulls and not (tops and middles):
        if not tops:
            missing.append("top (t-shirt, shirt, ...)")
        if not middles:
            missing.append("bottom (pants, jeans, skirt, ...)")
        if missing and missing != ["shoes"]:
            missing[-1] += " or dress"  # "no a top" read wrong
    if missing:
        raise CannotMakeOutfitError(
            f"cannot make an outfit: the closet has no {' and no '.join(missing)} (archived items are left out)"
        )


CANDIDATE_COLOURS = {
    "black": (0.0, 0.0, 0.08),
    "white": (0.0, 0.02, 0.96),
    "navy": (225.0, 0.7, 0.3),
    "grey": (0.0, 0.03, 0.55),
    "beige": (35.0, 0.22, 0.85),
}
ROLE_GROUP = {"top": Group.TOP, "middle": Group.MIDDLE, "full": Group.FULL, "shoes": Group.BOTTOM}
NOUN = {"top": "top", "middle": "bottom", "full": "dress", "shoes": "shoes"}


def _count(
    role: str, new: Facts, wear: Wearable, expert: Terms, context: Context, rules: ExpertRules, floor: float
) -> int:
    """How many outfits (no layer) with the new item reach the floor."""
    f, u, p = wear.facts, expert.unary, expert.pair
    own = float(unary(new, role, context, rules)[0])

    def pt(a: str, b: str) -> np.ndarray:  # pair terms of the new item (as role a) with role b: (n_b,)
        if (a, b) in p:
            return pair_term(new, f[b], (a, b), context, rules)[0]
        return pair_term(f[b], new, (b, a), context, rules)[:, 0]

    base = expert.const + own
    if role == "shoes":
        tm = (
            u["top"][:, None]
            + u["middle"][None, :]
            + p[("top", "middle")]
            + pt("shoes", "top")[:, None]
            + pt("shoes", "middle")[None, :]
        )
        dress = u["full"] + pt("shoes", "full")
        return int((base + tm >= floor).sum() + (base + dress >= floor).sum())
    if role == "top":
        ms = (
            u["middle"][:, None]
            + u["shoes"][None, :]
            + p[("middle", "shoes")]
            + pt("top", "middle")[:, None]
            + pt("top", "shoes")[None, :]
        )
        return int((base + ms >= floor).sum())
    if role == "middle":
        ts = (
            u["top"][:, None]
            + u["shoes"][None, :]
            + p[("top", "shoes")]
            + pt("middle", "top")[:, None]
            + pt("middle", "shoes")[None, :]
        )
        return int((base + ts >= floor).sum())
    return int((base + u["shoes"] + pt("full", "shoes") >= floor).sum())


def what_is_missing(
    wear: Wearable, expert: Terms, context: Context, rules: ExpertRules, floor: float
) -> tuple[str, ...]:
    """One sentence: the garment (kind and colour) that would add the most good outfits, and how many."""
    occasion = context.occasion
    best: tuple[int, str, str, str] | None = None
    wanted: dict[str, tuple[int, str, str]] = {}
    banned = NOT_IN_WEATHER.get(context.weather or "", frozenset())
    for role, group in ROLE_GROUP.items():
        kinds = [c for c, g in CATEGORY_GROUPS.items() if g is group and c not in LAYER_CATEGORIES and c not in banned]
        kind = max(
            kinds,
            key=lambda c: (rules.suits(occasion, c), -abs(rules.formality(c) - rules.occasion_formality[occasion])),
        )
        for colour, hsv in CANDIDATE_COLOURS.items():
            new: Item = make_item(-1, kind, colour, hsv)
            n = _count(role, facts_of([new], rules), wear, expert, context, rules, floor)
            if best is None or n > best[0]:
                best = (n, role, kind, colour)
            if role not in wanted or n > wanted[role][0]:
                wanted[role] = (n, kind, colour)
    if best is None or best[0] == 0:  # one piece is not enough: say what a whole outfit needs
        need = [f"{wanted[r][2]} {category_name(wanted[r][1])}" for r in ("top", "middle", "shoes")]
        return (f"nothing in this closet suits {occasion}: it needs, for example, {need[0]}, {need[1]} and {need[2]}",)
    n, role, kind, colour = best
    have = sum(1 for i in wear.items[role] if i.category == kind)
    plural = kind.endswith("s") and kind != "dress"
    article = "a pair of" if plural else "a"
    name = category_name(kind)
    lack = f"no {name}" if not have else f"few good {NOUN[role]} for {occasion}"
    return (
        f"{lack}: {article} {colour} {name} would make {n} {occasion} outfit{'s' if n != 1 else ''} (see Worth buying)",
    )
