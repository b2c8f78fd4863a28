"""Ids are never handed out twice, and every id the CLI prints is one ``wardrobe show`` accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2

from tests.conftest import draw_garment
from tests.unit.services.garment_fakes import FakeClassifier
from wardrobe_app.services.wardrobe import Wardrobe


def test_removing_the_newest_item_does_not_free_its_id(wardrobe: Any, photo_factory: Any) -> None:
    first = wardrobe.add_photo(photo_factory("a.jpg", seed=1), category="shirt")
    second = wardrobe.add_photo(photo_factory("b.jpg", seed=2), category="jeans")
    wardrobe.remove(second.id)
    wardrobe.empty_trash()
    third = wardrobe.add_photo(photo_factory("c.jpg", seed=3), category="sneakers")
    assert third.id not in (first.id, second.id) and third.id > second.id


def test_outfit_and_rating_ids_are_not_reused(wardrobe: Any, photo_factory: Any) -> None:
    from sqlalchemy import func, select

    from wardrobe_app.db.tables import FeedbackRow, OutfitRow

    def newest() -> tuple[int | None, int | None]:
        with wardrobe.sessions() as session:
            return session.scalar(select(func.max(OutfitRow.id))), session.scalar(select(func.max(FeedbackRow.id)))

    shirt, jeans, shoes, boots = (
        wardrobe.add_photo(photo_factory(f"{n}.jpg", seed=n), category=c).id
        for n, c in enumerate(("shirt", "jeans", "sneakers", "boots"))
    )
    wardrobe.feedback(wardrobe.outfit([shirt, jeans, boots]), "casual", liked=True)
    before = newest()
    wardrobe.remove(boots)
    wardrobe.empty_trash()  # its outfit and rating go with it
    assert newest() == (None, None)
    wardrobe.feedback(wardrobe.outfit([shirt, jeans, shoes]), "casual", liked=False)
    after = newest()
    assert after[0] is not None and after[1] is not None and before[0] is not None and before[1] is not None
    assert after[0] > before[0] and after[1] > before[1]


def test_ids_printed_by_shop_are_accepted_by_show(run: Any, data_dir: Path, tmp_path: Path, photo_factory: Any) -> None:
    shop = tmp_path / "shop"
    shop.mkdir()
    for i in range(3):
        cv2.imwrite(str(shop / f"{i + 1}.jpg"), draw_garment(seed=40 + i))
    (tmp_path / "shop.csv").write_text("id,name,price\n1,Red tee,9.99\n2,Blue tee,5\n3,Green tee,7\n")
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        wardrobe.add_photo(photo_factory("mine.jpg", seed=1))
        wardrobe.import_catalogue("Shop", shop, csv=tmp_path / "shop.csv")
        found = wardrobe.shop_for(photo_factory("q.jpg", seed=2), k=3)
    assert found
    for product, _ in found:
        code, out, err = run("show", str(product.id))
        assert code == 0, err
        assert "Shop" in out and (product.name or "") in out
        code, out, err = run("show", str(product.id), "--json")
        assert code == 0, err
        data = json.loads(out)
        assert data["id"] == product.id and data["collection"] == "Shop" and data["name"] == product.name
    code, out, _ = run("show", "1", "--json")
    assert code == 0 and json.loads(out)["collection"] == "closet"
    code, _, err = run("show", "99999")
    assert code == 1 and "no item 99999" in err
