"""Build a board: the best outfits for a person, occasion and weather, above a quality floor, explained."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from wardrobe_app.domain import Item, ItemNotFoundError, Outfit, Suggestions
from wardrobe_app.recommend.context import Context, allowed
from wardrobe_app.recommend.explain import explain
from wardrobe_app.recommend.explore import EXPLORE_AFTER, EXPLORE_REASON, exploration_pick
from wardrobe_app.recommend.missing import check_pieces, what_is_missing
from wardrobe_app.recommend.personal import N_FEATURES, Taste, outfit_features, prior_taste, taste_terms
from wardrobe_app.recommend.pieces import ROLES, Facts, by_role, facts_of, role_of
from wardrobe_app.recommend.rules import ExpertRules, expert_rules
from wardrobe_app.recommend.terms import Terms, expert_terms
from wardrobe_app.recommend.topk import FIELDS, Key, top_outfits

#: Never show an outfit whose expert quality is below this (show fewer and say what is missing).
QUALITY_FLOOR = 0.55
#: How often one item may appear on a board before the limit is relaxed.
SHARE_LIMITS = {"top": 1, "full": 1, "layer": 2, "middle": 2, "shoes": 2}
#: Item ids per role, in FIELDS order (None = not worn): identifies an outfit regardless of accessory.
IdKey = tuple[int | None, int | None, int | None, int | None, int | None]
#: Old slot names the GUI and API use for locked items.
SLOT_ALIASES = {"bottom": "shoes"}
PRIOR = prior_taste()


def id_key(outfit: Outfit) -> IdKey:
    return (outfit.top, outfit.layer, outfit.middle, outfit.full, outfit.bottom)


@dataclass(frozen=True)
class Wearable:
    """The items that may be worn in this context, per role, and their facts."""

    items: dict[str, list[Item]]
    facts: dict[str, Facts]

    @classmethod
    def of(
        cls, items: Sequence[Item], context: Context, rules: ExpertRules, keep: Mapping[str, int] | None = None
    ) -> Wearable:
        roles = by_role(items)
        keep = dict(keep or {})
        chosen = {r: [i for i in roles[r] if i.id == item_id] for r, item_id in keep.items()}
        roles = {r: [i for i in v if allowed(i, context, rules)] for r, v in roles.items()}
        for role, found in chosen.items():  # a kept item is worn even if the rules would not pick it
            if not found:
                raise ItemNotFoundError(keep[role])
            roles[role] = found
        if "top" in keep or "middle" in keep:
            roles["full"] = []
        if "full" in keep:
            roles["top"], roles["middle"] = [], []
        return cls(roles, {r: facts_of(v, rules) for r, v in roles.items()})


def check_shapes(items: dict[str, list[Item]]) -> None:
    """CannotMakeOutfitError saying what is missing when no outfit shape can be made."""
    check_pieces(len(items["top"]), len(items["middle"]), len(items["full"]), len(items["shoes"]))


def _keep_for(items: Sequence[Item], with_item: int | None, locked: Mapping[str, int] | None) -> dict[str, int]:
    by_id = {i.id: i for i in items}
    keep: dict[str, int] = {}
    for item_id in [*(locked or {}).values(), *([with_item] if with_item is not None else [])]:
        item = by_id.get(item_id)
        role = role_of(item) if item is not None else None
        if item is None or role is None or role == "accessory":
            raise ItemNotFoundError(item_id)
        keep[role] = item_id
    return keep


def _diverse(keys: list[Key], k: int, fixed: set[str], relax: bool = True) -> list[int]:
    """Greedy, best first, limiting how often one item repeats; relaxes the limits for small closets."""
    chosen: list[int] = []
    for relax_by in range(k + 1 if relax else 1):
        used: Counter[tuple[str, int]] = Counter(
            (r, keys[i][n]) for i in chosen for n, r in enumerate(FIELDS) if keys[i][n] >= 0
        )
        for i, key in enumerate(keys):
            if len(chosen) >= k:
                return chosen
            if i in chosen:
                continue
            worn = [(r, key[n]) for n, r in enumerate(FIELDS) if key[n] >= 0 and r not in fixed]
            if all(used[w] < SHARE_LIMITS[w[0]] + relax_by for w in worn):
                chosen.append(i)
                used.update(worn)
    return chosen


def _picks(key: Key, accessory: int) -> dict[str, int]:
    """Role -> position of an outfit's pieces (the accessory too when it has one)."""
    picks = {r: p for r, p in zip(FIELDS, key, strict=True) if p >= 0}
    return picks | ({"accessory": accessory} if accessory >= 0 else {})


def _candidates(
    total: Terms, expert: Terms, k: int, skip: set[Key], keep: Mapping[str, int], has_layers: bool, rounds: int = 4
) -> tuple[list[Key], list[float], list[float], dict[Key, int]]:
    """Outfits above the quality floor, enough for a diverse board: the exact top of the closet, then
    (when too few differ) the top again with the pieces already used up taken out, a few times.
    Also each outfit's accessory (its position, -1 none)."""
    accessory: dict[Key, int] = {}
    if "layer" in keep and not has_layers:
        return [], [], [], accessory
    keys: list[Key] = []
    quality: list[float] = []
    scores: list[float] = []
    unary = {r: u.copy() for r, u in total.unary.items()}
    seen = set(skip)
    for _ in range(rounds):
        found = top_outfits(Terms(total.const, unary, total.pair), max(4 * k, 20), seen, layer_required="layer" in keep)
        for n in range(len(found)):
            key = found.key(n)
            seen.add(key)
            accessory[key] = found.accessory_of(n)
            q = expert.outfit(_picks(key, accessory[key]))
            if q >= QUALITY_FLOOR:
                keys.append(key)
                quality.append(q)
                scores.append(float(found.score[n]))
        order = sorted(range(len(keys)), key=lambda n: -scores[n])
        chosen = _diverse([keys[n] for n in order], k, set(keep), relax=False)
        if len(chosen) >= k or not len(found):
            break
        used = Counter(
            (r, keys[order[i]][n])
            for i in chosen
            for n, r in enumerate(FIELDS)
            if keys[order[i]][n] >= 0 and r not in keep
        )
        for (role, pos), times in used.items():
            if times >= SHARE_LIMITS[role]:
                unary[role][pos] = -np.inf  # used up: let the next search find other pieces
    return keys, quality, scores, accessory


def build_board(
    items: Sequence[Item],
    context: Context,
    taste: Taste,
    k: int = 5,
    *,
    rng: np.random.Generator | None = None,
    excluded: set[IdKey] | None = None,
    with_item: int | None = None,
    locked: Mapping[str, int] | None = None,
    rules: ExpertRules | None = None,
    explore_card: bool = False,
    rated: set[IdKey] | None = None,
) -> Suggestions:
    """The k best outfits (fewer if not enough are good), best first, each with P(like) and reasons.

    ``rng`` turns on exploration (a Thompson draw of the taste); ``excluded`` outfits (disliked,
    resting, already shown) never come back. ``explore_card`` (with ``rng``, once the person has rated
    ``EXPLORE_AFTER`` outfits, on a board not built around an item) adds one card after the k best: a
    random outfit of the closet (below the quality floor too), first reason ``EXPLORE_REASON`` (explore.py),
    never one of the ``rated`` outfits (rated for this occasion: rating it on the card would replace that rating).
    """
    rules = rules or expert_rules()
    locked = {SLOT_ALIASES.get(s, s): i for s, i in (locked or {}).items() if i is not None}
    keep = _keep_for(items, with_item, locked)
    wear = Wearable.of(items, context, rules, keep)
    check_shapes(by_role(items))  # the closet cannot make any outfit; the context may still leave none
    expert, total, skip = scored_terms(wear, context, taste, rules, rng, excluded)
    keys, quality, scores, accessories = _candidates(total, expert, k, skip, keep, bool(wear.items["layer"]))
    order = sorted(range(len(keys)), key=lambda n: -scores[n])
    keys, quality = [keys[n] for n in order], [quality[n] for n in order]
    cards = [
        _card(_picks(keys[i], accessories[keys[i]]), quality[i], wear, context, taste, rules)
        for i in _diverse(keys, k, set(keep))
    ]
    outfits = [outfit for _p, outfit in sorted(cards, key=lambda c: -c[0])]  # unrounded: the order is the taste's
    missing = what_is_missing(wear, expert, context, rules, QUALITY_FLOOR) if len(outfits) < k else ()
    if explore_card and rng is not None and not keep and taste.n_ratings >= EXPLORE_AFTER:
        sizes = {r: len(v) for r, v in wear.items.items()}
        found = exploration_pick(sizes, expert, rng, skip | set(keys) | _positions(wear, rated))
        if found is not None:
            picks = {r: p for r, p in zip(FIELDS, found[0], strict=True) if p >= 0}
            outfits.append(_card(picks, found[1], wear, context, taste, rules, explore=True)[1])
    return Suggestions(tuple(outfits), missing)


def _card(
    picks: dict[str, int],
    quality: float,
    wear: Wearable,
    context: Context,
    taste: Taste,
    rules: ExpertRules,
    explore: bool = False,
) -> tuple[float, Outfit]:
    """One card: the person's chance of liking it, and the outfit with that chance (rounded) and its reasons
    (the exploration card says so)."""
    worn = {r: wear.items[r][p] for r, p in picks.items()}
    phi = outfit_features(wear.facts, picks)
    garments = [tuple(item.id for r, item in worn.items() if r != "accessory")]
    prob = float(taste.probability(context.occasion, np.array([quality]), phi[None, :], garments)[0])
    learnt = prob  # what the taste learnt, before the exploration cards' map (the prior has none)
    if taste.recalibration != (0.0, 1.0):
        plain = replace(taste, recalibration=(0.0, 1.0))
        learnt = float(plain.probability(context.occasion, np.array([quality]), phi[None, :], garments)[0])
    accessory = worn.get("accessory")
    reasons = explain(worn, context, rules)
    if explore:
        reasons = (EXPLORE_REASON, *reasons)
    elif taste.n_ratings and learnt - _prior_probability(taste, context, quality, phi) > 0.1:
        reasons = ("close to outfits you liked", *reasons)
    return prob, Outfit(
        top=_id(worn, "top"),
        middle=_id(worn, "middle"),
        bottom=_id(worn, "shoes"),
        full=_id(worn, "full"),
        layer=_id(worn, "layer"),
        accessory=accessory.id if accessory else None,
        score=round(prob, 4),
        reasons=tuple(reasons[:4]),
        occasion=context.occasion,
        explore=explore,
    )


def _prior_probability(taste: Taste, context: Context, quality: float, phi: np.ndarray) -> float:
    return float(PRIOR.probability(context.occasion, np.array([quality]), phi[None, :])[0])


def _id(worn: Mapping[str, Item], role: str) -> int | None:
    item = worn.get(role)
    return item.id if item is not None else None


def scored_terms(
    wear: Wearable,
    context: Context,
    taste: Taste,
    rules: ExpertRules,
    rng: np.random.Generator | None,
    excluded: set[IdKey] | None,
) -> tuple[Terms, Terms, set[Key]]:
    """(expert terms, the person's terms, excluded outfits as positions): the expert terms scaled and tilted
    by the taste (its posterior mean, or a Thompson draw with ``rng``) plus item biases; what top-k searches."""
    expert = expert_terms(wear.facts, context, rules)
    theta = taste.draw(context.occasion, rng)
    total = expert.scaled(float(theta[1])).plus(taste_terms(wear.facts, theta[2 : 2 + N_FEATURES]))
    bias = taste.item_bias(theta)
    if bias:
        for role in total.unary:
            total.unary[role] = total.unary[role] + np.array([bias.get(i.id, 0.0) for i in wear.items[role]])
    total = Terms(total.const + float(theta[0]), total.unary, total.pair)
    return expert, total, _positions(wear, excluded)


def _positions(wear: Wearable, outfits: set[IdKey] | None) -> set[Key]:
    """``outfits`` (item ids) as positions among the wearable items; those with an item not wearable are left out."""
    where = {r: {item.id: n for n, item in enumerate(wear.items[r])} for r in ROLES}
    out: set[Key] = set()
    for key in outfits or set():
        pos = tuple(-1 if i is None else where[r].get(i, -2) for r, i in zip(FIELDS, key, strict=True))
        if -2 not in pos:
            out.add(pos)  # type: ignore[arg-type]
    return out
