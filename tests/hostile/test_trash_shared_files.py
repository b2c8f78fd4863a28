"""Emptying the trash never deletes a file another row names: files are content-addressed and can be shared."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import closet_snapshot
from wardrobe_app.services.wardrobe import Wardrobe

ROOT = Path(__file__).parents[2]


def _files(item: object) -> list[Path]:
    paths = (item.photo_path, item.cutout_path, item.thumb_path, item.mask_path)  # type: ignore[attr-defined]
    return [Path(p) for p in paths if p is not None]


def test_two_photos_given_the_same_hand_mask_keep_their_own_cutouts(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    """'Keep everything' on two photos of the same size: one cut-out file overwrote the other's, and emptying
    the first from the trash deleted the second's cut-out, thumbnail and mask."""
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    a = wardrobe.add_photo(photo_factory("a.jpg", seed=1, colour_bgr=(20, 60, 200)), category="shirt")
    b = wardrobe.add_photo(photo_factory("b.jpg", seed=2, colour_bgr=(200, 60, 20)), category="shirt")
    everything = np.full(wardrobe.cutout_image(a.id).mask.shape, 255, np.uint8)
    fixed_a = wardrobe.save_cutout(a.id, everything)
    fixed_b = wardrobe.save_cutout(b.id, everything)
    assert fixed_a.cutout_path != fixed_b.cutout_path
    assert Path(fixed_a.cutout_path).read_bytes() != Path(fixed_b.cutout_path).read_bytes()  # type: ignore[arg-type]
    wardrobe.remove(a.id)
    wardrobe.empty_trash()
    assert all(path.is_file() for path in _files(wardrobe.item(b.id)))
    assert not [problem for problem in wardrobe.doctor().problems if "missing" in problem]
    wardrobe.close()


def test_emptying_keeps_the_files_of_another_row_that_names_them(data_dir: Path, photo_factory: PhotoFactory) -> None:
    """Even a row of another photo (an old closet whose fixed cut-outs collided) keeps a shared file alive."""
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    a = wardrobe.add_photo(photo_factory("a.jpg", seed=1), category="shirt")
    b = wardrobe.add_photo(photo_factory("b.jpg", seed=2, colour_bgr=(200, 60, 20)), category="shirt")
    with wardrobe.sessions.begin() as session:  # as the old naming left them: b's cut-out files are a's
        from wardrobe_app.db.tables import ItemRow

        row_a, row_b = session.get(ItemRow, a.id), session.get(ItemRow, b.id)
        assert row_a is not None and row_b is not None
        row_b.cutout_path, row_b.thumb_path, row_b.mask_path = row_a.cutout_path, row_a.thumb_path, row_a.mask_path
    wardrobe.remove(a.id)
    wardrobe.empty_trash()
    assert all(path.is_file() for path in _files(wardrobe.item(b.id)))
    wardrobe.close()


def test_a_catalogue_product_of_the_same_photo_keeps_its_files(small_closet: Wardrobe, tmp_path: Path) -> None:
    item = small_closet.items()[0]
    shop = tmp_path / "shop"
    shop.mkdir()
    shutil.copy(item.photo_path, shop / "product.jpg")
    small_closet.remove(item.id)
    small_closet.import_catalogue("shop", shop)
    small_closet.empty_trash()
    (product,) = small_closet.catalogue_products("shop")
    assert product.content_hash == item.content_hash
    assert all(path.is_file() for path in _files(product))


CATALOGUE_IMPORT = """
import sys
from wardrobe_app.services import importing
from wardrobe_app.services.wardrobe import Wardrobe
real = importing.PhotoImporter.finish_batch
def announced(self, batch):
    print("prepared", len(batch.prepared), flush=True)  # read and hashed; now waits for the writer lock
    return real(self, batch)
importing.PhotoImporter.finish_batch = announced
w = Wardrobe.open(sys.argv[1], classifier="none")
report = w.import_catalogue("shop", sys.argv[2])
print("added", report.added, flush=True)
"""


@pytest.mark.slow
def test_emptying_while_another_process_imports_the_same_photo(small_closet: Wardrobe, tmp_path: Path) -> None:
    """Another process has read the photo of a trashed item for a catalogue and waits to store it, while this
    one empties the trash: its product must end up with every file (written after the emptying, not lost)."""
    item = small_closet.items()[0]
    shop = tmp_path / "shop"
    shop.mkdir()
    shutil.copy(item.photo_path, shop / "product.jpg")
    small_closet.remove(item.id)
    others = [(i.id, i.content_hash) for i in small_closet.items()]
    with small_closet.writing("emptying the trash"):
        importer = subprocess.Popen(
            [sys.executable, "-c", CATALOGUE_IMPORT, str(small_closet.data_dir), str(shop)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert importer.stdout is not None
        assert importer.stdout.readline().split() == ["prepared", "1"]
        small_closet.empty_trash()
        assert not Path(item.photo_path).exists()  # gone with the trash: nobody named it yet
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert out.split() == ["added", "1"]
    (product,) = small_closet.catalogue_products("shop")
    assert product.content_hash == item.content_hash
    assert all(path.is_file() for path in _files(product))
    assert [(i.id, i.content_hash) for i in small_closet.items()] == others
    closet_snapshot(small_closet)


READD = """
import sys
from wardrobe_app.services.wardrobe import Wardrobe
w = Wardrobe.open(sys.argv[1], classifier="none")
(result,) = w.add_photos([sys.argv[2]])
print(result.ok, result.duplicate_of)
"""


@pytest.mark.slow
def test_re_adding_a_photo_from_another_process_right_after_emptying(small_closet: Wardrobe, tmp_path: Path) -> None:
    item = small_closet.items()[0]
    photo = tmp_path / "again.jpg"
    shutil.copy(item.photo_path, photo)
    small_closet.remove(item.id)
    small_closet.empty_trash()
    done = subprocess.run(
        [sys.executable, "-c", READD, str(small_closet.data_dir), str(photo)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "None"]
    again = [i for i in small_closet.items() if i.content_hash == item.content_hash]
    assert len(again) == 1 and again[0].id != item.id
    assert all(path.is_file() for path in _files(again[0]))


def test_emptying_an_item_whose_file_a_dedup_tool_made_a_link_deletes_the_link_only(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    """Two photos given the same hand mask have mask files of the same bytes; a duplicate finder run over the
    home folder (``rdfind -makesymlinks true``, ``jdupes --link-soft``) replaces one by a link to the other.
    Emptying the first from the trash deleted what its link pointed at: the second item's mask."""
    wardrobe = Wardrobe.open(data_dir, classifier="none")
    a = wardrobe.add_photo(photo_factory("a.jpg", seed=1, colour_bgr=(20, 60, 200)), category="shirt")
    b = wardrobe.add_photo(photo_factory("b.jpg", seed=2, colour_bgr=(200, 60, 20)), category="shirt")
    everything = np.full(wardrobe.cutout_image(a.id).mask.shape, 255, np.uint8)
    mask_a = Path(wardrobe.save_cutout(a.id, everything).mask_path)  # type: ignore[arg-type]
    mask_b = Path(wardrobe.save_cutout(b.id, everything).mask_path)  # type: ignore[arg-type]
    assert mask_a != mask_b and mask_a.read_bytes() == mask_b.read_bytes()
    mask_a.unlink()
    mask_a.symlink_to(mask_b)  # what the duplicate finder does
    wardrobe.remove(a.id)
    wardrobe.empty_trash()
    assert not mask_a.is_symlink()  # the link went with its item
    assert all(path.is_file() for path in _files(wardrobe.item(b.id)))
    closet_snapshot(wardrobe)
    wardrobe.close()
