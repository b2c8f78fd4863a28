"""Frozen dataclasses and enums for items, colours, outfits, occasions and feedback."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from wardrobe_app.domain.category_names import category_name

_T = TypeVar("_T")


def _union(a: tuple[_T, ...], b: tuple[_T, ...]) -> tuple[_T, ...]:
    """``a`` then what ``b`` adds, in order."""
    return a + tuple(x for x in b if x not in a)


class Group(enum.StrEnum):
    """Where a garment goes in an outfit."""

    TOP = "top"
    MIDDLE = "middle"  # bottoms: pants, shorts, skirts
    BOTTOM = "bottom"  # shoes
    FULL = "full"  # dress: stands for top + middle
    ACCESSORY = "accessory"


class Occasion(enum.StrEnum):
    """What the outfit is for."""

    CASUAL = "casual"
    WORK = "work"
    FORMAL = "formal"
    PARTY = "party"
    DATE = "date"
    SPORT = "sport"


@dataclass(frozen=True)
class Colour:
    """One dominant colour of a garment.

    ``hsv`` is (hue in degrees 0-360, saturation 0-1, value 0-1); ``share`` is the
    fraction of garment pixels (0-1) that belong to this colour.
    """

    name: str
    hex: str
    hsv: tuple[float, float, float]
    share: float


@dataclass(frozen=True)
class Item:
    """A garment in the closet (or in a shop catalogue)."""

    id: int
    photo_path: str  # absolute path of the stored original photo
    cutout_path: str | None  # RGBA PNG, background transparent
    thumb_path: str | None
    mask_path: str | None
    content_hash: str
    category: str | None
    group: Group | None
    confidence: float | None = None
    classifier_version: str | None = None
    needs_review: bool = False
    corrected: bool = False
    confirmed: bool = False  # the user accepted the classifier's guess
    colours: tuple[Colour, ...] = ()
    multicolour: bool = False
    name: str | None = None
    notes: str | None = None
    season: str | None = None
    formality: int | None = None
    added_at: datetime | None = None
    archived: bool = False
    source_name: str | None = None  # original file name when imported
    collection: str = "closet"  # "closet" or a catalogue name
    external_id: str | None = None  # catalogue products only: the shop's id, price and page
    price: float | None = None
    url: str | None = None
    status: str = "available"  # an ItemStatus value: only available items go into suggestions and plans
    purchased_on: date | None = None
    brand: str | None = None
    tags: tuple[str, ...] = ()  # free tags, lower case, sorted
    trashed_at: datetime | None = None  # in the trash since (restorable until the trash is emptied)
    shop_kind: str | None = None  # catalogue products only: what the shop's CSV says the product is

    @property
    def dominant_colour(self) -> Colour | None:
        return self.colours[0] if self.colours else None

    @property
    def label(self) -> str:
        """A short human description: name, or colour + category as people say it ("grey outerwear")."""
        if self.name:
            return self.name
        dominant = self.dominant_colour
        colour = dominant.name if dominant is not None else ""
        return f"{colour} {category_name(self.category)}".strip()

    @property
    def title(self) -> str:
        """The label as a heading: the user's name as typed, else "Grey outerwear" (capitalised)."""
        label = self.label
        return label if self.name else label[:1].upper() + label[1:]

    @property
    def user_labelled(self) -> bool:
        """Whether the category is the user's word (corrected or confirmed): never changed by a classifier."""
        return self.corrected or self.confirmed

    @property
    def to_review(self) -> bool:
        """Whether the item waits in the review queue: flagged by the classifier, not yet checked."""
        return self.needs_review and not self.user_labelled and self.category is not None


@dataclass(frozen=True)
class Outfit:
    """One suggested outfit: item ids per slot, a score in [0, 1] and its reasons.

    ``top`` is the base top, ``layer`` an optional outer layer worn over the top or dress, ``bottom``
    the shoes, ``accessory`` an optional hat, bag, belt or scarf.
    """

    top: int | None
    middle: int | None
    bottom: int | None
    full: int | None = None
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    occasion: str | None = None
    layer: int | None = None
    accessory: int | None = None
    #: The board's exploration card: an outfit from below the quality floor, shown so ratings teach the app
    explore: bool = False

    @property
    def item_ids(self) -> tuple[int, ...]:
        return tuple(
            i for i in (self.layer, self.top, self.full, self.middle, self.bottom, self.accessory) if i is not None
        )

    def to_json(self) -> dict[str, object]:
        return {
            "top": self.top,
            "middle": self.middle,
            "bottom": self.bottom,
            "full": self.full,
            "layer": self.layer,
            "accessory": self.accessory,
            "score": round(float(self.score), 4),
            "reasons": list(self.reasons),
            "explore": self.explore,
        }


@dataclass(frozen=True)
class Suggestions:
    """A board of outfits, best first, and what the closet lacks when fewer than asked were good enough."""

    outfits: tuple[Outfit, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """One rating of an outfit: a like (1.0), a dislike (0.0) or 'wore it'."""

    id: int
    outfit: Outfit
    occasion: str
    rating: float
    source: str  # "like", "dislike", "wore"
    created_at: datetime


@dataclass(frozen=True)
class AddResult:
    """What happened to one file of an import batch."""

    path: str
    item: Item | None = None
    error: str | None = None
    duplicate_of: int | None = None

    @property
    def ok(self) -> bool:
        return self.item is not None


@dataclass(frozen=True)
class Change:
    """What a mutation changed, so a front end knows what to refresh (``notes`` are for people, not code)."""

    added: tuple[int, ...] = ()  # closet item ids
    updated: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    outfits: tuple[tuple[int, ...], ...] = ()  # item ids of the outfits rated or planned
    feedback: tuple[int, ...] = ()  # ratings recorded
    undone: tuple[int, ...] = ()  # ratings taken back
    ranker_version: int | None = None  # the ranker retrained (or was reset) to this version
    catalogues: tuple[str, ...] = ()  # catalogues imported into or removed
    diary: tuple[int, ...] = ()  # diary entries written, moved or deleted
    restored: bool = False  # the whole closet was replaced (a restore, a repair): reread everything
    replaced: bool = False  # a backup was restored: a new closet, trash and all (a repair keeps the trash)

    @property
    def items_changed(self) -> bool:
        """Whether closet items were added, changed or removed (the closet grid reloads)."""
        return bool(self.added or self.updated or self.removed or self.restored)

    @property
    def empty(self) -> bool:
        return self == Change()

    def __or__(self, other: Change) -> Change:
        """Both changes (a rating that retrained the ranker and wrote the diary, say)."""
        both = _union
        return Change(
            added=both(self.added, other.added),
            updated=both(self.updated, other.updated),
            removed=both(self.removed, other.removed),
            notes=both(self.notes, other.notes),
            outfits=both(self.outfits, other.outfits),
            feedback=both(self.feedback, other.feedback),
            undone=both(self.undone, other.undone),
            ranker_version=other.ranker_version if other.ranker_version is not None else self.ranker_version,
            catalogues=both(self.catalogues, other.catalogues),
            diary=both(self.diary, other.diary),
            restored=self.restored or other.restored,
            replaced=self.replaced or other.replaced,
        )

    @classmethod
    def of(cls, result: object) -> Change:
        """The Change a facade call's result stands for: a Change as it is, an item edited, photos added,
        or a report that carries its own ``change`` (a diary write, a reclassify run, a repair)."""
        if isinstance(result, Change):
            return result
        carried = getattr(result, "change", None)
        if isinstance(carried, Change):
            return carried
        if isinstance(result, Item):
            return cls(updated=(result.id,))
        if isinstance(result, list | tuple) and all(isinstance(r, AddResult) for r in result):
            return cls(added=tuple(r.item.id for r in result if r.item is not None))
        return cls()
