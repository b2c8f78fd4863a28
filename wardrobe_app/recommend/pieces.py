"""Outfit roles (top, layer, bottom, dress, shoes, accessory) and the colour facts of each role's items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.domain import Group, Item
from wardrobe_app.recommend.rules import ExpertRules

#: Roles of an outfit: a top (optionally under a layer), a bottom ("middle") and shoes; or a dress
#: (optionally under a layer) and shoes; plus an optional accessory.
ROLES: tuple[str, ...] = ("top", "layer", "middle", "full", "shoes", "accessory")
#: Tops that are worn over another top or a dress, never as the only top.
LAYER_CATEGORIES = frozenset({"outwear", "jacket", "blazer", "coat", "cardigan", "hoodie"})
#: Accessories an outfit may carry.
ACCESSORY_CATEGORIES = frozenset({"hat", "cap", "bag", "belt", "scarf", "tie"})
#: Hue bins (degrees) of the personal model's colour features.
HUE_BINS = 6


def role_of(item: Item) -> str | None:
    """The role an item plays in an outfit, None if it has none (unclassified, archived)."""
    if item.group is None or item.archived:
        return None
    if item.group is Group.TOP:
        return "layer" if item.category in LAYER_CATEGORIES else "top"
    if item.group is Group.ACCESSORY:
        return "accessory" if item.category in ACCESSORY_CATEGORIES else None
    return {Group.MIDDLE: "middle", Group.FULL: "full", Group.BOTTOM: "shoes"}[item.group]


def by_role(items: Sequence[Item]) -> dict[str, list[Item]]:
    """Split wearable items into roles (archived and unclassified items are left out)."""
    roles: dict[str, list[Item]] = {r: [] for r in ROLES}
    for item in items:
        role = role_of(item)
        if role is not None:
            roles[role].append(item)
    return roles


@dataclass(frozen=True)
class Facts:
    """Parallel arrays of what scoring needs of one role's items."""

    items: tuple[Item, ...]
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
        return len(self.items)

    @property
    def ids(self) -> np.ndarray:
        return np.array([i.id for i in self.items], dtype=np.int64)

    def take(self, keep: np.ndarray) -> Facts:
        """The facts of the items at positions ``keep``."""
        k = np.asarray(keep, dtype=np.int64)
        return Facts(
            tuple(self.items[i] for i in k),
            self.hue[k],
            self.sat[k],
            self.val[k],
            self.neutral[k],
            self.loud[k],
            self.pattern[k],
            self.formality[k],
            tuple(self.names[i] for i in k),
            tuple(self.categories[i] for i in k),
        )


def facts_of(items: Sequence[Item], rules: ExpertRules) -> Facts:
    """Read the colour and formality facts of ``items``."""
    hsv = np.array(
        [i.dominant_colour.hsv if i.dominant_colour else (0.0, 0.0, 0.5) for i in items], dtype=np.float64
    ).reshape(-1, 3)
    names = tuple(i.dominant_colour.name if i.dominant_colour else "grey" for i in items)
    neutral = np.array([n in rules.neutrals for n in names], dtype=np.float64).reshape(-1)
    neutral = np.maximum(neutral, (hsv[:, 1] <= rules.colour["neutral_max_saturation"]).astype(np.float64))
    loud = rules.colour["loud"]
    is_loud = (hsv[:, 1] >= loud["min_saturation"]) & (hsv[:, 2] >= loud["min_value"]) & (neutral == 0)
    return Facts(
        items=tuple(items),
        hue=hsv[:, 0],
        sat=hsv[:, 1],
        val=hsv[:, 2],
        neutral=neutral,
        loud=is_loud.astype(np.float64),
        pattern=np.array([float(i.multicolour) for i in items], dtype=np.float64).reshape(-1),
        formality=np.array([rules.formality(i.category, i.formality) for i in items], dtype=np.float64).reshape(-1),
        names=names,
        categories=tuple(i.category or "" for i in items),
    )


def hue_distance(h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """Shortest distance on the colour wheel, 0..180 degrees."""
    d = np.abs(h1 - h2) % 360.0
    return np.minimum(d, 360.0 - d)
