"""Catalogue CSVs as real shops write them: Windows encodings, decimal commas, bad prices, damage."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import pytest

from tests.conftest import draw_garment
from wardrobe_app.cli import main
from wardrobe_app.services.catalogue_csv import load_catalogue_csv, parse_price
from wardrobe_app.services.wardrobe import Wardrobe


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "products.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_latin1_and_cp1252_are_read_without_mojibake(tmp_path: Path) -> None:
    text = "id;name;price\n1;Pull en laine mérinos – écru;49,90\n2;Größe „M“ Hose;1.234,50\n"
    table = load_catalogue_csv(_csv(tmp_path, text, "cp1252"))
    assert table.encoding == "cp1252" and table.delimiter == ";"
    assert table.details["1"].name == "Pull en laine mérinos – écru"
    assert table.details["2"].name == "Größe „M“ Hose"
    assert table.details["1"].price == pytest.approx(49.9)
    assert table.details["2"].price == pytest.approx(1234.5)
    assert table.bad_rows == []
    latin1 = load_catalogue_csv(_csv(tmp_path, "id,name\n7,Café crème\n", "latin-1"))
    assert latin1.details["7"].name == "Café crème"


def test_utf8_with_and_without_bom_and_utf16(tmp_path: Path) -> None:
    for encoding in ("utf-8", "utf-8-sig", "utf-16"):
        table = load_catalogue_csv(_csv(tmp_path, "id,name\n1,衣橱 zoë\n", encoding))
        assert table.details["1"].name == "衣橱 zoë", encoding


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("9,99", 9.99),
        ("1.234,50", 1234.5),
        ("1,234.50", 1234.5),
        ("$24.50", 24.5),
        ("9,99 €", 9.99),
        ("EUR 12", 12.0),
        ("1 234,00", 1234.0),
        ("1'234.50", 1234.5),
        ("0", 0.0),
        ("19.90", 19.9),
        ("1,234", 1234.0),
        ("1.234.567", 1234567.0),
    ],
)
def test_prices_as_shops_write_them(text: str, price: float) -> None:
    value, why = parse_price(text)
    assert why == "" and value == pytest.approx(price)


@pytest.mark.parametrize(
    "text",
    [
        "-5",
        "−5",
        "inf",
        "nan",
        "NaN",
        "-inf",
        "1e400",
        "1e3",
        "not-a-price",
        "9,99,9",
        "1.2.3",
        "12abc34",
        "99999999999",
        "--5",
        "5-",
    ],
)
def test_impossible_prices_are_refused(text: str) -> None:
    value, why = parse_price(text)
    assert value is None and why


def test_bad_price_keeps_the_product_and_reports_the_row(tmp_path: Path) -> None:
    table = load_catalogue_csv(_csv(tmp_path, "id,name,price\n1,A,-5\n2,B,inf\n3,C,nan\n4,D,5\n"))
    assert [table.details[k].price for k in "1234"] == [None, None, None, 5.0]
    assert [line for line, _ in table.bad_rows] == [2, 3, 4]
    assert all(math.isfinite(p.price) for p in table.details.values() if p.price is not None)


def test_an_unclosed_quote_is_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    text = 'id,name,price\n1,Red tee,5\n2,"Blue shirt,6\n3,Green,7\n4,"Black",8\n5,White,9\n'
    table = load_catalogue_csv(_csv(tmp_path, text))
    assert set(table.details) == {"1", "3", "4", "5"}
    assert table.details["4"].name == "Black"
    assert [line for line, _ in table.bad_rows] == [3]
    assert "quote" in table.bad_rows[0][1]
    # the quote swallowing everything to the end of the file
    table = load_catalogue_csv(_csv(tmp_path, 'id,name\n1,A\n2,"B\n3,C\n4,D\n'))
    assert set(table.details) == {"1", "3", "4"}
    assert [line for line, _ in table.bad_rows] == [3]


def test_a_quoted_field_over_several_lines_is_still_one_row(tmp_path: Path) -> None:
    table = load_catalogue_csv(_csv(tmp_path, 'id,name,price\n1,"Red\ntee",5\n2,B,6\n'))
    assert table.details["1"].name == "Red\ntee" and table.details["2"].price == 6.0
    assert table.bad_rows == []


def test_huge_fields_are_cut_with_a_note_and_do_not_abort(tmp_path: Path) -> None:
    huge = "x" * (128 * 1024 + 10)
    table = load_catalogue_csv(_csv(tmp_path, f"id,name,url\n1,{huge},https://a.example/{huge}\n2,B,\n"))
    assert set(table.details) == {"1", "2"}
    assert table.details["1"].name is not None and len(table.details["1"].name) <= 500
    assert table.details["1"].url is None
    assert {line for line, _ in table.bad_rows} == {2}
    assert any("name cut" in why for _, why in table.bad_rows)


def test_control_characters_and_duplicate_ids(tmp_path: Path) -> None:
    table = load_catalogue_csv(_csv(tmp_path, "id,name\n1,Red\x00 tee\x07\n1,Other\n"))
    assert table.details["1"].name == "Red tee"
    assert [line for line, _ in table.bad_rows] == [3]


def test_the_cli_imports_a_damaged_cp1252_catalogue(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDROBE_CLASSIFIER", "none")
    shop = tmp_path / "shop"
    shop.mkdir()
    for i in range(4):
        cv2.imwrite(str(shop / f"{i + 1}.jpg"), draw_garment(seed=i))
    text = f"id;name;price\n1;Chemise écrue;9,99\n2;Jupe;-5\n3;\"Robe d'été;20\n4;Veste;1.234,50\n5;{'y' * 140_000};3\n"
    csv_path = _csv(tmp_path, text, "cp1252")
    code = main(["--data-dir", str(data_dir), "catalogue", "import", "Shop", str(shop), "--csv", str(csv_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "added 4" in out
    assert "cp1252" in err and "CSV line 3:" in err and "CSV line 4:" in err and "CSV line 6:" in err
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        from wardrobe_app.services.similar import SimilarSearch

        search = SimilarSearch(wardrobe.sessions, wardrobe.data_dir, wardrobe.classifier)
        collection_id, name = search.collection("Shop")
        products = {p.external_id: p for p in search.collection_items(collection_id, name)}
    assert products["1"].name == "Chemise écrue" and products["1"].price == pytest.approx(9.99)
    assert products["2"].price is None and products["2"].name == "Jupe"
    assert products[None].source_name == "3.jpg"  # its row could not be trusted: imported without details
    assert products["4"].price == pytest.approx(1234.5)
