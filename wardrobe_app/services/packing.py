"""Packing for a trip: the fewest items giving a distinct good outfit every day (a set cover over ranked outfits)."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from wardrobe_app.domain import CannotMakeOutfitError, Outfit, WardrobeError
from wardrobe_app.recommend.rules import check_occasion

if TYPE_CHECKING:
    from wardrobe_app.services.outfits import OutfitService

#: Longest trip planned (days).
MAX_DAYS = 60
#: Outfits the engine ranks per occasion (its exact top-k, above the quality floor).
CHOICES = 120
#: Partial plans kept at each day of the beam search.
BEAM = 64

OutfitKey = tuple[int | None, ...]


def key_of(outfit: Outfit) -> OutfitKey:
    """What makes two outfits the same (the accessory aside: packing leaves accessories to you)."""
    return (outfit.top, outfit.layer, outfit.middle, outfit.full, outfit.bottom)


@dataclass(frozen=True)
class PackingDay:
    day: int  # 1 = the first day of the trip
    occasion: str
    outfit: Outfit


@dataclass(frozen=True)
class PackingPlan:
    """The items to pack, the outfit of each day, and the greedy baseline's count for comparison."""

    items: tuple[int, ...]
    days: tuple[PackingDay, ...]
    greedy_items: int | None  # None: the greedy baseline found no plan
    candidates: int  # outfits considered
    weather: str | None = None

    def to_json(self, labels: Mapping[int, str] | None = None) -> dict[str, Any]:
        labels = labels or {}
        return {
            "items": [{"id": i, "label": labels.get(i)} for i in self.items],
            "days": [
                {"day": d.day, "occasion": d.occasion, "items": list(d.outfit.item_ids), "score": d.outfit.score}
                for d in self.days
            ],
            "greedy_items": self.greedy_items,
            "outfits_considered": self.candidates,
            "weather": self.weather,
        }

    def as_text(self, labels: Mapping[int, str], ids: bool = True) -> str:
        """The packing list and the day-by-day plan, as plain text (to print or save).

        ``ids``: each item's id after its label (the CLI's handle); the window's labels are told apart instead."""
        name = lambda i: f"{labels.get(i, 'item')}" + (f" ({i})" if ids else "")  # noqa: E731
        trip = f"{len(self.days)} days" + (f", {self.weather} weather" if self.weather else "")
        lines = [f"Packing list for {trip}: {len(self.items)} items", ""]
        lines += [f"[ ] {name(i)}" for i in self.items]
        lines += ["", "Day by day:"]
        lines += [f"day {d.day} ({d.occasion}): " + " + ".join(name(i) for i in d.outfit.item_ids) for d in self.days]
        return "\n".join(lines) + "\n"


def trip_occasions(days: int | None, occasions: str | Sequence[str]) -> list[str]:
    """The occasion of each day: "work,casual" takes turns over ``days``; "work:5,casual:2" counts them."""
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS):
        raise WardrobeError(f"a trip lasts from 1 to {MAX_DAYS} days, not {days!r}")
    given = occasions.split(",") if isinstance(occasions, str) else list(occasions)
    if not all(isinstance(p, str) for p in given):
        raise WardrobeError("the trip's occasions are words, e.g. work,casual (or work:5,casual:2)")
    parts = [p.strip() for p in given if p.strip()]
    if not parts:
        raise WardrobeError("name the trip's occasions, e.g. --occasions work,casual (or work:5,casual:2)")
    counted = [p.partition(":") for p in parts]
    if any(sep for _, sep, _ in counted):
        if not all(sep for _, sep, _ in counted):
            raise WardrobeError("give a count for every occasion (work:5,casual:2) or for none (work,casual)")
        trip: list[str] = []
        for occasion, _, count in counted:
            if not count.strip().isdigit() or not count.strip().isascii() or len(count.strip()) > 3:
                raise WardrobeError(f"{count!r} is not a number of days from 0 to {MAX_DAYS} (in {occasion}:{count})")
            if len(trip) + int(count) > MAX_DAYS:
                raise WardrobeError(f"a trip lasts from 1 to {MAX_DAYS} days, not more")
            trip += [check_occasion(occasion.strip())] * int(count)
        if days is not None and days != len(trip):
            raise WardrobeError(f"the occasions count {len(trip)} days but the trip has {days}")
    else:
        if days is None:
            raise WardrobeError("say how many days the trip lasts (--days N)")
        cycle = [check_occasion(p) for p in parts]
        trip = [cycle[n % len(cycle)] for n in range(max(days, 0))]
    if not 1 <= len(trip) <= MAX_DAYS:
        raise WardrobeError(f"a trip lasts from 1 to {MAX_DAYS} days, not {len(trip)}")
    return trip


@dataclass(frozen=True)
class _Choice:
    key: OutfitKey
    items: frozenset[int]
    outfit: Outfit


def _choices(ranked: Mapping[str, Sequence[Outfit]]) -> dict[str, list[_Choice]]:
    out: dict[str, list[_Choice]] = {}
    for occasion, outfits in ranked.items():
        seen: set[OutfitKey] = set()
        out[occasion] = []
        for outfit in sorted(outfits, key=lambda o: -o.score):
            outfit = replace(outfit, accessory=None, occasion=occasion)
            if key_of(outfit) not in seen:
                seen.add(key_of(outfit))
                out[occasion].append(_Choice(key_of(outfit), frozenset(outfit.item_ids), outfit))
    return out


def greedy(trip: Sequence[str], choices: Mapping[str, Sequence[_Choice]]) -> list[_Choice] | None:
    """The baseline: day by day, the unused outfit adding the fewest new items (the best one on ties)."""
    packed: set[int] = set()
    used: set[OutfitKey] = set()
    plan = []
    for occasion in trip:
        free = [c for c in choices.get(occasion, ()) if c.key not in used]
        if not free:
            return None
        best = min(free, key=lambda c: len(c.items - packed))  # min keeps the first (best-ranked) on ties
        plan.append(best)
        used.add(best.key)
        packed |= best.items
    return plan


def _beam(trip: Sequence[str], choices: Mapping[str, Sequence[_Choice]]) -> list[_Choice] | None:
    """Beam search over the days (most constrained occasion first): the BEAM partial plans with fewest items.

    Item sets and used outfits are bit masks (ints): unions and counts stay cheap.
    """
    bit: dict[int, int] = {}
    slot: dict[OutfitKey, int] = {}
    masks = {
        occasion: [
            (
                sum(1 << bit.setdefault(i, len(bit)) for i in c.items),
                1 << slot.setdefault(c.key, len(slot)),
                c,
            )
            for c in options
        ]
        for occasion, options in choices.items()
    }
    order = sorted(range(len(trip)), key=lambda d: (len(choices.get(trip[d], ())), d))
    states: list[tuple[int, int, float, tuple[Any, ...]]] = [(0, 0, 0.0, ())]  # items, used, score, (day, choice)...
    for day in order:
        grown: dict[tuple[int, int], tuple[int, int, float, tuple[Any, ...]]] = {}
        for packed, used, score, plan in states:
            for items_mask, key_bit, choice in masks.get(trip[day], ()):
                if used & key_bit:
                    continue
                sig = (packed | items_mask, used | key_bit)
                total = score + choice.outfit.score
                if sig not in grown or grown[sig][2] < total:
                    grown[sig] = (sig[0], sig[1], total, (*plan, (day, choice)))
        if not grown:
            return None
        states = heapq.nsmallest(BEAM, grown.values(), key=lambda s: (s[0].bit_count(), -s[2]))
    by_day = dict(states[0][3])
    return [by_day[d] for d in range(len(trip))]


def _assign(
    trip: Sequence[str], choices: Mapping[str, Sequence[_Choice]], allowed: frozenset[int]
) -> list[_Choice] | None:
    """The best-scoring plan wearing only ``allowed`` items (a distinct outfit per day), or None."""
    from scipy.optimize import linear_sum_assignment

    pool: dict[OutfitKey, int] = {}
    fits: list[list[tuple[int, _Choice]]] = []
    for occasion in trip:
        row = []
        for choice in choices.get(occasion, ()):
            if choice.items <= allowed:
                row.append((pool.setdefault(choice.key, len(pool)), choice))
        if not row:
            return None
        fits.append(row)
    if len(pool) < len(trip):
        return None
    forbidden = 1e6
    cost = np.full((len(trip), len(pool)), forbidden)
    for day, row in enumerate(fits):
        for column, choice in row:
            cost[day, column] = -choice.outfit.score
    days, columns = linear_sum_assignment(cost)
    if (cost[days, columns] >= forbidden).any():
        return None
    by_cell = {(d, c): choice for d, row in enumerate(fits) for c, choice in row}
    return [by_cell[(int(d), int(c))] for d, c in zip(days, columns, strict=True)]


def _prune(trip: Sequence[str], choices: Mapping[str, Sequence[_Choice]], plan: list[_Choice]) -> list[_Choice]:
    """Drop items while the days can still be covered without them (least worn in the plan first)."""
    packed = frozenset().union(*(c.items for c in plan))
    best = _assign(trip, choices, packed) or plan
    changed = True
    while changed:
        changed = False
        use = Counter(i for c in best for i in c.items)
        for item in sorted(packed, key=lambda i: (use[i], i)):
            found = _assign(trip, choices, packed - {item})
            if found is not None:
                packed, best, changed = packed - {item}, found, True
                break
    return best


def _size(plan: Sequence[_Choice]) -> int:
    return len(frozenset().union(*(c.items for c in plan)))


def pack(trip: Sequence[str], ranked: Mapping[str, Sequence[Outfit]], weather: str | None = None) -> PackingPlan:
    """The fewest items (never more than the greedy baseline) for a distinct good outfit each day of ``trip``.

    ``ranked``: each occasion's good outfits, best first (the outfit engine's top-k). Among
    equally small plans the one with the best total score wins. CannotMakeOutfitError when there
    are not enough distinct outfits.
    """
    choices = _choices(ranked)
    for occasion, days in Counter(trip).items():
        if len(choices.get(occasion, ())) < days:
            raise CannotMakeOutfitError(
                f"the closet has {len(choices.get(occasion, ()))} good outfit(s) for {occasion} "
                f"but the trip needs {days} different ones; add items or plan fewer {occasion} days"
            )
    baseline = greedy(trip, choices)
    found = [p for p in (baseline, _beam(trip, choices)) if p is not None]
    if not found:
        everything = frozenset().union(*(c.items for v in choices.values() for c in v))
        found = [p for p in [_assign(trip, choices, everything)] if p is not None]
    if not found:
        raise CannotMakeOutfitError("the good outfits cannot give every day of the trip a different outfit")
    best = _prune(trip, choices, min(found, key=lambda p: (_size(p), -sum(c.outfit.score for c in p))))
    items = sorted(frozenset().union(*(c.items for c in best)))
    plan = tuple(PackingDay(n + 1, occasion, c.outfit) for n, (occasion, c) in enumerate(zip(trip, best, strict=True)))
    return PackingPlan(
        tuple(items),
        plan,
        _size(baseline) if baseline is not None else None,
        sum(len(v) for v in choices.values()),
        weather,
    )


def plan_trip(
    outfits: OutfitService, days: int | None, occasions: str | Sequence[str], weather: str | float | None
) -> PackingPlan:
    """What ``Wardrobe.pack`` does: the engine's exact top outfits per occasion (available items, the
    person's taste, the weather; disliked outfits left out), then the set cover."""
    from wardrobe_app.recommend.context import parse_weather
    from wardrobe_app.recommend.ranked import ranked_outfits

    trip = trip_occasions(days, occasions)
    sky = parse_weather(weather)
    taste, items = outfits.taste(), outfits.items(False)
    ranked = {
        o: ranked_outfits(items, outfits.context(o, sky), taste, CHOICES, outfits.disliked(o))
        for o in dict.fromkeys(trip)
    }
    return pack(trip, ranked, sky)
