"""The outfit engine's exact top-k for a context, not diversified: many good outfits that share pieces (packing)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wardrobe_app.domain import Item, Outfit
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.engine import QUALITY_FLOOR, IdKey, Wearable, check_shapes
from wardrobe_app.recommend.personal import N_FEATURES, Taste, outfit_features, taste_terms
from wardrobe_app.recommend.pieces import ROLES, by_role
from wardrobe_app.recommend.rules import ExpertRules, expert_rules
from wardrobe_app.recommend.terms import Terms, expert_terms
from wardrobe_app.recommend.topk import FIELDS, Key, top_outfits


def ranked_outfits(
    items: Sequence[Item],
    context: Context,
    taste: Taste,
    k: int,
    excluded: set[IdKey] | None = None,
    rules: ExpertRules | None = None,
) -> list[Outfit]:
    """The ``k`` best outfits by the person's taste (posterior mean), those above the quality floor, best first.

    The same scoring as the board (expert terms scaled and tilted by the taste, item biases), without
    the board's variety limits, so one pair of shoes may appear in many of them. Accessories are left out.
    """
    rules = rules or expert_rules()
    wear = Wearable.of(items, context, rules)
    check_shapes(by_role(items))
    facts = wear.facts
    expert = expert_terms(facts, context, rules)
    theta = taste.draw(context.occasion, None)
    total = expert.scaled(float(theta[1])).plus(taste_terms(facts, theta[2 : 2 + N_FEATURES]))
    bias = taste.item_bias(theta)
    if bias:
        for role in total.unary:
            total.unary[role] = total.unary[role] + np.array([bias.get(i.id, 0.0) for i in wear.items[role]])
    total = Terms(total.const + float(theta[0]), total.unary, total.pair)
    where = {r: {item.id: n for n, item in enumerate(wear.items[r])} for r in ROLES}
    skip: set[Key] = set()
    for key in excluded or set():
        pos = tuple(-1 if i is None else where[r].get(i, -2) for r, i in zip(FIELDS, key, strict=True))
        if -2 not in pos:
            skip.add(pos)  # type: ignore[arg-type]
    found = top_outfits(total, k, skip)
    picks_of, quality = [], []
    for n in range(len(found)):
        picks = {r: p for r, p in zip(FIELDS, found.key(n), strict=True) if p >= 0}
        q = expert.outfit(picks)
        if q >= QUALITY_FLOOR:
            picks_of.append(picks)
            quality.append(q)
    if not picks_of:
        return []
    phi = np.stack([outfit_features(facts, picks) for picks in picks_of])
    worn = [{r: wear.items[r][p] for r, p in picks.items()} for picks in picks_of]
    garments = [tuple(item.id for item in w.values()) for w in worn]
    prob = taste.probability(context.occasion, np.array(quality), phi, garments)
    outfits = [
        Outfit(
            top=_id(w, "top"),
            middle=_id(w, "middle"),
            bottom=_id(w, "shoes"),
            full=_id(w, "full"),
            layer=_id(w, "layer"),
            score=round(float(p), 4),
            occasion=context.occasion,
        )
        for w, p in zip(worn, prob, strict=True)
    ]
    return sorted(outfits, key=lambda o: -o.score)


def _id(worn: dict[str, Item], role: str) -> int | None:
    item = worn.get(role)
    return None if item is None else item.id
