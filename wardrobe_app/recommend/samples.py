"""Synthetic closets and expert-labelled outfit samples (pretraining, rehearsal, benchmarks, tests)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wardrobe_app.domain import Colour, Group, Item
from wardrobe_app.recommend.expert import judge
from wardrobe_app.recommend.features import SLOT_CATEGORIES, SLOTS, item_facts, outfit_rows
from wardrobe_app.recommend.rules import OCCASIONS, ExpertRules, expert_rules

#: Share of sampled outfits built around a dress.
DRESS_SHARE = 0.15


def make_item(
    item_id: int,
    category: str,
    colour: str,
    hsv: tuple[float, float, float],
    multicolour: bool = False,
    formality: int | None = None,
) -> Item:
    """A closet item made from plain data (no photo), for samples and tests."""
    from wardrobe_app.domain import group_of

    return Item(
        id=item_id,
        photo_path="",
        cutout_path=None,
        thumb_path=None,
        mask_path=None,
        content_hash=f"synthetic-{item_id}",
        category=category,
        group=group_of(category),
        colours=(Colour(colour, "#000000", hsv, 1.0),),
        multicolour=multicolour,
        formality=formality,
    )


def synthetic_closet(
    rng: np.random.Generator, counts: dict[str, int], rules: ExpertRules | None = None, start_id: int = 1
) -> list[Item]:
    """Random items: ``counts`` per slot ("top", "middle", "full", "bottom"), palette colours jittered."""
    rules = rules or expert_rules()
    palette = rules.colour["palette"]
    names = sorted(palette)
    items: list[Item] = []
    next_id = start_id
    for slot, n in counts.items():
        categories = SLOT_CATEGORIES[slot]
        for _ in range(n):
            name = names[rng.integers(len(names))]
            h, s, v = palette[name]
            hsv = (
                float((h + rng.normal(0, 8)) % 360),
                float(np.clip(s + rng.normal(0, 0.05), 0, 1)),
                float(np.clip(v + rng.normal(0, 0.05), 0, 1)),
            )
            items.append(
                make_item(
                    next_id, categories[rng.integers(len(categories))], name, hsv, multicolour=bool(rng.random() < 0.1)
                )
            )
            next_id += 1
    return items


def by_slot(items: Sequence[Item]) -> dict[str, list[Item]]:
    """Split items into the outfit slots (accessories and unclassified items are left out)."""
    slots: dict[str, list[Item]] = {s: [] for s in SLOTS}
    for item in items:
        if item.group is not None and item.group is not Group.ACCESSORY and not item.archived:
            slots[item.group.value].append(item)
    return slots


def random_outfits(rng: np.random.Generator, sizes: dict[str, int], n: int) -> dict[str, np.ndarray]:
    """n random outfits as positions per slot (-1 empty): mostly top x middle x bottom, some dresses."""
    dress = rng.random(n) < (DRESS_SHARE if sizes["full"] else 0.0)
    index = {s: np.full(n, -1, dtype=np.int64) for s in SLOTS}
    for slot, mask in (("top", ~dress), ("middle", ~dress), ("full", dress), ("bottom", np.ones(n, bool))):
        if sizes[slot]:
            index[slot][mask] = rng.integers(sizes[slot], size=int(mask.sum()))
    return index


def expert_samples(
    rng: np.random.Generator, n: int, rules: ExpertRules | None = None, items_per_slot: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """n outfits over a random closet and random occasions: feature rows and expert scores."""
    rules = rules or expert_rules()
    closet = by_slot(synthetic_closet(rng, {s: items_per_slot for s in SLOTS}, rules))
    facts = {s: item_facts(closet[s], s, rules) for s in SLOTS}
    sizes = {s: len(closet[s]) for s in SLOTS}
    rows, labels = [], []
    for occasion, m in zip(
        OCCASIONS, np.bincount(rng.integers(len(OCCASIONS), size=n), minlength=len(OCCASIONS)), strict=True
    ):
        index = random_outfits(rng, sizes, int(m))
        rows.append(outfit_rows(facts, index, occasion, rules))
        for i in range(int(m)):
            outfit = {s: closet[s][index[s][i]] if index[s][i] >= 0 else None for s in SLOTS}
            labels.append(judge(outfit, occasion, rules).score)
    return np.concatenate(rows), np.asarray(labels, dtype=np.float32)
