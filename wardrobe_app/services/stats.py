"""Closet statistics from the wear diary: wears per item, cost per wear, colour mix, category balance."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from wardrobe_app.domain import Item, distinct_labels
from wardrobe_app.recommend.rules import OCCASIONS, expert_rules

#: How many items the most/least worn and best/worst value lists hold.
TOP_N = 5
#: A category suits an occasion from this expert suitability (0..1) on, for the occasion balance.
SUITS_FROM = 0.6

WearLog = Sequence[tuple[int, int, date, str]]  # (entry id, item id, day, occasion) of worn entries


@dataclass(frozen=True)
class ItemWear:
    """How much one closet item was worn, and what each wear cost."""

    item_id: int
    label: str
    category: str | None
    wears: int
    last_worn: date | None
    price: float | None
    title: str = ""  # the label told apart from the closet's other items' (plots name items by it, not by id)

    @property
    def cost_per_wear(self) -> float | None:
        """Price over wears; an item never worn costs its whole price per (first) wear. None without a price."""
        return None if self.price is None else self.price / max(self.wears, 1)

    def to_json(self) -> dict[str, Any]:
        cpw = self.cost_per_wear
        return {
            "id": self.item_id,
            "label": self.label,
            "category": self.category,
            "wears": self.wears,
            "last_worn": self.last_worn.isoformat() if self.last_worn else None,
            "price": self.price,
            "cost_per_wear": None if cpw is None else round(cpw, 2),
        }


@dataclass(frozen=True)
class ColourShare:
    """One colour name's share of the closet (each item counts once, split by its colours' shares)."""

    name: str
    hex: str
    share: float


@dataclass(frozen=True)
class ClosetStats:
    """Everything ``wardrobe stats`` shows; lists are sorted as they are shown."""

    items: tuple[ItemWear, ...]  # most worn first (ties: the longest unworn last)
    outfits_worn: int
    first_day: date | None
    last_day: date | None
    colour_mix: tuple[ColourShare, ...]
    categories: tuple[tuple[str, int, int], ...]  # category, items, wears
    occasions: tuple[tuple[str, int, int], ...]  # occasion, items that suit it, outfits worn for it

    @property
    def most_worn(self) -> tuple[ItemWear, ...]:
        return tuple(i for i in self.items if i.wears)[:TOP_N]

    @property
    def least_worn(self) -> tuple[ItemWear, ...]:
        return tuple(sorted(self.items, key=lambda i: (i.wears, i.last_worn or date.min, i.item_id)))[:TOP_N]

    @property
    def never_worn(self) -> tuple[ItemWear, ...]:
        return tuple(i for i in self.items if not i.wears)

    def _priced(self) -> list[ItemWear]:
        return sorted(
            (i for i in self.items if i.cost_per_wear is not None), key=lambda i: (i.cost_per_wear, i.item_id)
        )

    @property
    def best_value(self) -> tuple[ItemWear, ...]:
        """Priced items that cost least per wear (worn ones only)."""
        return tuple(i for i in self._priced() if i.wears)[:TOP_N]

    @property
    def worst_value(self) -> tuple[ItemWear, ...]:
        """Priced items that cost most per wear (never worn: their whole price)."""
        return tuple(reversed(self._priced()))[:TOP_N]

    def to_json(self) -> dict[str, Any]:
        def ids(items: tuple[ItemWear, ...]) -> list[int]:
            return [i.item_id for i in items]

        return {
            "items": [i.to_json() for i in self.items],
            "outfits_worn": self.outfits_worn,
            "item_wears": sum(i.wears for i in self.items),
            "from": self.first_day.isoformat() if self.first_day else None,
            "to": self.last_day.isoformat() if self.last_day else None,
            "most_worn": ids(self.most_worn),
            "least_worn": ids(self.least_worn),
            "never_worn": ids(self.never_worn),
            "best_value": ids(self.best_value),
            "worst_value": ids(self.worst_value),
            "colour_mix": [{"name": c.name, "hex": c.hex, "share": round(c.share, 4)} for c in self.colour_mix],
            "categories": [{"category": c, "items": n, "wears": w} for c, n, w in self.categories],
            "occasions": [{"occasion": o, "items_that_suit": n, "outfits_worn": w} for o, n, w in self.occasions],
        }


def closet_stats(items: Sequence[Item], log: WearLog) -> ClosetStats:
    """The statistics of the (unarchived) closet ``items`` from the worn diary entries ``log``."""
    wears: Counter[int] = Counter()
    last: dict[int, date] = {}
    entries: dict[int, tuple[date, str]] = {}
    for entry_id, item_id, day, occasion in log:
        wears[item_id] += 1
        if item_id not in last or day > last[item_id]:
            last[item_id] = day
        entries[entry_id] = (day, occasion)
    titles = distinct_labels(items)
    rows = [ItemWear(i.id, i.label, i.category, wears[i.id], last.get(i.id), i.price, titles[i.id]) for i in items]
    rows.sort(key=lambda r: (-r.wears, -(r.last_worn or date.min).toordinal(), r.item_id))
    days = [d for d, _ in entries.values()]
    return ClosetStats(
        items=tuple(rows),
        outfits_worn=len(entries),
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        colour_mix=_colour_mix(items),
        categories=_categories(rows),
        occasions=_occasions(items, Counter(o for _, o in entries.values())),
    )


def _colour_mix(items: Sequence[Item]) -> tuple[ColourShare, ...]:
    weight: defaultdict[str, float] = defaultdict(float)
    hexes: dict[str, tuple[float, str]] = {}
    for item in items:
        total = sum(c.share for c in item.colours)
        if total <= 0:
            continue
        for colour in item.colours:
            weight[colour.name] += colour.share / total
            if colour.share > hexes.get(colour.name, (-1.0, ""))[0]:  # the colour's most typical swatch
                hexes[colour.name] = (colour.share, colour.hex)
    whole = sum(weight.values()) or 1.0
    mix = [ColourShare(name, hexes[name][1], w / whole) for name, w in weight.items()]
    return tuple(sorted(mix, key=lambda c: (-c.share, c.name)))


def _categories(rows: Sequence[ItemWear]) -> tuple[tuple[str, int, int], ...]:
    count: Counter[str] = Counter()
    worn: Counter[str] = Counter()
    for row in rows:
        key = row.category or "unclassified"
        count[key] += 1
        worn[key] += row.wears
    return tuple(sorted(((c, n, worn[c]) for c, n in count.items()), key=lambda t: (-t[1], t[0])))


def _occasions(items: Sequence[Item], worn: Counter[str]) -> tuple[tuple[str, int, int], ...]:
    rules = expert_rules()
    return tuple(
        (o, sum(1 for i in items if i.category and rules.suits(o, i.category) >= SUITS_FROM), worn[o])
        for o in OCCASIONS
    )
