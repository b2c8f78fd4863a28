"""The exploration card: one random outfit of the closet, labelled, so ratings reach the whole range.

A board shows only the outfits the expert rates best (quality ~0.95, where a random outfit of the closet is
~0.75), so without it the person's ratings never say how they feel about the rest, and the prior slope on
expert quality keeps saying "much less": a person who likes most outfits is shown chances of ~20% where the
truth is 50-65%. Once the person has rated a few outfits, an exploring board (``build_board(...,
explore_card=True)`` with a Thompson ``rng``) adds one card after the best ones: a random outfit of the
context's wearable items (whatever its expert quality, below the floor too), never one already excluded
(disliked, resting, shown), one the person rated for the occasion (the card's rating would replace it, so the
taste would lose that example) nor one on the board. Its chance is the taste's, as on any card.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np

from wardrobe_app.recommend.terms import Terms
from wardrobe_app.recommend.topk import FIELDS, Key

#: The exploration card's first reason (the GUI and CLI show it like any reason).
EXPLORE_REASON = "something different: rate it to teach the app"
#: A board adds the exploration card once the person has rated this many outfits.
EXPLORE_AFTER = 5
#: Random outfits drawn before giving up (a closet whose every outfit is excluded or on the board).
TRIES = 64
#: Share of the drawn outfits that wear a layer (when the context allows layers).
LAYER_SHARE = 0.3


def _draw(sizes: Mapping[str, int], rng: np.random.Generator) -> Key | None:
    """One random outfit shape and pieces, as positions per role in ``FIELDS`` order (-1 not worn)."""
    n = {r: int(sizes.get(r, 0)) for r in FIELDS}
    separates = n["top"] * n["middle"]
    if not n["shoes"] or not (separates or n["full"]):
        return None
    # a dress as often as dresses are among the upper garments that can make an outfit
    dress = bool(n["full"]) and (not separates or rng.random() < n["full"] / (n["full"] + n["top"]))
    top = -1 if dress else int(rng.integers(n["top"]))
    middle = -1 if dress else int(rng.integers(n["middle"]))
    full = int(rng.integers(n["full"])) if dress else -1
    layer = int(rng.integers(n["layer"])) if n["layer"] and rng.random() < LAYER_SHARE else -1
    return top, layer, middle, full, int(rng.integers(n["shoes"]))


def exploration_pick(
    sizes: Mapping[str, int], expert: Terms, rng: np.random.Generator, skip: Set[Key] = frozenset()
) -> tuple[Key, float] | None:
    """A random outfit (positions, its expert quality) not in ``skip``; None if the ``TRIES`` draws found
    none. ``sizes``: how many wearable items each role has. Uniform over the outfits of each shape, so the
    ratings it brings are a sample of the closet, not of what the expert likes."""
    for _ in range(TRIES):
        key = _draw(sizes, rng)
        if key is None:
            return None
        if key not in skip:
            return key, expert.outfit({r: p for r, p in zip(FIELDS, key, strict=True) if p >= 0})
    return None
