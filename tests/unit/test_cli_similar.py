"""The ``similar``, ``shop``, ``catalogue``, ``worth-buying`` commands over a temporary closet."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PhotoFactory


def test_similar_catalogue_shop_and_worth_buying(run, photo_factory: PhotoFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    red = photo_factory("red.jpg", colour_bgr=(30, 30, 200), seed=1)
    blue = photo_factory("blue.jpg", colour_bgr=(200, 60, 20), seed=2)
    assert run("add", str(red), str(blue), "--category", "t-shirt")[0] == 0
    code, out, err = run("similar", str(red), "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found[0]["colours"][0]["name"] == "red" and found[0]["distance"] < 0.01 and len(found) == 2
    code, out, _ = run("similar", str(found[0]["id"]), "--k", "1")
    assert code == 0 and len(out.splitlines()) == 1 and "blue" in out
    assert "% match" in out  # people read the score the order goes by; --json keeps the distance

    shop = tmp_path / "shop"
    shop.mkdir()
    for n, name in enumerate(("a.jpg", "b.jpg")):
        photo_factory(f"../shop/{name}", colour_bgr=(30, 30, 200 - 50 * n), seed=10 + n)
    (shop / "products.csv").write_text("image,name,category,price,url\na.jpg,Red tee,t-shirt,9.5,u\nb.jpg,x,y\n")
    code, out, err = run("catalogue", "import", "Shop", str(shop), "--csv", str(shop / "products.csv"))
    assert code == 0 and "added 2" in out and "CSV line 3" in err
    code, out, _ = run("catalogue", "list", "--json")
    assert json.loads(out)[0]["name"] == "Shop" and json.loads(out)[0]["items"] == 2
    code, out, _ = run("shop", str(red), "--json")
    assert code == 0 and json.loads(out)[0]["name"] == "Red tee" and json.loads(out)[0]["price"] == 9.5
    code, out, err = run("similar", str(red), "--in", "Nope")
    assert code == 1 and "no catalogue 'Nope'" in err
    code, out, err = run("worth-buying", str(blue), "--category", "jeans", "--occasion", "casual")
    assert code == 0 and out.startswith("casual") and "shoes" in out
    assert run("catalogue", "remove", "Shop")[0] == 0
    assert "No catalogues yet" in run("catalogue", "list")[1]
