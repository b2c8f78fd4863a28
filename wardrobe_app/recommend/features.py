"""Outfit features: per-slot item blocks, per-pair colour relations, the occasion; one fixed layout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.domain import Item
from wardrobe_app.recommend.rules import OCCASIONS, ExpertRules

SLOTS: tuple[str, ...] = ("top", "middle", "full", "bottom")
PAIRS: tuple[tuple[str, str], ...] = (("top", "middle"), ("top", "bottom"), ("middle", "bottom"), ("full", "bottom"))
#: The categories the ranker's one-hot blocks know, per slot (the layout of ranker v1). A category
#: outside these lists is "unknown" in the one-hot, and still judged by the expert rules.
SLOT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "top": (
        "blazer",
        "blouse",
        "coat",
        "hoodie",
        "jacket",
        "longsleeve",
        "outwear",
        "polo",
        "shirt",
        "sweater",
        "t-shirt",
        "tank top",
    ),
    "middle": ("chinos", "jeans", "leggings", "pants", "shorts", "skirt", "sweatpants", "trousers"),
    "full": ("dress", "jumpsuit"),
    "bottom": ("boots", "flats", "formal shoes", "heels", "loafers", "sandals", "shoes", "sneakers"),
}
ITEM_FEATURES: tuple[str, ...] = (
    "hue_cos",
    "hue_sin",
    "saturation",
    "value",
    "neutral",
    "dark",
    "light",
    "loud",
    "pattern",
    "formality",
    "suits_occasion",
    "formality_gap",
)
PAIR_FEATURES: tuple[str, ...] = (
    "hue_distance",
    "value_contrast",
    "both_neutral",
    "one_neutral",
    "monochrome",
    "analogous",
    "complementary",
    "clash",
    "both_loud",
    "formality_gap",
)


def feature_layout() -> dict[str, tuple[int, int]]:
    """Where each block sits in an outfit's feature row: name -> (start, stop)."""
    layout: dict[str, tuple[int, int]] = {}
    start = 0
    blocks = [(s, len(SLOT_CATEGORIES[s]) + len(ITEM_FEATURES)) for s in SLOTS]
    blocks += [(f"{a}-{b}", len(PAIR_FEATURES)) for a, b in PAIRS] + [("occasion", len(OCCASIONS))]
    for name, size in blocks:
        layout[name] = (start, start + size)
        start += size
    return layout


LAYOUT = feature_layout()
ROW_SIZE = max(stop for _, stop in LAYOUT.values())


@dataclass(frozen=True)
class ItemFacts:
    """What the features need of a slot's items, as parallel arrays."""

    slot: str
    ids: np.ndarray  # int64
    category: np.ndarray  # index into SLOT_CATEGORIES[slot], -1 unknown
    hue: np.ndarray
    sat: np.ndarray
    val: np.ndarray
    neutral: np.ndarray
    loud: np.ndarray
    pattern: np.ndarray
    formality: np.ndarray
    names: tuple[str, ...]
    categories: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.ids)


def item_facts(items: Sequence[Item], slot: str, rules: ExpertRules) -> ItemFacts:
    """Read the facts of ``items`` (all of one slot)."""
    cats = SLOT_CATEGORIES[slot]
    hsv = np.array(
        [c.dominant_colour.hsv if c.dominant_colour else (0.0, 0.0, 0.5) for c in items], dtype=np.float32
    ).reshape(-1, 3)
    names = tuple(i.dominant_colour.name if i.dominant_colour else "grey" for i in items)
    neutral_names = rules.neutrals
    max_sat = rules.colour["neutral_max_saturation"]
    loud = rules.colour["loud"]
    neutral = np.array([n in neutral_names for n in names], dtype=np.float32) if items else np.zeros(0, np.float32)
    neutral = np.maximum(neutral, (hsv[:, 1] <= max_sat).astype(np.float32))
    is_loud = (hsv[:, 1] >= loud["min_saturation"]) & (hsv[:, 2] >= loud["min_value"]) & (neutral == 0)
    return ItemFacts(
        slot=slot,
        ids=np.array([i.id for i in items], dtype=np.int64),
        category=np.array([cats.index(i.category) if i.category in cats else -1 for i in items], dtype=np.int64),
        hue=hsv[:, 0],
        sat=hsv[:, 1],
        val=hsv[:, 2],
        neutral=neutral,
        loud=is_loud.astype(np.float32),
        pattern=np.array([i.multicolour for i in items], dtype=np.float32).reshape(-1),
        formality=np.array([rules.formality(i.category, i.formality) for i in items], dtype=np.float32).reshape(-1),
        names=names,
        categories=tuple(i.category or "" for i in items),
    )


def slot_block(facts: ItemFacts, occasion: str, rules: ExpertRules) -> np.ndarray:
    """The (n, slot width) feature block of each item of a slot for an occasion."""
    n_cat = len(SLOT_CATEGORIES[facts.slot])
    block = np.zeros((len(facts), n_cat + len(ITEM_FEATURES)), dtype=np.float32)
    known = facts.category >= 0
    block[np.flatnonzero(known), facts.category[known]] = 1.0
    rad = np.deg2rad(facts.hue)
    chroma = facts.sat * (1.0 - facts.neutral)
    target = rules.occasion_formality[occasion]
    dark = rules.colour["dark_max_value"]
    suits = np.array([rules.suits(occasion, c) for c in facts.categories], dtype=np.float32).reshape(-1)
    columns = (
        np.cos(rad) * chroma,
        np.sin(rad) * chroma,
        facts.sat,
        facts.val,
        facts.neutral,
        (facts.val <= dark).astype(np.float32),
        ((facts.val >= 0.8) & (facts.sat <= 0.25)).astype(np.float32),
        facts.loud,
        facts.pattern,
        (facts.formality - 3.0) / 2.0,
        suits,
        np.abs(facts.formality - target) / 4.0,
    )
    block[:, n_cat:] = np.stack(columns, axis=1) if len(facts) else 0.0
    return block


def hue_distance(h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """Shortest distance on the colour wheel, 0..180 degrees."""
    d = np.abs(h1 - h2) % 360.0
    return np.minimum(d, 360.0 - d)


def pair_block(a: ItemFacts, b: ItemFacts, rules: ExpertRules) -> np.ndarray:
    """Colour relations of every item of ``a`` with every item of ``b``: (n_a, n_b, pair width)."""
    return pair_features(a, np.arange(len(a))[:, None], b, np.arange(len(b))[None, :], rules)


def pair_features(a: ItemFacts, ia: np.ndarray, b: ItemFacts, ib: np.ndarray, rules: ExpertRules) -> np.ndarray:
    """Colour relations of items a[ia] and b[ib] (index arrays broadcast together)."""
    pr = rules.colour["pair_rules"]
    chromatic = (1.0 - a.neutral[ia]) * (1.0 - b.neutral[ib])
    d = hue_distance(a.hue[ia], b.hue[ib])
    both_sat = (a.sat[ia] >= pr["clash"]["min_saturation"]) & (b.sat[ib] >= pr["clash"]["min_saturation"])
    mono = chromatic * (d <= pr["monochrome"]["max_hue"])
    columns = (
        chromatic * d / 180.0,
        np.abs(a.val[ia] - b.val[ib]),
        a.neutral[ia] * b.neutral[ib],
        np.abs(a.neutral[ia] - b.neutral[ib]),
        mono,
        chromatic * ((d > pr["monochrome"]["max_hue"]) & (d <= pr["analogous"]["max_hue"])),
        chromatic * (d >= pr["complementary"]["min_hue"]),
        chromatic * ((d >= pr["clash"]["min_hue"]) & (d <= pr["clash"]["max_hue"]) & both_sat),
        a.loud[ia] * b.loud[ib],
        np.abs(a.formality[ia] - b.formality[ib]) / 4.0,
    )
    shape = np.broadcast_shapes(np.shape(ia), np.shape(ib))
    return np.stack([np.broadcast_to(np.asarray(c, dtype=np.float32), shape) for c in columns], axis=-1)


def outfit_rows(
    facts: dict[str, ItemFacts], index: dict[str, np.ndarray], occasion: str, rules: ExpertRules
) -> np.ndarray:
    """Feature rows of many outfits; ``index[slot]`` holds item positions per outfit, -1 for an empty slot."""
    n = len(next(iter(index.values())))
    rows = np.zeros((n, ROW_SIZE), dtype=np.float32)
    present = {s: index[s] >= 0 for s in SLOTS}
    for slot in SLOTS:
        start, stop = LAYOUT[slot]
        if len(facts[slot]):
            block = slot_block(facts[slot], occasion, rules)
            rows[present[slot], start:stop] = block[index[slot][present[slot]]]
    for a, b in PAIRS:
        both = present[a] & present[b]
        if both.any():
            start, stop = LAYOUT[f"{a}-{b}"]
            rows[both, start:stop] = pair_features(facts[a], index[a][both], facts[b], index[b][both], rules)
    rows[:, LAYOUT["occasion"][0] + OCCASIONS.index(occasion)] = 1.0
    return rows
