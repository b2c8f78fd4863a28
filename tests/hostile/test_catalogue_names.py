"""Catalogue names as a hostile user types them: refused with a clear message unless one line of text.

A 300-character name was stored and then made every backup of the closet unrestorable; a name with a line
break or a terminal escape was printed raw by ``catalogue list``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import CliRun, closet_snapshot
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.fixture
def shop(photo_factory: PhotoFactory) -> Path:
    return photo_factory("shop/a.jpg", seed=40, colour_bgr=(10, 200, 10)).parent


@pytest.mark.parametrize(
    "name",
    ["a\nb", "\x1b[2Jcleared", "x" * 300, "closet", "  ", "tab\there", "bad\udce9bytes"],
    ids=["newline", "escape", "300 chars", "closet", "blank", "tab", "not text"],
)
def test_odd_catalogue_names_are_refused_and_nothing_is_imported(
    small_closet: Wardrobe, run: CliRun, shop: Path, tmp_path: Path, name: str
) -> None:
    before = closet_snapshot(small_closet)
    code, _out, err = run("catalogue", "import", name, str(shop))
    assert code == 1 and "catalogue" in err and "Traceback" not in err
    assert json.loads(run("catalogue", "list", "--json")[1]) == []
    assert closet_snapshot(small_closet) == before
    assert run("export", str(tmp_path / "backup.zip"))[0] == 0


def test_a_catalogue_with_a_name_in_any_script_round_trips(
    small_closet: Wardrobe, run: CliRun, shop: Path, tmp_path: Path
) -> None:
    name = "Zoë's shop 衣橱 #1 50%"
    assert run("catalogue", "import", name, str(shop))[0] == 0
    archive = small_closet.export(tmp_path / "backup.zip")
    small_closet.remove_catalogue(name)
    small_closet.restore(archive)
    assert [c.name for c in small_closet.catalogues()] == [name]
    assert len(small_closet.catalogue_products(name)) == 1


def test_a_catalogue_with_the_longest_and_dearest_details_round_trips(
    small_closet: Wardrobe, shop: Path, tmp_path: Path
) -> None:
    """What a CSV may give a product (a 500-character name, a price of 1e9, a 2 KB link) passes the backup checks."""
    name, url = "n" * 500, "https://shop.example/" + "p" * 2000
    csv = tmp_path / "products.csv"
    csv.write_text(f"id,name,category,price,url,image\n{'i' * 200},{name},shirt,999999999,{url},a.jpg\n")
    report = small_closet.import_catalogue("big", shop, csv=csv)
    assert report.added == 1 and not report.bad_rows
    (product,) = small_closet.catalogue_products("big")
    assert (product.name, product.price, product.url) == (name, 999999999.0, url)
    archive = small_closet.export(tmp_path / "backup.zip")
    small_closet.remove_catalogue("big")
    small_closet.restore(archive)
    assert [(p.name, p.price) for p in small_closet.catalogue_products("big")] == [(name, 999999999.0)]
