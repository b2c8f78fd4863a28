"""Hostile cut-out fixes: absurd strokes and masks, a tampered mask_path, a photo gone behind the app's back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.domain import InvalidCutoutError, UnsafePathError, WardrobeError
from wardrobe_app.domain.strokes import Stroke
from wardrobe_app.services.wardrobe import Wardrobe

BAD_STROKES = [
    dict(points=((10**12, 5),), radius=3, keep=True),
    dict(points=((5, -(10**12)),), radius=3, keep=False),
    dict(points=((5, 5),), radius=10**9, keep=True),
    dict(points=((5, 5),), radius=0, keep=True),
    dict(points=((float("nan"), 5),), radius=3, keep=True),
    dict(points=((5, float("inf")),), radius=3, keep=True),
    dict(points=((5, 5, 5),), radius=3, keep=True),
    dict(points=((5, 5),), radius=True, keep=True),
    dict(points=(), radius=3, keep=True),
]


@pytest.mark.parametrize("fields", BAD_STROKES)
def test_absurd_strokes_are_refused_with_a_clear_error(fields: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidCutoutError):
        Stroke(**fields)


def test_strokes_off_the_photo_or_huge_brushes_do_not_crash(small_closet: Wardrobe) -> None:
    item = small_closet.items()[0]
    image = small_closet.cutout_image(item.id)
    height, width = image.mask.shape
    strokes = [
        Stroke(points=((-60000, -60000), (60000, 60000)), radius=1, keep=False),
        Stroke(points=((width // 2, height // 2),), radius=60000, keep=True),
        Stroke(points=((-5, height + 5),), radius=2, keep=False),
    ]
    refined = small_closet.refine_cutout(image, strokes)
    assert refined.mask.shape == (height, width)
    everything_removed = small_closet.refine_cutout(image, [Stroke(((width // 2, height // 2),), 60000, False)])
    assert not everything_removed.mask.any()
    before = closet_snapshot(small_closet)
    with pytest.raises(WardrobeError, match="almost nothing"):
        small_closet.save_cutout(item.id, everything_removed.mask)  # an all-background result is refused
    assert closet_snapshot(small_closet) == before


@pytest.mark.parametrize(
    "mask",
    [np.zeros(7), np.zeros((4, 4, 3)), None, np.array([["a", "b"]]), np.zeros((0, 0)), 5, [[object()]]],
)
def test_masks_of_the_wrong_kind_are_refused_clearly(small_closet: Wardrobe, mask: object) -> None:
    item = small_closet.items()[0]
    before = closet_snapshot(small_closet)
    with pytest.raises(InvalidCutoutError):
        small_closet.save_cutout(item.id, mask)
    assert closet_snapshot(small_closet) == before


def test_a_tampered_mask_path_stays_confined(small_closet: Wardrobe, data_dir: Path, tmp_path: Path) -> None:
    item = small_closet.items()[0]
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the app")
    with sqlite3.connect(data_dir / "wardrobe.sqlite3") as connection:
        connection.execute("UPDATE items SET mask_path = ? WHERE id = ?", (f"../{secret.name}", item.id))
    with pytest.raises(UnsafePathError):
        small_closet.cutout_image(item.id)
    assert secret.read_bytes() == b"not for the app"


def test_a_photo_gone_or_replaced_behind_the_apps_back(small_closet: Wardrobe) -> None:
    first, second = small_closet.items()[:2]
    Path(first.photo_path).unlink()
    with pytest.raises(WardrobeError):
        small_closet.cutout_image(first.id)
    with pytest.raises(WardrobeError):
        small_closet.original_cutout(first.id)
    Path(second.photo_path).write_bytes(b"this is no longer a photo")
    with pytest.raises(WardrobeError):
        small_closet.cutout_image(second.id)
