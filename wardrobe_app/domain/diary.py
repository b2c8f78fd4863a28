"""The wear diary's words: item statuses, diary entries and the errors of bad dates, statuses and entries."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from wardrobe_app.domain.errors import UnknownOccasionError, WardrobeError
from wardrobe_app.domain.types import Change, Occasion, Outfit


class ItemStatus(enum.StrEnum):
    """Whether an item can be worn now: only available items go into suggestions and plans."""

    AVAILABLE = "available"
    LAUNDRY = "laundry"
    LENT = "lent"
    REPAIR = "repair"

    @property
    def phrase(self) -> str:
        """How a sentence says it: "in the laundry", "lent out", "in repair"."""
        return _PHRASES[self]


_PHRASES = {
    ItemStatus.AVAILABLE: "available",
    ItemStatus.LAUNDRY: "in the laundry",
    ItemStatus.LENT: "lent out",
    ItemStatus.REPAIR: "waiting for repair",
}


class EntryKind(enum.StrEnum):
    """A diary entry is an outfit worn that day, or one planned for it."""

    WORN = "worn"
    PLANNED = "planned"


@dataclass(frozen=True)
class WearEntry:
    """One day's outfit in the diary: its items (by id), the occasion, worn or planned."""

    id: int
    day: date
    occasion: str
    item_ids: tuple[int, ...]
    kind: EntryKind

    @property
    def planned(self) -> bool:
        return self.kind is EntryKind.PLANNED

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "date": self.day.isoformat(),
            "occasion": self.occasion,
            "items": list(self.item_ids),
            "kind": self.kind.value,
        }


class InvalidDateError(WardrobeError):
    """A date that is not a calendar date in the form YYYY-MM-DD (or not allowed here)."""


class UnknownStatusError(WardrobeError):
    """A status word that is not one of available, laundry, lent, repair."""

    def __init__(self, status: str) -> None:
        super().__init__(f"unknown status {status!r}; an item is one of: {', '.join(s.value for s in ItemStatus)}")
        self.status = status


class EntryNotFoundError(WardrobeError):
    """No diary entry with that id."""

    def __init__(self, entry_id: int) -> None:
        super().__init__(f"there is no diary entry {entry_id}")
        self.entry_id = entry_id


def parse_day(text: str | date) -> date:
    """A YYYY-MM-DD date (or a date, unchanged); InvalidDateError otherwise."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidDateError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14") from None


def parse_status(text: str | ItemStatus) -> ItemStatus:
    """The status named by ``text`` (any case); UnknownStatusError otherwise."""
    try:
        return ItemStatus(str(text).strip().lower())
    except ValueError:
        raise UnknownStatusError(str(text)) from None


def parse_occasion(text: str) -> str:
    """The canonical occasion name; UnknownOccasionError listing the known ones."""
    key = str(text).strip().lower()
    if key not in {o.value for o in Occasion}:
        raise UnknownOccasionError(str(text), [o.value for o in Occasion])
    return key


@dataclass(frozen=True)
class DiaryChange:
    """What writing the diary changed: the entry, whether it was a plan now worn, items sent to the laundry."""

    entry: WearEntry
    from_plan: bool = False
    to_laundry: tuple[int, ...] = ()
    outfit: Outfit | None = None  # the suggestion a plan was made from
    rating: Change | None = None  # what the "wore" rating of the outfit changed (a ranker retrain, say)
    wears_before: tuple[tuple[int, int], ...] = ()  # (item, wears since its wash) before this wear: what undo restores

    @property
    def change(self) -> Change:
        """All of it as one Change: the entry, items sent to the laundry, the rating and what it retrained."""
        outfits = (self.outfit.item_ids,) if self.outfit is not None else ()
        own = Change(updated=self.to_laundry, diary=(self.entry.id,), outfits=outfits)
        return own | self.rating if self.rating is not None else own


class ItemUnavailableError(WardrobeError):
    """An item in the laundry, lent out or in repair was asked for in a suggestion or a plan."""

    def __init__(self, unavailable: dict[int, ItemStatus]) -> None:
        said = "; ".join(f"item {i} is {s.phrase}" for i, s in sorted(unavailable.items()))
        ids = " ".join(str(i) for i in sorted(unavailable))
        super().__init__(
            f"{said}: it is left out of suggestions and plans until it is back (wardrobe status {ids} available)"
        )
        self.unavailable = unavailable
