"""Hand-made closet items for the outfit-engine tests (plain data, no photos, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.services.drawn_closet import HSV
from wardrobe_app.domain import Item
from wardrobe_app.recommend.features import ROW_SIZE
from wardrobe_app.recommend.ranker_file import RankerWeights
from wardrobe_app.recommend.samples import make_item


def item(item_id: int, category: str, colour: str, **kwargs: object) -> Item:
    return make_item(item_id, category, colour, HSV[colour], **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def closet_items() -> list[Item]:
    """4 tops, 3 bottoms, 1 dress, 3 pairs of shoes."""
    return [
        item(1, "shirt", "white"),
        item(2, "t-shirt", "red"),
        item(3, "blazer", "navy"),
        item(4, "hoodie", "green"),
        item(11, "trousers", "navy"),
        item(12, "jeans", "blue"),
        item(13, "shorts", "yellow"),
        item(21, "dress", "black"),
        item(31, "sneakers", "white"),
        item(32, "formal shoes", "black"),
        item(33, "boots", "grey"),
    ]


@pytest.fixture
def random_weights() -> RankerWeights:
    rng = np.random.default_rng(3)
    shapes = [(ROW_SIZE, 32), (32,), (32, 16), (16,), (16, 1), (1,)]
    return RankerWeights(tuple(rng.normal(0, 0.4, s).astype(np.float32) for s in shapes))
