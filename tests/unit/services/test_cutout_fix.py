"""Fixing a cut-out through the facade: refine with strokes, save new files (old ones left for the orphan
collection), colours and search features recomputed; bad masks and trashed items refused, nothing changed."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import select

from tests.unit.services.garment_fakes import FakeClassifier
from wardrobe_app.db.tables import ItemFeatureRow
from wardrobe_app.domain import ItemNotFoundError, WardrobeError
from wardrobe_app.domain.strokes import Stroke
from wardrobe_app.services.wardrobe import Wardrobe


def _photo(path: Path) -> Path:
    """A red garment beside a blue bedsheet corner on a light floor: the automatic cut-out keeps the sheet."""
    rng = np.random.default_rng(1)
    bgr = rng.normal(205, 5, (300, 400, 3)).clip(0, 255).astype(np.uint8)
    cv2.rectangle(bgr, (120, 60), (260, 240), (30, 30, 200), -1)
    bgr[100:200, 260:400] = (190, 60, 40)  # the sheet reaches the right edge
    cv2.imwrite(str(path), bgr)
    return path


def _features(wardrobe: Wardrobe, item_id: int) -> dict[str, tuple[str, bytes]]:
    with wardrobe.sessions() as session:
        rows = session.execute(
            select(ItemFeatureRow.kind, ItemFeatureRow.version, ItemFeatureRow.vector).where(
                ItemFeatureRow.item_id == item_id
            )
        ).all()
    return {kind: (version, vector) for kind, version, vector in rows}


def test_fix_and_save_rewrites_files_colours_and_features(data_dir: Path, tmp_path: Path) -> None:
    classifier = FakeClassifier()
    with Wardrobe.open(data_dir, classifier=classifier) as wardrobe:
        item = wardrobe.add_photo(_photo(tmp_path / "shirt.jpg"), category="shirt")
        before = _features(wardrobe, item.id)
        image = wardrobe.cutout_image(item.id)
        mask = image.mask.copy()
        mask[100:200, 260:400] = 255  # as if the import had kept the sheet
        image = type(image)(image.item_id, image.rgb, mask)
        fixed = wardrobe.refine_cutout(image, [Stroke(((330, 110), (330, 190)), 10, keep=False)])
        assert fixed.mask[150, 330] == 0 and fixed.mask[150, 190] == 255
        saved = wardrobe.save_cutout(item.id, fixed.mask)
        for old, new in ((item.cutout_path, saved.cutout_path), (item.mask_path, saved.mask_path)):
            assert old != new and new is not None and Path(new).is_file() and Path(old or "").is_file()
        assert Path(saved.thumb_path or "").is_file() and saved.photo_path == item.photo_path
        stored = cv2.imread(saved.mask_path or "", cv2.IMREAD_GRAYSCALE)
        assert np.array_equal(stored > 0, fixed.mask > 0)
        assert saved.colours and saved.colours[0].name == "red"
        after = _features(wardrobe, item.id)
        assert after["colour_hist"] != before["colour_hist"]
        assert after["cnn"][0] == classifier.version
        assert wardrobe.item(item.id) == saved
        assert wardrobe.item(item.id).category == "shirt"
        # the import's files are now orphans: the orphan collection takes them, never the new ones
        removed = wardrobe.collect_orphans()
        assert {Path(p).name for p in removed} >= {Path(item.cutout_path or "").name}
        assert Path(saved.cutout_path or "").is_file() and Path(saved.photo_path).is_file()


def test_back_to_the_original_is_the_automatic_cut_out(wardrobe: Wardrobe, tmp_path: Path) -> None:
    item = wardrobe.add_photo(_photo(tmp_path / "shirt.jpg"), category="shirt")
    automatic = wardrobe.cutout_image(item.id).mask
    wardrobe.save_cutout(item.id, np.where(automatic > 0, 0, 255).astype(np.uint8))  # a silly fix
    assert not np.array_equal(wardrobe.cutout_image(item.id).mask, automatic)
    assert np.array_equal(wardrobe.original_cutout(item.id).mask, automatic)


def test_bad_masks_and_trashed_items_change_nothing(wardrobe: Wardrobe, tmp_path: Path) -> None:
    item = wardrobe.add_photo(_photo(tmp_path / "shirt.jpg"), category="shirt")
    mask = wardrobe.cutout_image(item.id).mask
    with pytest.raises(WardrobeError, match="almost nothing"):
        wardrobe.save_cutout(item.id, np.zeros_like(mask))
    with pytest.raises(WardrobeError, match="but the photo"):
        wardrobe.save_cutout(item.id, mask[:10])
    wardrobe.remove(item.id)
    with pytest.raises(ItemNotFoundError):
        wardrobe.save_cutout(item.id, mask)
    with pytest.raises(ItemNotFoundError):
        wardrobe.cutout_image(item.id)
    wardrobe.restore_from_trash([item.id])
    assert wardrobe.item(item.id) == item
