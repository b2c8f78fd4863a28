"""`doctor --repair` rebuilding a lost cut-out or thumbnail of an item whose cut-out the person fixed by hand."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.services.wardrobe import Wardrobe


def _hand_fixed(wardrobe: Wardrobe) -> tuple[int, np.ndarray]:
    """An item given a hand-drawn mask (its left half) unlike anything the segmentation makes."""
    item = wardrobe.items()[0]
    height, width = wardrobe.cutout_image(item.id).mask.shape
    mask = np.zeros((height, width), np.uint8)
    mask[:, : width // 2] = 255
    wardrobe.save_cutout(item.id, mask)
    return item.id, mask


def _alpha(path: str | None) -> np.ndarray:
    assert path is not None
    image = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    assert image is not None and image.ndim == 3 and image.shape[2] == 4
    return np.asarray(image[..., 3])


@pytest.mark.parametrize("lost", [("cutout_path",), ("thumb_path",), ("cutout_path", "thumb_path")])
def test_a_lost_cutout_of_a_hand_fixed_item_is_rebuilt_from_the_hand_mask(
    small_closet: Wardrobe, lost: tuple[str, ...]
) -> None:
    """Before: rebuilt from the automatic segmentation, the person's fix silently undone (its mask kept)."""
    item_id, mask = _hand_fixed(small_closet)
    fixed = small_closet.item(item_id)
    expected = {column: Path(getattr(fixed, column)).read_bytes() for column in lost}
    for column in lost:
        Path(getattr(fixed, column)).unlink()
    report = small_closet.doctor(repair=True)
    assert any(f"item {item_id}: rebuilt" in line for line in report.repaired), report
    after = small_closet.item(item_id)
    assert after.mask_path == fixed.mask_path
    for column in lost:
        assert getattr(after, column) == getattr(fixed, column)  # the hand fix's own files, rebuilt
        assert Path(getattr(after, column)).read_bytes() == expected[column]
    cut = _alpha(after.cutout_path)  # cropped to the garment: the hand mask kept the photo's left half only
    assert cut.shape[0] == mask.shape[0] and cut.shape[1] < 0.7 * mask.shape[1]
    assert small_closet.doctor().healthy
    closet_snapshot(small_closet)


def test_an_item_never_fixed_is_still_rebuilt_as_imported(small_closet: Wardrobe) -> None:
    item = small_closet.items()[1]
    expected = Path(item.cutout_path or "").read_bytes()
    Path(item.cutout_path or "").unlink()
    small_closet.doctor(repair=True)
    assert Path(small_closet.item(item.id).cutout_path or "").read_bytes() == expected
