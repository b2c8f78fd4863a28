"""The outfit engine's exact top-k for a context, not diversified: many good outfits that share pieces (packing)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wardrobe_app.domain import Item, Outfit
from wardrobe_app.recommend.context import Context
from wardrobe_app.recommend.engine import QUALITY_FLOOR, IdKey, Wearable, check_shapes, scored_terms
from wardrobe_app.recommend.personal import Taste, outfit_features
from wardrobe_app.recommend.pieces import by_role
from wardrobe_app.recommend.rules import ExpertRules, expert_rules
from wardrobe_app.recommend.topk import FIELDS, top_outfits


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
    expert, total, skip = scored_terms(wear, context, taste, rules, None, excluded)
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
