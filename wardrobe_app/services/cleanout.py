"""Clean-out: items to donate or sell, each with its reasons; the ones the user keeps are not suggested again."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, CleanoutDismissalRow, ItemRow
from wardrobe_app.domain import Group, Item, ItemInTrashError, ItemNotFoundError, WardrobeError, distinct_labels

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe

#: Default: an item not worn for this many months is a candidate.
UNWORN_MONTHS = 12
#: Most months the setting takes.
MAX_MONTHS = 120
#: An item in fewer good outfits than this share of its slot's median item is "hardly versatile".
LOW_VERSATILITY = 0.25
#: Nearest look-alike of the same category within this distance (0..1) is a near-duplicate. From
#: benchmarks/duplicate_distance.py (80 clothing-small test photos, colour embedding): 95% of re-shots of the
#: same garment fall within 0.08, and 2% of the nearest other garments of the class.
DUPLICATE_DISTANCE = 0.08
#: A candidate needs reasons weighing this much together.
ENOUGH = 1.0

Neighbour = Callable[[int], "tuple[Item, float] | None"]  # item id -> its nearest same-category look-alike


@dataclass(frozen=True)
class Reason:
    kind: str  # unworn | low_versatility | duplicate | never_liked
    text: str
    weight: float
    other_id: int | None = None  # the look-alike a duplicate is compared with (the CLI and --json say its id)


@dataclass(frozen=True)
class CleanoutCandidate:
    item_id: int
    label: str
    reasons: tuple[Reason, ...]

    @property
    def weight(self) -> float:
        return sum(r.weight for r in self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "label": self.label,
            "reasons": [
                {"kind": r.kind, "text": r.text, **({} if r.other_id is None else {"other_id": r.other_id})}
                for r in self.reasons
            ],
        }


def months_ago(today: date, months: int) -> date:
    """The same day ``months`` months before ``today`` (the month's last day when it has fewer)."""
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_MONTHS:
        raise WardrobeError(f"clean-out counts from 1 to {MAX_MONTHS} months without wearing, not {months!r}")
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, 28)


def _unworn(item: Item, last: date | None, since: date, months: int) -> Reason | None:
    added = item.added_at.date() if isinstance(item.added_at, datetime) else item.added_at
    if last is None:
        if added is not None and added > since:
            return None  # new: give it time
        return Reason("unworn", "never worn (nothing in the wear diary)", 1.0)
    if last < since:
        return Reason("unworn", f"not worn in {months} months (last on {last.isoformat()})", 1.0)
    return None


def _low_versatility(items: Sequence[Item], versatility: Mapping[int, int]) -> dict[int, Reason]:
    out: dict[int, Reason] = {}
    for group in (Group.TOP, Group.MIDDLE, Group.FULL, Group.BOTTOM):
        members = [i for i in items if i.group is group]
        if not members:
            continue
        median = statistics.median(versatility.get(i.id, 0) for i in members)
        for item in members:
            n = versatility.get(item.id, 0)
            if n == 0:
                out[item.id] = Reason("low_versatility", "makes no good outfit with the rest of the closet", 1.0)
            elif n < LOW_VERSATILITY * median:
                out[item.id] = Reason(
                    "low_versatility", f"in only {n} good outfits (a typical {group.value} is in {median:g})", 0.5
                )
    return out


def candidates(
    items: Sequence[Item],
    last_worn: Mapping[int, date],
    versatility: Mapping[int, int],
    liked_items: set[int] | None,
    neighbour: Neighbour | None,
    wears: Mapping[int, int],
    dismissed: set[int],
    months: int = UNWORN_MONTHS,
    today: date | None = None,
) -> list[CleanoutCandidate]:
    """The closet's clean-out candidates, strongest reasons first.

    ``liked_items``: items in a liked or worn outfit (None when nothing was rated yet: the reason is
    then left out); ``neighbour``: the nearest same-category look-alike of an item (None: no index).
    Of two near-duplicates only the less worn one is a candidate.
    """
    since = months_ago(today or date.today(), months)
    low = _low_versatility(items, versatility)
    by_id = {i.id: i for i in items}
    titles = distinct_labels(items)  # two look-alikes often share a label: "grey t-shirt, 1st" and "..., 2nd"
    found = []
    for item in items:
        if item.id in dismissed:
            continue
        unworn = _unworn(item, last_worn.get(item.id), since, months) if last_worn else None  # no diary yet
        reasons = [r for r in (unworn, low.get(item.id)) if r]
        twin = neighbour(item.id) if neighbour is not None else None
        if twin is not None and twin[0].id in by_id and twin[1] <= DUPLICATE_DISTANCE:
            other = twin[0]
            if (wears.get(item.id, 0), -item.id) < (wears.get(other.id, 0), -other.id):
                said = f"looks almost the same as “{titles[other.id]}”, which is worn more"
                reasons.append(Reason("duplicate", said, 1.0, other.id))
        if liked_items is not None and item.id not in liked_items and item.group is not Group.ACCESSORY:
            reasons.append(Reason("never_liked", "never part of an outfit you liked or wore", 0.5))
        if sum(r.weight for r in reasons) >= ENOUGH:
            found.append(CleanoutCandidate(item.id, item.label, tuple(sorted(reasons, key=lambda r: -r.weight))))
    return sorted(found, key=lambda c: (-c.weight, c.item_id))


def liked_items(sessions: sessionmaker[Session]) -> set[int] | None:
    """Items of the outfits liked or worn (their latest rating); None when nothing was rated yet."""
    from wardrobe_app.db.tables import FeedbackRow, OutfitRow
    from wardrobe_app.services.outfits import outfit_of_row

    with sessions() as session:
        rows = session.execute(
            select(FeedbackRow.rating, OutfitRow).join(OutfitRow, OutfitRow.id == FeedbackRow.outfit_id)
        ).all()
        if not rows:
            return None
        return {i for rating, outfit in rows if rating >= 0.5 for i in outfit_of_row(outfit).item_ids}


def nearest_twins(search: Any, items: Sequence[Item]) -> dict[int, tuple[int, float]]:
    """Each item's nearest look-alike of the same category and its distance, for the whole closet at once.

    The same distance ``Wardrobe.similar`` gives (1 - cosine of the stored embeddings, in the index of the
    CNN version most items were embedded with); items without stored features have none.
    """
    from sqlalchemy import func

    from wardrobe_app.db.tables import ItemFeatureRow

    with search.sessions() as session:
        version = session.execute(
            select(ItemFeatureRow.version)
            .join(ItemRow, ItemRow.id == ItemFeatureRow.item_id)
            .where(ItemFeatureRow.kind == "cnn", ItemRow.collection_id == CLOSET_COLLECTION_ID)
            .group_by(ItemFeatureRow.version)
            .order_by(func.count().desc())
        ).scalar()
    index = search.index(CLOSET_COLLECTION_ID, version)
    category = {i.id: i.category for i in items if i.category}
    rows = [(n, int(i)) for n, i in enumerate(index.ids) if int(i) in category]
    if len(rows) < 2:
        return {}
    vectors = np.asarray(index.vectors, dtype=np.float64)[[n for n, _ in rows]]
    ids = [i for _, i in rows]
    own = np.einsum("ij,ij->i", vectors, vectors)
    scores = (vectors @ vectors.T) / np.where(own > 1e-12, own, np.inf)[:, None]
    kinds = np.array([category[i] for i in ids])
    scores[(kinds[:, None] != kinds[None, :]) | np.eye(len(ids), dtype=bool)] = -np.inf
    found = {}
    for row, item_id in enumerate(ids):
        best = int(np.argmax(scores[row]))
        if np.isfinite(scores[row, best]) and own[row] > 1e-12:
            found[item_id] = (ids[best], float(max(0.0, 1.0 - scores[row, best])))
    return found


def review_closet(wardrobe: Wardrobe, months: int, today: date | None) -> list[CleanoutCandidate]:
    """What ``Wardrobe.cleanout`` does: gather the diary, versatility, look-alikes and ratings, then judge."""
    months_ago(today or date.today(), months)  # a bad setting fails before any work
    items = wardrobe.items()
    last: dict[int, date] = {}
    wears: dict[int, int] = {}
    for _entry, item_id, day, _occasion in wardrobe._diary().wear_log():
        wears[item_id] = wears.get(item_id, 0) + 1
        last[item_id] = max(day, last.get(item_id, day))
    twins = nearest_twins(wardrobe._similar_search(), items)
    by_id = {i.id: i for i in items}

    def neighbour(item_id: int) -> tuple[Item, float] | None:
        twin = twins.get(item_id)
        return None if twin is None or twin[0] not in by_id else (by_id[twin[0]], twin[1])

    return candidates(
        items,
        last,
        wardrobe.versatility().per_item,
        liked_items(wardrobe.sessions),
        neighbour,
        wears,
        Dismissals(wardrobe.sessions).ids(),
        months,
        today,
    )


class Dismissals:
    """The items the user kept: stored, so clean-out does not suggest them again."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def ids(self) -> set[int]:
        with self.sessions() as session:
            return {int(i) for i in session.scalars(select(CleanoutDismissalRow.item_id))}

    def dismiss(self, item_ids: Iterable[int]) -> tuple[int, ...]:
        """Keep these items (all or, ItemNotFoundError, none)."""
        ids = list(dict.fromkeys(int(i) for i in item_ids))
        if not ids:
            raise WardrobeError("name at least one item to keep")
        for item_id in ids:
            if not -(2**63) <= item_id < 2**63:  # no such row, and SQLite's driver would overflow on it
                raise ItemNotFoundError(item_id)
        with self.sessions.begin() as session:
            rows = session.execute(
                select(ItemRow.id, ItemRow.trashed_at.is_not(None)).where(
                    ItemRow.id.in_(ids), ItemRow.collection_id == CLOSET_COLLECTION_ID
                )
            )
            trashed = {int(item_id): bool(in_trash) for item_id, in_trash in rows}
            for item_id in ids:
                if item_id not in trashed:
                    raise ItemNotFoundError(item_id)
                if trashed[item_id]:
                    raise ItemInTrashError(item_id)
            for item_id in ids:
                if session.get(CleanoutDismissalRow, item_id) is None:
                    session.add(CleanoutDismissalRow(item_id=item_id, dismissed_at=datetime.now()))
        return tuple(ids)
