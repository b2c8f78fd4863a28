"""Clean-out on photos: near-duplicates (the similarity index), never liked, unworn, months checked, dismissals."""

from __future__ import annotations

from datetime import date, timedelta

import cv2
import numpy as np
import pytest

from tests.conftest import draw_garment
from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.cleanout import months_ago, nearest_twins

PHOTOS = [  # name, category, BGR colour, shape, seed
    ("red-shirt", "shirt", (30, 30, 200), "shirt", 1),
    ("red-shirt-again", "shirt", (30, 30, 200), "shirt", 1),  # the same shirt, photographed again (below)
    ("blue-shirt", "shirt", (200, 60, 20), "shirt", 3),
    ("trousers", "trousers", (40, 40, 40), "pants", 4),
    ("sneakers", "sneakers", (240, 240, 240), "shoe", 5),
]


@pytest.fixture
def photographed(wardrobe, tmp_path):  # type: ignore[no-untyped-def]
    ids = {}
    for name, category, colour, shape, seed in PHOTOS:
        path = tmp_path / f"{name}.jpg"
        image = draw_garment(colour_bgr=colour, seed=seed, shape=shape)
        if name.endswith("again"):  # moved a little and a touch brighter: another photo of the same shirt
            image = np.clip(np.roll(image, (6, -4), axis=(0, 1)).astype(np.int16) + 6, 0, 255).astype(np.uint8)
        cv2.imwrite(str(path), image)
        ids[name] = wardrobe.add_photo(path, category=category).id
    return ids


def test_near_duplicate_is_the_less_worn_twin(wardrobe, photographed) -> None:  # type: ignore[no-untyped-def]
    ids = photographed
    twins = nearest_twins(wardrobe._similar_search(), wardrobe.items())
    assert twins[ids["red-shirt"]][0] == ids["red-shirt-again"]
    assert twins[ids["red-shirt-again"]][0] == ids["red-shirt"]
    # the batch distance is the one `similar` gives, item by item
    near = wardrobe.similar(ids["red-shirt"], k=1, category="shirt")
    assert near[0][0].id == ids["red-shirt-again"]
    assert near[0][1] == pytest.approx(twins[ids["red-shirt"]][1], abs=1e-4)
    assert twins[ids["red-shirt"]][1] < twins[ids["blue-shirt"]][1]
    assert ids["trousers"] not in twins  # the only one of its category

    wardrobe.wear([ids["red-shirt"], ids["trousers"], ids["sneakers"]], "casual", date.today() - timedelta(days=2))
    found = {c.item_id: c for c in wardrobe.cleanout()}
    kinds = {i: {r.kind for r in c.reasons} for i, c in found.items()}
    assert "duplicate" in kinds[ids["red-shirt-again"]]  # never worn, and looks like the worn one
    assert "duplicate" not in kinds.get(ids["red-shirt"], set())
    assert "duplicate" not in kinds.get(ids["blue-shirt"], set())
    assert "never_liked" in kinds[ids["red-shirt-again"]]  # the one worn outfit counts as liked
    text = next(r.text for r in found[ids["red-shirt-again"]].reasons if r.kind == "duplicate")
    assert "“red shirt, 1st”" in text and "worn more" in text  # told apart from its twin by words, not by id
    assert f"({ids['red-shirt']})" not in text
    duplicate = next(r for r in found[ids["red-shirt-again"]].to_json()["reasons"] if r["kind"] == "duplicate")
    assert duplicate["other_id"] == ids["red-shirt"]  # the CLI and --json still say which item the twin is

    wardrobe.dismiss_cleanout([ids["red-shirt-again"]])
    assert ids["red-shirt-again"] not in {c.item_id for c in wardrobe.cleanout()}


def test_months_setting() -> None:
    assert months_ago(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_ago(date(2026, 1, 15), 12) == date(2025, 1, 15)
    for bad in (0, 121, -3, True):
        with pytest.raises(WardrobeError):
            months_ago(date(2026, 1, 1), bad)  # type: ignore[arg-type]
