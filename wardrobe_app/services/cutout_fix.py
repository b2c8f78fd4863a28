"""Fix an item's cut-out by hand: load its photo and mask, refine with brush strokes, save the new files.

Saving writes a new cut-out, thumbnail and mask (content-addressed by the photo and the new mask, confined
to the data dir, written before the row commits); the old files are left for orphan collection. The item's colours
and its search features (colour histogram, and the CNN features when a classifier is at hand) are
recomputed from the fixed cut-out; its category is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.photo_files import PhotoFiles, sha256_bytes
from wardrobe_app.db.tables import ItemColourRow, ItemFeatureRow, ItemRow
from wardrobe_app.domain import InvalidCutoutError, Item, WardrobeError
from wardrobe_app.vision.colours import read_colours
from wardrobe_app.vision.loading import load_photo
from wardrobe_app.vision.refine import Stroke, refine_mask
from wardrobe_app.vision.render import encode_mask_png, hsv_histogram, make_cutout_png, make_thumbnail
from wardrobe_app.vision.segment import cut_out

if TYPE_CHECKING:
    from wardrobe_app.ml.classifier import GarmentClassifier

#: The smallest garment a saved cut-out may keep (a share of the photo): an empty mask is refused.
MIN_GARMENT_SHARE = 0.002


@dataclass(frozen=True)
class CutoutImage:
    """An item's photo (uint8 RGB, as the import saw it) and a garment mask (uint8, 255 = garment)."""

    item_id: int
    rgb: np.ndarray
    mask: np.ndarray


class CutoutFixer:
    """Loads, refines and saves an item's cut-out; ``row_of(session, id)`` refuses unknown or trashed items."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        files: PhotoFiles,
        row_of: Callable[[Session, int], ItemRow],
        classifier: Callable[[], GarmentClassifier | None],
    ) -> None:
        self.sessions = sessions
        self.files = files
        self._row_of = row_of
        self._classifier = classifier

    def load(self, item_id: int) -> CutoutImage:
        """The item's photo and its current mask (the whole photo if the mask file is missing)."""
        with self.sessions() as session:
            row = self._row_of(session, item_id)
            photo, mask_path = row.photo_path, row.mask_path
        rgb = load_photo(self.files.absolute(photo)).rgb
        mask = None
        if mask_path:
            mask = cv2.imread(str(self.files.absolute(mask_path)), cv2.IMREAD_GRAYSCALE)
        if mask is None or mask.shape != rgb.shape[:2]:
            mask = np.full(rgb.shape[:2], 255, np.uint8)
        return CutoutImage(item_id, rgb, np.where(mask > 0, 255, 0).astype(np.uint8))

    def original(self, item_id: int) -> CutoutImage:
        """The cut-out the import made (the automatic segmentation of the photo), to go back to."""
        with self.sessions() as session:
            photo = self._row_of(session, item_id).photo_path
        loaded = load_photo(self.files.absolute(photo))
        return CutoutImage(item_id, loaded.rgb, cut_out(loaded.rgb, loaded.alpha).mask)

    @staticmethod
    def refine(image: CutoutImage, strokes: Sequence[Stroke]) -> CutoutImage:
        """GrabCut re-run from the image's mask with the strokes as seeds (nothing is saved)."""
        return CutoutImage(image.item_id, image.rgb, refine_mask(image.rgb, image.mask, strokes))

    def save(self, item_id: int, mask: np.ndarray) -> Item:
        """Make ``mask`` the item's cut-out: new files, colours and features. Raises WardrobeError for an empty
        mask or one that does not fit the photo."""
        image = self.load(item_id)
        with self.sessions() as session:
            image_hash = self._row_of(session, item_id).content_hash
        given = np.asarray(mask)
        if given.ndim != 2 or given.dtype.kind not in "biuf":
            raise InvalidCutoutError(f"a mask is a 2-D array of numbers, not {given.dtype} of shape {given.shape}")
        mask = np.where(np.nan_to_num(given) > 0, 255, 0).astype(np.uint8)
        if mask.shape != image.mask.shape:
            raise InvalidCutoutError(
                f"the mask is {mask.shape[1]}x{mask.shape[0]} but the photo {image.rgb.shape[1]}x{image.rgb.shape[0]}"
            )
        if np.count_nonzero(mask) < MIN_GARMENT_SHARE * mask.size:
            raise WardrobeError("the cut-out would keep almost nothing of the photo; paint some of it as 'keep'")
        rgb = image.rgb
        mask_png = encode_mask_png(mask)
        # named by the photo AND the new mask: two photos given the same mask (a "keep everything" mask) must not
        # share a cut-out file (one would overwrite the other's, and emptying one from the trash delete both)
        name = sha256_bytes(image_hash.encode("ascii") + mask_png)  # the import's files stay for orphan collection
        colours = read_colours(rgb, mask)
        hist = hsv_histogram(rgb, mask)
        classifier = self._classifier()
        classification = classifier.classify([rgb], masks=[mask])[0] if classifier is not None else None
        self.files.begin_writes()  # until the row commits: files a crash leaves are orphans the next open collects
        paths = {
            "cutout_path": self.files.write("cutouts", name, ".png", make_cutout_png(rgb, mask)),
            "thumb_path": self.files.write("thumbs", name, ".png", make_thumbnail(rgb, mask)),
            "mask_path": self.files.write("masks", name, ".png", mask_png),
        }
        with self.sessions.begin() as session:
            row = self._row_of(session, item_id)
            for column, path in paths.items():
                setattr(row, column, path)
            row.multicolour = colours.multicolour
            row.colours = [
                ItemColourRow(
                    rank=rank,
                    name=c.name,
                    hex=c.hex,
                    hue=c.hsv[0],
                    saturation=c.hsv[1],
                    value=c.hsv[2],
                    share=c.share,
                )
                for rank, c in enumerate(colours.colours)
            ]
            kinds = ["colour_hist"] + (["cnn"] if classification is not None else [])
            session.execute(
                delete(ItemFeatureRow).where(ItemFeatureRow.item_id == item_id, ItemFeatureRow.kind.in_(kinds))
            )
            session.add(_feature(item_id, "colour_hist", "hsv-12x3x3", hist))
            if classification is not None and classifier is not None:
                session.add(_feature(item_id, "cnn", classifier.version, classification.features))
            session.flush()
            item = item_from_row(row, self.files.data_dir)
        self.files.end_writes()
        return item


def _feature(item_id: int, kind: str, version: str, vector: np.ndarray) -> ItemFeatureRow:
    vec = np.asarray(vector, dtype="<f4").ravel()
    return ItemFeatureRow(item_id=item_id, kind=kind, version=version, dim=int(vec.size), vector=vec.tobytes())
