"""Every row of a closet database checked as the app would write it: keys, references, types, sizes, values.

An archive's database is checked with these before a restore replaces anything (``archive_checks``): a
hostile or damaged backup whose tags, diary, plans, ratings or clean-out rows point at missing items, hold
absurd values, huge or path-like text, duplicate keys or values of the wrong type is refused, never trusted.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect

from wardrobe_app.domain import CATEGORY_GROUPS, Occasion
from wardrobe_app.domain.diary import EntryKind, ItemStatus
from wardrobe_app.domain.item_fields import MAX_TAGS

#: The most problems reported (the first few are shown; a damaged closet has thousands).
MAX_PROBLEMS = 50
#: Longest text an item's column may hold: far above what the app lets anyone type (names 200, notes 10,000,
#: catalogue names 500), so that no closet the app wrote is refused, yet a megabyte of "name" is.
MAX_TEXT = 65_536
#: Longest tag and catalogue name a stored closet may hold (looser than what the API lets a person type now,
#: so that closets written by earlier versions, which had looser rules, are never refused).
MAX_STORED_TAG = 200
#: Highest price a row may hold (a catalogue's prices go up to this; a closet item's to 1,000,000).
MAX_CATALOGUE_PRICE = 1e9
#: Most wears since the last wash, most dominant colours and longest feature vector an item may carry.
MAX_WEARS_SINCE_WASH = 1_000_000
MAX_COLOURS = 64
MAX_FEATURE_DIM = 65_536
#: Largest id and count a row may hold (SQLite's integers; beyond it is damage).
MAX_INT = 2**62
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_OUTFIT_KEY = re.compile(r"(\d*\|){3}\d*(\|\d*\|\d*)?")
_DIALECT = sqlite_dialect.dialect()
_READ_DATETIME = sqlite_dialect.DATETIME().result_processor(_DIALECT, None)
_READ_DATE = sqlite_dialect.DATE().result_processor(_DIALECT, None)
_OCCASIONS = frozenset(o.value for o in Occasion)
_FEEDBACK_SOURCES = {"like": (1.0,), "wore": (1.0,), "dislike": (0.0,)}

Problems = Iterator[str]


def row_problems(connection: sqlite3.Connection, complete: bool = True) -> list[str]:
    """What is wrong with the rows of a closet database (empty: all of them are as the app writes them).

    ``complete``: the database is of the newest schema, so a missing table or column is a problem; an
    older one (an archive before its upgrade) lacks the newer tables, and they are checked after it.
    """
    problems: list[str] = []
    for check in _CHECKS:
        try:
            for problem in check(connection):
                problems.append(problem)
                if len(problems) >= MAX_PROBLEMS:
                    return problems
        except sqlite3.OperationalError as exc:  # no such table or column
            if complete:
                problems.append(f"the database lacks part of a closet ({exc})")
    return problems


# -- helpers -------------------------------------------------------------------------------------
def _is_int(value: object, low: int = 0, high: int = MAX_INT) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_flag(value: object) -> bool:
    return value in (0, 1) and isinstance(value, int)


def _is_number(value: object, low: float = -math.inf, high: float = math.inf) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and low <= value <= high


def _is_time(value: object, required: bool = True) -> bool:
    if value is None:
        return not required
    try:
        assert _READ_DATETIME is not None
        _READ_DATETIME(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _is_day(value: object, required: bool = True) -> bool:
    if value is None:
        return not required
    try:
        assert _READ_DATE is not None
        _READ_DATE(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _is_text(value: object, limit: int, required: bool = True) -> bool:
    if value is None:
        return not required
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _select(connection: sqlite3.Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    return iter(connection.execute(sql))


# -- the whole database --------------------------------------------------------------------------
def _schema(connection: sqlite3.Connection) -> Problems:
    """Triggers and views run code on the app's later writes (a trigger can delete every item): we make none."""
    for kind, name in _select(connection, "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"):
        yield f"the database holds a {kind} {name!r} that Wardrobe never makes"


def _references(connection: sqlite3.Connection) -> Problems:
    """Rows pointing at rows that are not there (a tag of a missing item, a diary line of a deleted outfit)."""
    for table, rowid, parent, _ in _select(connection, "PRAGMA foreign_key_check"):
        yield f"{table} row {rowid} points at a missing row of {parent}"


#: Keys the schema says are unique, checked by counting (a hostile database may have dropped the constraint).
_UNIQUE = (
    ("items", "id"),
    ("items", "collection_id, content_hash"),
    ("item_tags", "item_id, tag"),
    ("cleanout_dismissals", "item_id"),
    ("wear_entries", "id"),
    ("wear_entry_items", "entry_id, item_id"),
    ("wear_entry_items", "entry_id, position"),
    ("laundry_rules", "category"),
    ("outfits", "id"),
    ("outfits", "key"),
    ("feedback", "id"),
    ("collections", "id"),
    ("collections", "name"),
    ("item_features", "item_id, kind"),
    ("item_colours", "item_id, rank"),
    ("ranker_versions", "version"),
)


def _duplicates(connection: sqlite3.Connection) -> Problems:
    for table, columns in _UNIQUE:
        sql = f"SELECT {columns}, COUNT(*) FROM {table} GROUP BY {columns} HAVING COUNT(*) > 1 LIMIT 3"
        for row in _select(connection, sql):
            yield f"{table}: {columns} {_shown(row[:-1])} appears {row[-1]} times"


# -- tables --------------------------------------------------------------------------------------
def _collections(connection: sqlite3.Connection) -> Problems:
    kinds = {}
    for collection_id, name, kind, source, created_at in _select(
        connection, "SELECT id, name, kind, source, created_at FROM collections"
    ):
        where = f"collection {collection_id!r}"
        kinds[collection_id] = kind
        if not _is_text(name, MAX_TEXT) or not name or kind not in ("closet", "catalogue"):
            yield f"{where}: bad name or kind {_shown(name)}, {_shown(kind)}"
        if not _is_text(source, MAX_TEXT, required=False) or not _is_time(created_at):
            yield f"{where}: bad source or creation time"
    if kinds.get(1) != "closet":
        yield "the closet (collection 1) is missing"


def _items(connection: sqlite3.Connection) -> Problems:
    """Types and ranges of every column (text capped well above what the app lets a person type)."""
    rows = _select(
        connection,
        "SELECT id, collection_id, name, brand, notes, price, purchased_on, status, wears_since_wash, archived,"
        " needs_review, corrected, confirmed, multicolour, added_at, trashed_at, source_name, external_id, url,"
        " classifier_version, confidence, width, height FROM items",
    )
    for row in rows:
        item_id, collection_id, name, brand, notes, price, purchased_on, status, wears = row[:9]
        flags = row[9:14]
        added_at, trashed_at, source_name, external_id, url, version, confidence, width, height = row[14:]
        text = (name, brand, notes)
        where = f"item {item_id!r}"
        if not _is_int(item_id, 1) or not _is_int(collection_id, 1):
            yield f"{where}: bad id or collection {_shown(collection_id)}"
        for field, value in zip(
            ("name", "brand", "notes", "file name", "catalogue id", "link"),
            (*text, source_name, external_id, url),
            strict=True,
        ):
            if not _is_text(value, MAX_TEXT, required=False):
                yield f"{where}: its {field} is not text of at most {MAX_TEXT} characters"
        if price is not None and not _is_number(price, 0, MAX_CATALOGUE_PRICE):
            yield f"{where}: price {_shown(price)} is not a number from 0 to {MAX_CATALOGUE_PRICE:,.0f}"
        if not _is_day(purchased_on, required=False):
            yield f"{where}: purchase date {_shown(purchased_on)} is not a date"
        if status not in {s.value for s in ItemStatus}:
            yield f"{where}: unknown status {_shown(status)}"
        if not _is_int(wears, 0, MAX_WEARS_SINCE_WASH):
            yield f"{where}: wears since the wash {_shown(wears)} is not a count"
        if not all(_is_flag(flag) for flag in flags):
            yield f"{where}: a yes/no field holds something else"
        if not _is_time(added_at) or not _is_time(trashed_at, required=False):
            yield f"{where}: its added or trashed time is not a time"
        if not _is_text(version, 100, required=False) or not (confidence is None or _is_number(confidence, 0, 1)):
            yield f"{where}: bad classifier version or confidence {_shown(confidence)}"
        if not all(v is None or _is_int(v, 1, 1_000_000) for v in (width, height)):
            yield f"{where}: bad photo size {_shown((width, height))}"


def _shop_kinds(connection: sqlite3.Connection) -> Problems:
    """A catalogue product's shop kind (migration 0007): one line of text, as catalogue import writes it."""
    for item_id, kind in _select(connection, "SELECT id, shop_kind FROM items WHERE shop_kind IS NOT NULL"):
        if not _is_text(kind, 100) or kind != " ".join(kind.split()) or not kind:
            yield f"item {item_id!r}: its shop kind {_shown(kind)} is not one line of text of at most 100 characters"


def _exploration_marks(connection: sqlite3.Connection) -> Problems:
    """A rating's exploration mark (migration 0008): 0, 1 or none, as the outfit board writes it."""
    for feedback_id, explore in _select(connection, "SELECT id, explore FROM feedback WHERE explore IS NOT NULL"):
        if not _is_flag(explore):
            yield f"rating {feedback_id!r}: its exploration mark {_shown(explore)} is not yes or no"


def _tags(connection: sqlite3.Connection) -> Problems:
    counts: dict[object, int] = {}
    sql = "SELECT t.item_id, t.tag, i.id FROM item_tags AS t LEFT JOIN items AS i ON i.id = t.item_id"
    for item_id, tag, found in _select(connection, sql):
        counts[item_id] = counts.get(item_id, 0) + 1
        if not _is_int(item_id, 1):
            yield f"a tag names item {_shown(item_id)}, which is not an item id"
        elif found is None:  # foreign_key_check misses it when the table was remade without its key
            yield f"a tag points at a missing row of items ({item_id})"
        # Only what makes a tag unsafe to keep: the API's stricter rules (no path-like tags, no control
        # characters) came later, and a closet an earlier version wrote must stay restorable.
        if not _is_text(tag, MAX_STORED_TAG) or not tag.strip():
            yield f"item {item_id!r}: tag {_shown(tag)} is not text of 1 to {MAX_STORED_TAG} characters"
    for item_id, count in counts.items():
        if count > MAX_TAGS:
            yield f"item {item_id!r}: {count} tags; an item holds at most {MAX_TAGS}"


def _dismissals(connection: sqlite3.Connection) -> Problems:
    sql = (
        "SELECT d.item_id, d.dismissed_at, i.collection_id, i.id FROM cleanout_dismissals AS d"
        " LEFT JOIN items AS i ON i.id = d.item_id"
    )
    for item_id, dismissed_at, collection_id, found in _select(connection, sql):
        if not _is_int(item_id, 1):
            yield f"clean-out: {_shown(item_id)} is not an item id"
        elif found is None:
            yield f"clean-out: a dismissal points at a missing row of items ({item_id})"
        if collection_id is not None and collection_id != 1:
            yield f"clean-out: item {item_id!r} kept from clean-out is a catalogue product, not a closet item"
        if not _is_time(dismissed_at):
            yield f"clean-out: item {item_id!r} was kept at {_shown(dismissed_at)}, which is not a time"


def _diary(connection: sqlite3.Connection) -> Problems:
    for entry_id, day, occasion, kind, created_at in _select(
        connection, "SELECT id, day, occasion, kind, created_at FROM wear_entries"
    ):
        where = f"diary entry {entry_id!r}"
        if not _is_int(entry_id, 1) or not _is_day(day) or not _is_time(created_at):
            yield f"{where}: its day {_shown(day)} or creation time is not a date"
        if occasion not in _OCCASIONS:
            yield f"{where}: unknown occasion {_shown(occasion)}"
        if kind not in {k.value for k in EntryKind}:
            yield f"{where}: is neither worn nor planned ({_shown(kind)})"
    sql = (
        "SELECT e.entry_id, e.item_id, e.position, i.collection_id, i.id, w.id FROM wear_entry_items AS e"
        " LEFT JOIN items AS i ON i.id = e.item_id LEFT JOIN wear_entries AS w ON w.id = e.entry_id"
    )
    for entry_id, item_id, position, collection_id, found, entry in _select(connection, sql):
        if not _is_int(entry_id, 1) or not _is_int(item_id, 1):
            yield f"diary entry {entry_id!r}: {_shown(item_id)} is not an item id"
        elif found is None or entry is None:
            yield f"diary entry {entry_id!r}: a line points at a missing row of items or wear_entries"
        if not _is_int(position, 0, 10_000_000):
            yield f"diary entry {entry_id!r}: item {item_id!r} has position {_shown(position)}"
        if collection_id is not None and collection_id != 1:
            yield f"diary entry {entry_id!r}: item {item_id!r} is a catalogue product, not a closet item"


def _laundry_rules(connection: sqlite3.Connection) -> Problems:
    from wardrobe_app.services.diary import MAX_RULE_WEARS

    for category, wears in _select(connection, "SELECT category, wears FROM laundry_rules"):
        if category not in CATEGORY_GROUPS:
            yield f"laundry rule: unknown category {_shown(category)}"
        if not _is_int(wears, 1, MAX_RULE_WEARS):
            yield f"laundry rule for {_shown(category)}: {_shown(wears)} wears is not 1 to {MAX_RULE_WEARS}"


def _outfits(connection: sqlite3.Connection) -> Problems:
    items = {row[0]: row[1] for row in _select(connection, "SELECT id, collection_id FROM items")}
    for outfit_id, key, top, middle, bottom, full, created_at in _select(
        connection, "SELECT id, key, top_id, middle_id, bottom_id, full_id, created_at FROM outfits"
    ):
        where = f"outfit {outfit_id!r}"
        if not isinstance(key, str) or len(key) > 100 or not _OUTFIT_KEY.fullmatch(key):
            yield f"{where}: its key {_shown(key)} is not an outfit key"
            continue
        parts = [int(p) if p else None for p in key.split("|")]
        if parts[:4] != [top, middle, bottom, full]:
            yield f"{where}: its key {_shown(key)} does not name its pieces"
        named = [p for p in parts if p is not None]
        if not named or any(items.get(p) != 1 for p in named):
            yield f"{where}: names an item that is not in the closet"
        if not _is_time(created_at):
            yield f"{where}: its creation time is not a time"


def _feedback(connection: sqlite3.Connection) -> Problems:
    for feedback_id, occasion, rating, source, created_at in _select(
        connection, "SELECT id, occasion, rating, source, created_at FROM feedback"
    ):
        where = f"rating {feedback_id!r}"
        if not _is_int(feedback_id, 1) or occasion not in _OCCASIONS:
            yield f"{where}: unknown occasion {_shown(occasion)}"
        if source not in _FEEDBACK_SOURCES or rating not in _FEEDBACK_SOURCES[source] or not _is_number(rating):
            yield f"{where}: {_shown(source)} with rating {_shown(rating)} is not a like, dislike or wear"
        if not _is_time(created_at):
            yield f"{where}: its time is not a time"


def _colours_and_features(connection: sqlite3.Connection) -> Problems:
    sql = "SELECT item_id, rank, name, hex, hue, saturation, value, share FROM item_colours"
    for item_id, rank, name, hex_code, *numbers in _select(connection, sql):
        ok = _is_int(rank, 0, MAX_COLOURS) and _is_text(name, 40) and isinstance(hex_code, str)
        if not ok or not _HEX.fullmatch(hex_code) or not all(_is_number(n, 0, 360) for n in numbers):
            yield f"item {item_id!r}: a colour is damaged ({_shown(name)}, {_shown(hex_code)})"
    # the vectors' type and length only: a catalogue of 50,000 products holds gigabytes of them
    sql = "SELECT item_id, kind, version, dim, typeof(vector), length(vector) FROM item_features"
    for item_id, kind, version, dim, stored_as, length in _select(connection, sql):
        if not _is_text(kind, 40) or not _is_text(version, 100) or not _is_int(dim, 1, MAX_FEATURE_DIM):
            yield f"item {item_id!r}: a feature vector is damaged ({_shown(kind)}, dim {_shown(dim)})"
        elif stored_as != "blob" or length != 4 * dim:
            yield f"item {item_id!r}: its {kind} vector does not hold {dim} numbers"


def _rankers(connection: sqlite3.Connection) -> Problems:
    sql = "SELECT version, trained_at, n_ratings, last_feedback_id, active, metrics_json FROM ranker_versions"
    for version, trained_at, n_ratings, last_feedback_id, active, metrics in _select(connection, sql):
        where = f"ranker version {version!r}"
        if not _is_int(version, 0) or not _is_int(n_ratings) or not _is_int(last_feedback_id) or not _is_flag(active):
            yield f"{where}: damaged counts"
        if not _is_time(trained_at):
            yield f"{where}: its training time is not a time"
        if metrics is not None:
            try:
                if not _is_text(metrics, 1 << 20) or not isinstance(json.loads(metrics), dict):
                    raise ValueError
            except (ValueError, RecursionError):  # RecursionError: absurdly nested JSON
                yield f"{where}: its metrics are not a JSON object"


_CHECKS: tuple[Callable[[sqlite3.Connection], Problems], ...] = (
    _schema,
    _references,
    _duplicates,
    _collections,
    _items,
    _shop_kinds,
    _tags,
    _dismissals,
    _diary,
    _laundry_rules,
    _outfits,
    _feedback,
    _exploration_marks,
    _colours_and_features,
    _rankers,
)
