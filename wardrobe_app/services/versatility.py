"""Each item's versatility: how many good outfits (expert ranker score >= a threshold) it is part of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wardrobe_app.domain import CannotMakeOutfitError, Item
from wardrobe_app.recommend.features import SLOTS
from wardrobe_app.recommend.ranker_file import RankerWeights, sigmoid
from wardrobe_app.recommend.rules import OCCASIONS, ExpertRules, check_occasion, expert_rules
from wardrobe_app.recommend.scoring import score_closet
from wardrobe_app.recommend.suggest import Closet, check_closet

#: An outfit counts as good from this ranker score on (the same bar as "worth buying?").
GOOD_OUTFIT = 0.6


@dataclass(frozen=True)
class Versatility:
    """Good outfits per item (over the occasions asked), and how many good outfits each occasion has."""

    per_item: dict[int, int]  # item id -> good outfits it is in (accessories and unclassified: 0)
    per_occasion: dict[str, int]  # occasion -> good outfits of the closet
    threshold: float

    def of(self, item_id: int) -> int:
        return self.per_item.get(item_id, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "per_occasion": dict(self.per_occasion),
            "per_item": {str(k): v for k, v in sorted(self.per_item.items())},
        }


def versatility(
    weights: RankerWeights,
    items: Sequence[Item],
    occasions: Sequence[str] | None = None,
    threshold: float = GOOD_OUTFIT,
    rules: ExpertRules | None = None,
) -> Versatility:
    """Count, for every item, the outfits of the whole closet it is in that score >= ``threshold``.

    Every outfit is scored (the exact enumeration "worth buying?" uses), once per occasion; an
    empty closet, or one that cannot make an outfit, gives zeros.
    """
    rules = rules or expert_rules()
    occasions = [check_occasion(o) for o in (occasions or OCCASIONS)]
    per_item = {i.id: 0 for i in items}
    per_occasion = dict.fromkeys(occasions, 0)
    closet = Closet.of(items, rules)
    try:
        check_closet(closet)
    except CannotMakeOutfitError:
        return Versatility(per_item, per_occasion, threshold)
    sizes = {s: len(v) for s, v in closet.items.items()}
    keep = max(1, sizes["middle"] * sizes["bottom"], sizes["bottom"])
    ids = {s: np.array([i.id for i in closet.items[s]], dtype=np.int64) for s in SLOTS}
    for occasion in occasions:
        cands = score_closet(weights, closet.facts, occasion, rules, keep=keep)
        good = sigmoid(cands.logit.astype(np.float32)) >= threshold
        per_occasion[occasion] = int(good.sum())
        for slot in SLOTS:
            positions = getattr(cands, slot)[good]
            positions = positions[positions >= 0]
            if not len(positions) or not len(ids[slot]):
                continue
            counts = np.bincount(positions, minlength=len(ids[slot]))
            for item_id, n in zip(ids[slot].tolist(), counts.tolist(), strict=True):
                per_item[item_id] += int(n)
    return Versatility(per_item, per_occasion, threshold)
