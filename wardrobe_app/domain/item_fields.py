"""The fields a person sets on an item (name, brand, notes, season, formality, tags, archived, price, date), checked."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from wardrobe_app.domain.errors import WardrobeError

SEASONS: tuple[str, ...] = ("spring", "summer", "autumn", "winter", "all")
FORMALITY_MIN, FORMALITY_MAX = 1, 5
#: Longest name and notes kept (a name shows on one line; notes are a few paragraphs at most).
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 10_000
#: Highest price an item may carry (a typo guard, in the user's own currency).
MAX_PRICE = 1_000_000.0
MAX_BRAND_CHARS = 100
#: Free tags: at most this many per item, each at most MAX_TAG_CHARS, lower case, no commas.
MAX_TAGS = 30
MAX_TAG_CHARS = 40
SETTABLE: tuple[str, ...] = (
    "name",
    "brand",
    "notes",
    "season",
    "formality",
    "tags",
    "archived",
    "price",
    "purchased_on",
)


class InvalidItemFieldError(WardrobeError):
    """A value an item cannot hold (a formality of 99999, the season "banana", an unknown field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_item_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields, normalised (season lower case, text stripped, "" as None); raises InvalidItemFieldError.

    Every field is checked before any is returned, so a caller changes all of them or none.
    """
    unknown = sorted(set(fields) - set(SETTABLE))
    if unknown:
        raise InvalidItemFieldError(unknown[0], f"cannot set {', '.join(unknown)}; settable: {', '.join(SETTABLE)}")
    return {key: _CHECKS[key](value) for key, value in fields.items()}


def check_season(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().lower() not in SEASONS:
        raise InvalidItemFieldError("season", f"season {_shown(value)} is not one of: {', '.join(SEASONS)}")
    return value.strip().lower()


def check_formality(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not FORMALITY_MIN <= value <= FORMALITY_MAX:
        raise InvalidItemFieldError(
            "formality",
            f"formality {_shown(value)} must be a whole number from {FORMALITY_MIN} (casual) "
            f"to {FORMALITY_MAX} (formal)",
        )
    return int(value)


def _text(field: str, limit: int, one_line: bool = False) -> Any:
    def check(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidItemFieldError(field, f"{field} must be text, not {type(value).__name__}")
        if "\x00" in value:
            raise InvalidItemFieldError(field, f"{field} cannot hold a NUL character")
        _check_characters(field, value, one_line)
        value = value.strip()
        if len(value) > limit:
            raise InvalidItemFieldError(field, f"{field} is {len(value)} characters long; at most {limit}")
        return value or None

    return check


def _check_characters(field: str, value: str, one_line: bool) -> None:
    """Refuse text the database cannot store (lone surrogates) and, on one line, control characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidItemFieldError(field, f"{field} holds characters that are not valid text") from None
    if one_line and any(unicodedata.category(c) == "Cc" for c in value):
        raise InvalidItemFieldError(field, f"{field} cannot hold control characters (a line break, an escape)")


def _archived(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidItemFieldError("archived", f"archived must be True or False, not {_shown(value)}")
    return value


def check_price(value: Any) -> float | None:
    if value is None:
        return None
    try:
        price = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        price = math.nan
    if isinstance(value, bool) or not 0 <= price <= MAX_PRICE:
        raise InvalidItemFieldError("price", f"price {_shown(value)} must be a number from 0 to {MAX_PRICE:,.0f}")
    return round(price, 2)


def check_purchased_on(value: Any) -> date | None:
    from wardrobe_app.domain.diary import InvalidDateError, parse_day

    if value is None:
        return None
    try:
        day = parse_day(value)
    except InvalidDateError as exc:
        raise InvalidItemFieldError("purchased_on", f"purchase date: {exc}") from None
    if day > date.today():
        raise InvalidItemFieldError("purchased_on", f"purchase date {day.isoformat()} is in the future")
    return day


def check_tags(value: Any) -> tuple[str, ...]:
    """Free tags as a sorted tuple of distinct lower-case words; a string is split at commas."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple | set | frozenset):
        raise InvalidItemFieldError("tags", f"tags must be a list of words, not {type(value).__name__}")
    tags: set[str] = set()
    for tag in value:
        if not isinstance(tag, str):
            raise InvalidItemFieldError("tags", f"tag {_shown(tag)} is not text")
        _check_characters("tags", tag, one_line=False)  # whitespace (newlines too) joins into single spaces
        tag = " ".join(tag.split()).lower()
        _check_characters("tags", tag, one_line=True)
        if not tag:
            continue
        if "\x00" in tag or "," in tag:
            raise InvalidItemFieldError("tags", f"tag {_shown(tag)} cannot hold a comma or a NUL character")
        if _looks_like_a_path(tag):
            raise InvalidItemFieldError("tags", f"tag {_shown(tag)} looks like a file path; tags are a word or two")
        if len(tag) > MAX_TAG_CHARS:
            raise InvalidItemFieldError(
                "tags", f"tag {_shown(tag)} is {len(tag)} characters long; at most {MAX_TAG_CHARS}"
            )
        tags.add(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidItemFieldError("tags", f"{len(tags)} tags; an item holds at most {MAX_TAGS}")
    return tuple(sorted(tags))


def _looks_like_a_path(tag: str) -> bool:
    """``/etc/passwd``, ``~/x``, ``../..``, ``c:\\x``: never a tag ("black/white" is one)."""
    return tag.startswith(("/", "~")) or "\\" in tag or ".." in tag.split("/") or tag[1:3] == ":/"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_CHECKS = {
    "name": _text("name", MAX_NAME_CHARS),
    "brand": _text("brand", MAX_BRAND_CHARS, one_line=True),
    "tags": check_tags,
    "notes": _text("notes", MAX_NOTES_CHARS),
    "season": check_season,
    "formality": check_formality,
    "archived": _archived,
    "price": check_price,
    "purchased_on": check_purchased_on,
}
