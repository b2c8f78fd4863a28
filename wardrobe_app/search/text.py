"""Closet text search: every typed word must match an item's words, directly or through a synonym.

The synonyms are a small data table (``assets/search_synonyms.csv``): "jeans" also finds denim,
"tee" finds t-shirts, "sneakers" finds trainers. Matching is case-insensitive and inside words
("red" finds "dark red"); a plural also tries its singular ("shirts" finds a shirt). A synonym written
"a+b" needs both words in the item ("denim+pants": pants with a denim colour or name).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from pathlib import Path

from wardrobe_app.domain import Item
from wardrobe_app.resources import shipped_dir

SYNONYMS_CSV = shipped_dir("assets") / "search_synonyms.csv"


@functools.cache
def synonyms(path: Path = SYNONYMS_CSV) -> dict[str, tuple[str, ...]]:
    """Word -> the other words it also finds, from the CSV (``term,finds`` with ``|`` between alternatives)."""
    table: dict[str, tuple[str, ...]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            term = _norm(row.get("term") or "")
            finds = tuple(w for w in (_norm(x) for x in (row.get("finds") or "").split("|")) if w and w != term)
            finds = tuple(w.replace(" + ", "+") for w in finds)
            if term and finds:
                table[term] = tuple(dict.fromkeys(table.get(term, ()) + finds))
    return table


def haystack(item: Item) -> str:
    """The words of an item the search looks in: name, label, category, brand, colours, tags, notes, file name."""
    parts = [item.label, item.category or "", item.name or "", item.brand or "", item.notes or ""]
    parts += [item.source_name or "", item.season or "", *item.tags, *(c.name for c in item.colours)]
    return " ".join(parts).lower()


def query_words(text: str) -> list[str]:
    return [w for w in (_norm(word) for word in text.split()) if w]


def alternatives(word: str, table: Mapping[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """``word`` and what it also finds (its synonyms, and its singular's)."""
    table = synonyms() if table is None else table
    forms = [word]
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])
    found: list[str] = list(forms)
    for form in forms:
        found += table.get(form, ())
    return tuple(dict.fromkeys(found))


def matches_query(item: Item, text: str, table: Mapping[str, tuple[str, ...]] | None = None) -> bool:
    """Whether every word of ``text`` (or one of its synonyms) is found in the item; an empty query matches."""
    words = query_words(text)
    if not words:
        return True
    hay = haystack(item)
    return all(any(_found(alt, hay) for alt in alternatives(word, table)) for word in words)


def _found(alternative: str, hay: str) -> bool:
    return all(part in hay for part in alternative.split("+") if part)


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().split())
