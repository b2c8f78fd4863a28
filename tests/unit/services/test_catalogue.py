"""Shop catalogues: import with a CSV, bad rows reported, resume after an interruption, remove, shop."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest
from sqlalchemy import text

from tests.conftest import draw_garment
from tests.unit.services.garment_fakes import FakeClassifier
from wardrobe_app.domain import Group, UnknownCatalogueError, WardrobeError
from wardrobe_app.services.catalogue import read_catalogue_csv
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, GREEN = (40, 40, 200), (200, 50, 40), (40, 190, 50)  # BGR
COLOURS = [RED, BLUE, GREEN]


def _shop(folder: Path, n: int, images: str = "") -> list[Path]:
    """Draw ``n`` product photos named <id>.jpg (ids 100, 101, ...), colours in turn."""
    target = folder / images if images else folder
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = target / f"{100 + i}.jpg"
        cv2.imwrite(str(path), draw_garment(COLOURS[i % 3], seed=100 + i, shape="shirt" if i % 2 else "blob"))
        paths.append(path)
    return paths


CSV = """id,name,category,colour,price,url
100,Red tee,T-Shirt,red,19.90,https://shop.example/100
101,Blue shirt,shirt,blue,not-a-price,https://shop.example/101
102,Green thing,Spaceship,green,5,
103,Broken row,shirt,red,1,2,3
104,Red shirt,Tshirts,red,$24.50,https://shop.example/104
"""


def test_csv_rows_are_read_and_bad_ones_reported(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text(CSV)
    details, bad = read_catalogue_csv(path)
    assert details["100"].name == "Red tee" and details["100"].category == "t-shirt"
    assert details["100"].price == pytest.approx(19.9) and details["100"].url == "https://shop.example/100"
    assert details["101"].price is None  # kept, without the bad price
    assert details["102"].category is None  # left to the classifier
    assert (details["100"].kind, details["102"].kind) == ("T-Shirt", "Spaceship")  # the shop's own words, kept
    assert "103" not in details
    assert details["104"].category == "t-shirt" and details["104"].price == pytest.approx(24.5)
    assert [line for line, _ in bad] == [3, 4, 5]
    assert "expected 6" in dict(bad)[5]


def test_import_with_csv_keeps_the_closet_apart(data_dir: Path, tmp_path: Path) -> None:
    _shop(tmp_path / "shop", 6)
    (tmp_path / "shop" / "broken.jpg").write_bytes(b"not a photo")
    csv_path = tmp_path / "products.csv"
    csv_path.write_text(CSV)
    classifier = FakeClassifier()
    with Wardrobe.open(data_dir, classifier=classifier) as wardrobe:
        seen: list[tuple[int, int]] = []
        report = wardrobe.import_catalogue(
            "Shop", tmp_path / "shop", csv=csv_path, progress=lambda done, total, _path: seen.append((done, total))
        )
        assert report.total == 7 and report.added == 6 and report.already_in == 0
        assert [Path(p).name for p, _ in report.failed] == ["broken.jpg"]
        assert len(report.bad_rows) == 3
        assert seen[-1] == (7, 7)
        assert max(classifier.batch_sizes) > 1  # classified in batches, not one by one
        assert wardrobe.items() == []  # the closet is untouched
        assert [(c.name, c.items) for c in wardrobe.catalogues()] == [("Shop", 6)]
        products = {
            item.external_id: item
            for item, _ in wardrobe.similar(tmp_path / "shop" / "100.jpg", k=10, collection="Shop")
        }
        assert set(products) == {"100", "101", "102", "104", None}  # 103: broken row, 105: no row
        tee = products["100"]
        assert tee.collection == "Shop" and tee.name == "Red tee" and tee.price == pytest.approx(19.9)
        assert tee.category == "t-shirt" and tee.url == "https://shop.example/100"
        assert products["102"].category == "shoes"  # the (fake) classifier's word: green
        with pytest.raises(WardrobeError):
            wardrobe.import_catalogue("closet", tmp_path / "shop")


def test_kaggle_layout_is_read_as_is(data_dir: Path, tmp_path: Path) -> None:
    _shop(tmp_path / "kaggle", 3, images="images")
    (tmp_path / "kaggle" / "styles.csv").write_text(
        "id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName\n"
        "100,Men,Apparel,Topwear,Tshirts,Red,Summer,2012,Casual,Red Tee\n"
        "101,Men,Apparel,Bottomwear,Jeans,Blue,Fall,2011,Casual,Blue, Slim Jeans\n"
        "102,Men,Footwear,Shoes,Casual Shoes,Green,Fall,2011,Casual,Green Sneakers\n"
    )
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        report = wardrobe.import_catalogue("kaggle", tmp_path / "kaggle")
        assert report.added == 3 and [line for line, _ in report.bad_rows] == [3]
        by_id = {i.external_id: i for i, _ in wardrobe.similar(tmp_path / "kaggle/images/100.jpg", 5, "kaggle")}
        assert by_id["100"].category == "t-shirt" and by_id["100"].name == "Red Tee"
        assert by_id["102"].category == "sneakers"


def test_the_fashion_catalogues_kinds_are_read_in_our_words(data_dir: Path, tmp_path: Path) -> None:
    """Kurtas, women's tops, watches, sarees, jewellery: the Kaggle catalogue's common kinds get our category, so
    each kind sits in its true outfit group (a kurta read as a dress by the classifier put the kurtas among dresses)."""
    kinds = ["Kurtas", "Tops", "Watches", "Sarees", "Earrings", "Innerwear Vests", "Socks", "Perfume and Body Mist"]
    _shop(tmp_path / "shop", len(kinds), images="images")
    rows = [f"{100 + i},Women,Apparel,{kind},Red,Product {100 + i}" for i, kind in enumerate(kinds)]
    (tmp_path / "shop" / "styles.csv").write_text(
        "id,gender,masterCategory,articleType,baseColour,productDisplayName\n" + "\n".join(rows) + "\n"
    )
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        report = wardrobe.import_catalogue("shop", tmp_path / "shop")
        assert report.added == len(kinds) and len(report.bad_rows) == 1  # perfume: no category of ours
        query = tmp_path / "shop" / "images" / "100.jpg"
        products = {i.external_id: i for i, _ in wardrobe.similar(query, k=20, collection="shop", same_category=False)}
    read = {kind: products[str(100 + i)] for i, kind in enumerate(kinds)}
    assert {kind: item.category for kind, item in read.items() if kind != "Perfume and Body Mist"} == {
        "Kurtas": "top",
        "Tops": "top",
        "Watches": "watch",
        "Sarees": "dress",
        "Earrings": "jewellery",
        "Innerwear Vests": "undershirt",
        "Socks": "socks",
    }
    assert read["Kurtas"].group is Group.TOP and read["Watches"].group is Group.ACCESSORY


def test_a_catalogue_is_searched_by_its_own_kinds_not_by_the_classifiers_word(data_dir: Path, tmp_path: Path) -> None:
    """Kinds our categories lack (kurta sets, gift sets) are stored as the shop wrote them, and a query finds its kind.

    The fake classifier reads colour (red: t-shirt): by its word a red kurta set would bring red gift sets too;
    the probe fitted on the catalogue's own kinds reads the shape, and brings the kurta sets of every colour."""
    _shop(tmp_path / "shop", 12, images="images")  # odd ids shirt-shaped (kurta sets), even ids blobs (gift sets)
    rows = [
        f"{100 + i},Men,Apparel,{'Kurta Sets' if i % 2 else 'Accessory Gift Set'},Red,Product {100 + i}"
        for i in range(12)
    ]
    (tmp_path / "shop" / "styles.csv").write_text(
        "id,gender,masterCategory,articleType,baseColour,productDisplayName\n" + "\n".join(rows) + "\n"
    )
    query = tmp_path / "query.jpg"
    cv2.imwrite(str(query), draw_garment(RED, seed=999, shape="shirt"))
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        report = wardrobe.import_catalogue("shop", tmp_path / "shop")
        assert report.added == 12 and len(report.bad_rows) == 12  # "category unknown, left to the classifier"
        with wardrobe.sessions() as session:
            stored = {str(i): kind for i, kind in session.execute(text("SELECT external_id, shop_kind FROM items"))}
        assert stored == {str(100 + i): "Kurta Sets" if i % 2 else "Accessory Gift Set" for i in range(12)}
        found = wardrobe.shop_for(query, k=5)
        assert len(found) == 5 and all(int(item.external_id or 0) % 2 == 1 for item, _ in found)  # kurta sets
        assert {item.colours[0].name for item, _ in found} != {"red"}  # of every colour
        assert [d for _, d in found] == sorted(d for _, d in found) and all(0 <= d <= 1 for _, d in found)
        every = wardrobe.similar(query, 12, "shop", same_category=False)
        words = {item.category for item, _ in every if int(item.external_id or 0) % 2 == 0}
        assert "t-shirt" in words and len(words) > 1  # the gift sets' categories: the classifier's colour guesses


def test_resume_after_cancel_and_after_a_kill_mid_batch(data_dir: Path, tmp_path: Path) -> None:
    _shop(tmp_path / "shop", 40)
    calls = iter(range(100))
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        first = wardrobe.import_catalogue("Shop", tmp_path / "shop", cancel=lambda: next(calls) >= 1)
        assert first.cancelled and first.added == 16
    # a kill in the middle of the second batch of the next run
    with (
        Wardrobe.open(data_dir, classifier=FakeClassifier(fail_on_call=2)) as wardrobe,
        pytest.raises(KeyboardInterrupt),
    ):
        wardrobe.import_catalogue("Shop", tmp_path / "shop")
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        (catalogue,) = wardrobe.catalogues()
        assert catalogue.items == 32  # whole items only: first run's 16, then one more batch
        assert set(wardrobe.files.all_files()) == wardrobe.referenced_files()  # no half-written product
        report = wardrobe.import_catalogue("Shop", tmp_path / "shop")
        assert (report.added, report.already_in, report.failed) == (8, 32, [])
        assert wardrobe.catalogues()[0].items == 40


def test_remove_catalogue_and_shop_for(data_dir: Path, tmp_path: Path, photo_factory) -> None:  # type: ignore[no-untyped-def]
    _shop(tmp_path / "shop", 6)
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        with pytest.raises(WardrobeError):
            wardrobe.shop_for(photo_factory("q.jpg", colour_bgr=RED, seed=7))
        mine = wardrobe.add_photo(photo_factory("mine.jpg", colour_bgr=BLUE, seed=8, shape="shirt"))
        wardrobe.import_catalogue("Shop", tmp_path / "shop")
        found = wardrobe.shop_for(photo_factory("q.jpg", colour_bgr=RED, seed=7), k=3)
        assert len(found) == 3 and all(item.collection == "Shop" for item, _ in found)
        assert {item.source_name for item, _ in found[:2]} == {"100.jpg", "103.jpg"}  # the red t-shirts first
        assert all(item.group == Group.TOP for item, _ in found[:2]) and found[2][0].group != Group.TOP
        by_item = wardrobe.shop_for(mine.id, k=2, catalogue="Shop")
        assert all(item.group == Group.MIDDLE for item, _ in by_item)  # blue = pants in the fake
        change = wardrobe.remove_catalogue("Shop")
        assert "6 products" in change.notes[0]
        assert wardrobe.catalogues() == [] and [i.id for i in wardrobe.items()] == [mine.id]
        assert set(wardrobe.files.all_files()) == wardrobe.referenced_files()
        with pytest.raises(UnknownCatalogueError):
            wardrobe.remove_catalogue("Shop")


def test_worth_buying_and_complete_the_look_through_the_facade(data_dir: Path, tmp_path: Path, photo_factory) -> None:  # type: ignore[no-untyped-def]
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        top = wardrobe.add_photo(photo_factory("top.jpg", colour_bgr=RED, seed=1))  # fake: red = t-shirt
        for n in range(2):
            wardrobe.add_photo(photo_factory(f"pants{n}.jpg", colour_bgr=BLUE, seed=10 + n))  # blue = pants
        candidate = photo_factory("candidate.jpg", colour_bgr=GREEN, seed=20)  # green = shoes
        verdicts = wardrobe.worth_buying(candidate, threshold=0.0)
        assert [v.good_outfits for v in verdicts] == [2] * len(wardrobe.occasions())  # 1 top x 2 pants
        assert all(set(v.partners) == {top.id, top.id + 1, top.id + 2} for v in verdicts)
        assert all(v.good_outfits == 0 for v in wardrobe.worth_buying(candidate, threshold=1.01))
        _shop(tmp_path / "shop", 6)
        wardrobe.import_catalogue("Shop", tmp_path / "shop")
        looks = wardrobe.complete_the_look(top.id, "casual", "Shop", k=5)
        assert looks and all(look.product.category == "shoes" and look.outfit.top == top.id for look in looks)


def test_the_same_photo_twice_in_a_folder_is_reported_once(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wardrobe_app.services import catalogue

    monkeypatch.setattr(catalogue, "BATCH_SIZE", 2)
    paths = _shop(tmp_path / "shop", 5)
    (tmp_path / "shop" / "999.jpg").write_bytes(paths[0].read_bytes())  # long after 100.jpg was stored
    (tmp_path / "shop" / "101b.jpg").write_bytes(paths[1].read_bytes())  # prepared while 101.jpg is stored
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        report = wardrobe.import_catalogue("Shop", tmp_path / "shop")
        assert (report.added, report.already_in, report.failed) == (5, 0, [])
        assert sorted(Path(p).name for p, _ in report.duplicates) == ["101b.jpg", "999.jpg"]
