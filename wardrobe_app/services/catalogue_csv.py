"""Reading a shop catalogue's CSV as real shops write them: any encoding, separator, decimal comma, damage."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wardrobe_app.domain import UnknownCategoryError, WardrobeError, normalise_category

#: CSV header names (lower case, no spaces or underscores) for each catalogue column.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "externalid", "productid", "sku", "articleid"),
    "name": ("name", "productdisplayname", "productname", "title"),
    "category": ("category", "articletype", "type", "producttype"),
    "colour": ("colour", "color", "basecolour", "basecolor"),
    "price": ("price",),
    "url": ("url", "link", "producturl"),
    "image": ("image", "filename", "file", "photo", "imagepath", "path"),
}

#: Categories of the Kaggle "Fashion Product Images" styles.csv (articleType) in our words.
ARTICLE_TYPES: dict[str, str] = {
    "tshirts": "t-shirt",
    "tops": "top",
    "kurtas": "top",
    "kurtis": "top",
    "innerwear vests": "undershirt",
    "shrug": "cardigan",
    "nehru jackets": "jacket",
    "tunics": "blouse",
    "shirts": "shirt",
    "jeans": "jeans",
    "trousers": "trousers",
    "track pants": "sweatpants",
    "capris": "pants",
    "salwar": "pants",
    "churidar": "pants",
    "patiala": "pants",
    "lounge pants": "sweatpants",
    "jeggings": "leggings",
    "tights": "leggings",
    "shorts": "shorts",
    "lounge shorts": "shorts",
    "skirts": "skirt",
    "dresses": "dress",
    "nightdress": "dress",
    "sarees": "dress",
    "jumpsuit": "jumpsuit",
    "rompers": "jumpsuit",
    "dungarees": "jumpsuit",
    "jackets": "jacket",
    "sweaters": "sweater",
    "sweatshirts": "hoodie",
    "blazers": "blazer",
    "rain jacket": "jacket",
    "waistcoat": "jacket",
    "coats": "coat",
    "leggings": "leggings",
    "casual shoes": "sneakers",
    "sports shoes": "sneakers",
    "formal shoes": "formal shoes",
    "heels": "heels",
    "flats": "flats",
    "sandals": "sandals",
    "sports sandals": "sandals",
    "flip flops": "sandals",
    "caps": "cap",
    "hat": "hat",
    "belts": "belt",
    "ties": "tie",
    "scarves": "scarf",
    "stoles": "scarf",
    "mufflers": "scarf",
    "dupatta": "scarf",
    "handbags": "bag",
    "backpacks": "bag",
    "clutches": "bag",
    "laptop bag": "bag",
    "messenger bag": "bag",
    "tote bags": "bag",
    "duffel bag": "bag",
    "trolley bag": "bag",
    "rucksacks": "bag",
    "waist pouch": "bag",
    "mobile pouch": "bag",
    "watches": "watch",
    "sunglasses": "sunglasses",
    "wallets": "wallet",
    "socks": "socks",
    "earrings": "jewellery",
    "pendant": "jewellery",
    "necklace and chains": "jewellery",
    "ring": "jewellery",
    "bangle": "jewellery",
    "bracelet": "jewellery",
    "jewellery set": "jewellery",
    "cufflinks": "jewellery",
}

#: The largest CSV read (a shop catalogue of a million products is far smaller).
MAX_CSV_BYTES = 512 * 1024 * 1024
#: The largest single field the CSV parser accepts; longer ones make their row a bad row.
MAX_FIELD_CHARS = 16 * 1024 * 1024
#: Text fields longer than this are cut (with a note on the row); a longer URL is dropped instead.
MAX_TEXT_CHARS = {"id": 200, "name": 500, "category": 100, "colour": 100, "image": 1024}
MAX_URL_CHARS = 2048
#: The largest price believed (in any currency).
MAX_PRICE = 1e9

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CURRENCY = r"(?:[$€£¥₹₽₩¢]|[A-Za-z]{1,3}\$?|Rs\.?|zł|Kč)"
_PRICE = re.compile(rf"^{_CURRENCY}?\s*(?P<number>[-+−]?\s*\d[\d.,'’\s]*?)\s*{_CURRENCY}?$")


@dataclass(frozen=True)
class ProductDetails:
    """What a catalogue CSV says about one product photo."""

    external_id: str | None = None
    name: str | None = None
    category: str | None = None
    kind: str | None = None  # the category column as the shop wrote it ("Casual Shoes"), for the search
    colour: str | None = None
    price: float | None = None
    url: str | None = None

    def extra(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "name": self.name,
            "price": self.price,
            "url": self.url,
            "shop_kind": self.kind,
        }


@dataclass
class CatalogueCsv:
    """A catalogue CSV as read: details by image name and by id, problems by line, how it was read."""

    details: dict[str, ProductDetails] = field(default_factory=dict)
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (line, why), a line may have several
    encoding: str = "utf-8"
    delimiter: str = ","


def read_catalogue_csv(path: Path) -> tuple[dict[str, ProductDetails], list[tuple[int, str]]]:
    """Product details keyed by image file name and by id; bad rows as (line, why), never raised."""
    table = load_catalogue_csv(path)
    return table.details, table.bad_rows


def load_catalogue_csv(path: Path) -> CatalogueCsv:
    """Read a catalogue CSV; raises WardrobeError only when it cannot be read at all (no header, not a file)."""
    text, encoding = decode_csv(_read_bytes(path), str(path))
    lines = io.StringIO(text, newline="").readlines()
    if not lines or not lines[0].strip():
        raise WardrobeError(f"{path}: the CSV is empty")
    delimiter = _delimiter(lines[0])
    table = CatalogueCsv(encoding=encoding, delimiter=delimiter)
    with _field_limit(MAX_FIELD_CHARS):
        try:
            header = next(csv.reader([lines[0]], delimiter=delimiter))
        except (csv.Error, StopIteration) as exc:
            raise WardrobeError(f"{path}: the CSV header cannot be read ({exc})") from exc
        keys = ["".join(h.lower().split()).replace("_", "").replace("-", "") for h in header]
        columns: dict[str, int] = {}
        for name, aliases in COLUMN_ALIASES.items():
            for alias in aliases:
                if alias in keys:
                    columns[name] = keys.index(alias)
                    break
        if "id" not in columns and "image" not in columns:
            raise WardrobeError(f"{path}: the CSV needs an id or an image column (found: {', '.join(header)})")
        first_line: dict[str, int] = {}
        for line, row, problem in _records(lines, 1, delimiter, len(header)):
            if row is None:
                table.bad_rows.append((line, problem))
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                table.bad_rows.append((line, f"{len(row)} fields, expected {len(header)}"))
                continue
            product, problems = _product(row, columns)
            table.bad_rows.extend((line, why) for why in problems)  # kept, with the faulty fields left out
            if product is None:
                continue
            image = _clean(row[columns["image"]])[: MAX_TEXT_CHARS["image"]] if "image" in columns else ""
            for key in dict.fromkeys(map(product_key, (Path(image).name, product.external_id))):
                if not key:
                    continue
                if key in table.details:
                    table.bad_rows.append(
                        (line, f"{key!r} already described on line {first_line[key]}; that row is kept")
                    )
                    continue
                table.details[key] = product
                first_line[key] = line
    return table


def product_key(name: str | None) -> str:
    """How a photo's name or a product id is looked up: in one Unicode form (NFC). macOS writes file names
    decomposed (NFD) and shops' spreadsheets composed, so "café.jpg" is two strings that look the same."""
    return unicodedata.normalize("NFC", name) if name else ""


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise WardrobeError(f"{path}: not a CSV file")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise WardrobeError(f"{path}: the CSV is too big ({size // 2**20} MB; at most {MAX_CSV_BYTES // 2**20} MB)")
        with path.open("rb") as handle:
            return handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise WardrobeError(f"{path}: cannot read the CSV ({exc.strerror or exc})") from exc


def decode_csv(data: bytes, name: str = "CSV") -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise WardrobeError(f"{name}: damaged UTF-16 text ({exc.reason})") from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: Latin-1 has them all
        return data.decode("latin-1"), "latin-1"


def _delimiter(header: str) -> str:
    """The separator the header line uses most: comma, semicolon (European spreadsheets), tab or bar."""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _records(lines: list[str], start: int, delimiter: str, width: int) -> Iterator[tuple[int, list[str] | None, str]]:
    """(first line number, row or None, problem) for each record from ``lines[start]`` on.

    A quote that is never closed swallows the lines after it into one field: a record that
    spans several lines without the header's number of fields, or that the parser refuses,
    is reported on its first line and the reading starts again on the line after it, so
    the rows below an unclosed quote are still read.
    """
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter, strict=True)
        consumed = 0
        try:
            for row in reader:
                first = start + consumed + 1  # 1-based number of the record's first line
                span = reader.line_num - consumed
                consumed = reader.line_num
                if span > 1 and len(row) != width:
                    yield first, None, _unclosed(lines[first - 1])
                    start = first
                    break
                yield first, row, ""
            else:
                return
        except csv.Error as exc:
            first = start + consumed + 1
            message = str(exc)
            if "field larger than field limit" in message:
                message = f"a field longer than {MAX_FIELD_CHARS // 2**20} MB characters; row left out"
            elif "unexpected end of data" in message or reader.line_num - consumed > 1:
                message = _unclosed(lines[first - 1])
            else:
                message = f"cannot be read as CSV ({message}); row left out"
            yield first, None, message
            start = first


def _unclosed(line: str) -> str:
    shown = line.strip()
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return (
        f"a quote opened on this line is never closed ({shown!r}); row left out, the lines after it read on their own"
    )


def _clean(value: str) -> str:
    return _CONTROL.sub("", value).strip()


def _product(row: list[str], columns: dict[str, int]) -> tuple[ProductDetails | None, list[str]]:
    problems: list[str] = []

    def cell(name: str) -> str | None:
        if name not in columns:
            return None
        value = _clean(row[columns[name]])
        limit = MAX_TEXT_CHARS.get(name)
        if limit is not None and len(value) > limit:
            problems.append(f"{name} cut to {limit} characters (it had {len(value)})")
            value = value[:limit].rstrip()
        return value or None

    external_id, image = cell("id"), cell("image")
    if external_id is None and image is None:
        return None, ["no id and no image"]
    price: float | None = None
    raw_price = cell("price")
    if raw_price is not None:
        price, why = parse_price(raw_price)
        if why:
            problems.append(why)
    category = None
    raw_category = cell("category")
    if raw_category is not None:
        category = _category(raw_category)
        if category is None:
            problems.append(f"category {raw_category!r} unknown, left to the classifier")
    url = cell("url")
    if url is not None and len(url) > MAX_URL_CHARS:
        problems.append(f"url left out: {len(url)} characters long (at most {MAX_URL_CHARS})")
        url = None
    product = ProductDetails(
        external_id=external_id,
        name=cell("name"),
        category=category,
        kind=shop_kind(raw_category),
        colour=cell("colour"),
        price=price,
        url=url,
    )
    return product, problems


def parse_price(text: str) -> tuple[float | None, str]:
    """A price written the way shops write them ("$24.50", "9,99 €", "1.234,50", "1'234.50").

    Returns (price, "") or (None, why): negative, infinite, NaN, absurd and unreadable prices are refused.
    """
    shown = text if len(text) <= 40 else text[:37] + "..."
    match = _PRICE.match(text.strip())
    if match is None:
        return None, f"price {shown!r} is not a number; left out"
    number = re.sub(r"[\s'’]", "", match["number"]).replace("−", "-")
    value = _decimal(number)
    if value is None:
        return None, f"price {shown!r} is not a number; left out"
    if not math.isfinite(value) or value > MAX_PRICE:
        return None, f"price {shown!r} is not a believable price; left out"
    if value < 0:
        return None, f"price {shown!r} is negative; left out"
    return value, ""


def _decimal(number: str) -> float | None:
    """Digits with thousands separators and a decimal point or comma, as a float (None if ill-formed)."""
    sign = ""
    if number[:1] in "+-":
        sign, number = number[0], number[1:]
    if "," in number and "." in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal == "," else ","
    elif number.count(",") == 1 and len(number.rsplit(",", 1)[1]) != 3:
        decimal, thousands = ",", ""  # "9,99": a decimal comma
    elif "," in number:
        decimal, thousands = "", ","  # "1,234" or "1,234,567"
    elif number.count(".") > 1:
        decimal, thousands = "", "."  # "1.234.567"
    else:
        decimal, thousands = ".", ""
    whole, _, fraction = number.rpartition(decimal) if decimal and decimal in number else (number, "", "")
    if thousands:
        groups = whole.split(thousands)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            return None
        whole = "".join(groups)
    if not re.fullmatch(r"\d+", whole) or (fraction and not re.fullmatch(r"\d+", fraction)):
        return None
    return float(f"{sign}{whole}.{fraction or 0}")


def shop_kind(value: str | None) -> str | None:
    """A shop's word for a product's type, as the search compares them: spaces collapsed, letters' case kept,
    at most 100 characters (the column's width)."""
    if value is None:
        return None
    kind = " ".join(value.split())[:100].rstrip()
    return kind or None


def _category(value: str) -> str | None:
    try:
        return normalise_category(value)
    except UnknownCategoryError:
        pass
    mapped = ARTICLE_TYPES.get(" ".join(value.lower().split()))
    if mapped is not None:
        return mapped
    singular = value.rstrip("sS")
    try:
        return normalise_category(singular)
    except UnknownCategoryError:
        return None
