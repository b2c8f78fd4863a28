"""Pick the k best outfits of a closet for an occasion: diverse, around an item, with slots locked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.domain import Item, ItemNotFoundError, Outfit
from wardrobe_app.recommend.expert import judge
from wardrobe_app.recommend.features import SLOTS, ItemFacts, item_facts
from wardrobe_app.recommend.missing import check_pieces
from wardrobe_app.recommend.ranker_file import RankerWeights, sigmoid
from wardrobe_app.recommend.rules import ExpertRules, check_occasion, expert_rules
from wardrobe_app.recommend.samples import by_slot
from wardrobe_app.recommend.scoring import Candidates, score_closet

#: How often one item may appear among the k suggestions before relaxing (slot -> times).
SHARE_LIMITS = {"top": 1, "full": 1, "middle": 2, "bottom": 2}
OutfitKey = tuple[int | None, int | None, int | None, int | None]  # top, middle, full, bottom ids


@dataclass(frozen=True)
class Closet:
    """The closet's wearable items per slot, with their feature facts."""

    items: dict[str, list[Item]]
    facts: dict[str, ItemFacts]

    @classmethod
    def of(cls, items: Sequence[Item], rules: ExpertRules | None = None) -> Closet:
        rules = rules or expert_rules()
        slots = by_slot(items)
        return cls(slots, {s: item_facts(slots[s], s, rules) for s in SLOTS})

    def slot_of(self, item_id: int) -> str:
        for slot, items in self.items.items():
            if any(i.id == item_id for i in items):
                return slot
        raise ItemNotFoundError(item_id)

    def only(self, keep: Mapping[str, int], rules: ExpertRules) -> Closet:
        """The closet with the ``keep`` slots narrowed to one item each (dresses exclude top/middle)."""
        items = dict(self.items)
        for slot, item_id in keep.items():
            items[slot] = [i for i in self.items[slot] if i.id == item_id]
            if not items[slot]:
                raise ItemNotFoundError(item_id)
        if "top" in keep or "middle" in keep:
            items["full"] = []
        if "full" in keep:
            items["top"], items["middle"] = [], []
        return Closet(items, {s: item_facts(items[s], s, rules) for s in SLOTS})


def check_closet(closet: Closet) -> None:
    """CannotMakeOutfitError saying what is missing when no outfit can be made."""
    n = {s: len(v) for s, v in closet.items.items()}
    check_pieces(n["top"], n["middle"], n["full"], n["bottom"])


def _positions(closet: Closet, key: OutfitKey) -> tuple[int, int, int, int] | None:
    found = []
    for slot, item_id in zip(("top", "middle", "full", "bottom"), key, strict=True):
        if item_id is None:
            found.append(-1)
            continue
        ids = closet.facts[slot].ids
        hit = np.flatnonzero(ids == item_id)
        if not len(hit):
            return None
        found.append(int(hit[0]))
    return found[0], found[1], found[2], found[3]


def _diverse(cands: Candidates, k: int, fixed: set[str]) -> list[int]:
    """Greedy pick, best first, limiting how often one item repeats; relaxes limits if the closet is small."""
    order = np.argsort(-cands.logit, kind="stable")
    chosen: list[int] = []
    for relax in range(0, k + 1):
        used: Counter[tuple[str, int]] = Counter(
            (s, int(getattr(cands, s)[i])) for i in chosen for s in SLOTS if getattr(cands, s)[i] >= 0
        )
        for i in order:
            if len(chosen) >= k:
                return chosen
            if i in chosen:
                continue
            slots = [(s, int(getattr(cands, s)[i])) for s in SLOTS if getattr(cands, s)[i] >= 0 and s not in fixed]
            if all(used[key] < SHARE_LIMITS[key[0]] + relax for key in slots):
                chosen.append(int(i))
                used.update(slots)
    return chosen


def suggest_outfits(
    weights: RankerWeights,
    closet: Closet,
    occasion: str,
    k: int = 5,
    with_item: int | None = None,
    locked: Mapping[str, int] | None = None,
    disliked: set[OutfitKey] | None = None,
    personal: bool = False,
    rules: ExpertRules | None = None,
) -> list[Outfit]:
    """The k best outfits (best first), each with its score and reasons in words.

    ``personal`` says ``weights`` is the user's own ranker (adds "close to outfits you liked").
    """
    rules = rules or expert_rules()
    occasion = check_occasion(occasion)
    keep = {slot: item_id for slot, item_id in (locked or {}).items() if item_id is not None}
    if with_item is not None:
        keep[closet.slot_of(with_item)] = with_item
    narrowed = closet.only(keep, rules) if keep else closet
    check_closet(narrowed)
    excluded = {p for p in (_positions(narrowed, key) for key in (disliked or set())) if p is not None}
    cands = score_closet(weights, narrowed.facts, occasion, rules, keep=max(k, 5), excluded=excluded)
    outfits = []
    for i in _diverse(cands, k, set(keep)):
        worn = {s: narrowed.items[s][int(getattr(cands, s)[i])] if getattr(cands, s)[i] >= 0 else None for s in SLOTS}
        verdict = judge(worn, occasion, rules)
        score = float(sigmoid(cands.logit[i : i + 1])[0])
        reasons = list(verdict.words(3))
        if personal and score - verdict.score > 0.1:  # the personal ranker likes it more than the rules do
            reasons.insert(0, "close to outfits you liked")
        outfits.append(
            Outfit(
                top=worn["top"].id if worn["top"] else None,
                middle=worn["middle"].id if worn["middle"] else None,
                bottom=worn["bottom"].id if worn["bottom"] else None,
                full=worn["full"].id if worn["full"] else None,
                score=round(score, 4),
                reasons=tuple(reasons),
                occasion=occasion,
            )
        )
    return outfits
