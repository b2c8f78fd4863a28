"""A catalogue whose CSV spells a photo's name in one Unicode form and the disk in the other (macOS writes NFD)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import cv2
import pytest

from tests.conftest import draw_garment
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.mark.parametrize(("on_disk", "in_csv"), [("NFD", "NFC"), ("NFC", "NFD")])
def test_products_keep_their_details_whichever_form_each_side_uses(
    data_dir: Path, tmp_path: Path, on_disk: str, in_csv: str
) -> None:
    """Before: the details were looked up by the exact bytes of the name, so every accented product lost its
    name, price, link and category without a word (the import said all was well)."""
    names = ["café-crème.jpg", "Größe-Ø.jpg", "plain.jpg"]
    shop = tmp_path / "shop"
    (shop / "images").mkdir(parents=True)
    for i, name in enumerate(names):
        cv2.imwrite(str(shop / "images" / unicodedata.normalize(on_disk, name)), draw_garment(seed=60 + i))
    rows = [f"{unicodedata.normalize(in_csv, n)},Product {i},{10 + i}.50,Jeans" for i, n in enumerate(names)]
    (shop / "styles.csv").write_text("filename,name,price,articleType\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        report = wardrobe.import_catalogue("Shop", shop)
        assert report.added == 3 and report.bad_rows == []
        products = {p.name: p for p in wardrobe.catalogue_products("Shop")}
        assert sorted(products) == ["Product 0", "Product 1", "Product 2"]
        assert [products[f"Product {i}"].price for i in range(3)] == [10.5, 11.5, 12.5]
        assert {p.category for p in products.values()} == {"jeans"}


def test_ids_in_the_other_form_are_matched_too(data_dir: Path, tmp_path: Path) -> None:
    shop = tmp_path / "shop"
    shop.mkdir()
    cv2.imwrite(str(shop / unicodedata.normalize("NFD", "é1.jpg")), draw_garment(seed=70))
    (shop / "styles.csv").write_text("id,name\n" + unicodedata.normalize("NFC", "é1") + ",Named\n", encoding="utf-8")
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        wardrobe.import_catalogue("Shop", shop)
        [product] = wardrobe.catalogue_products("Shop")
        assert product.name == "Named"
