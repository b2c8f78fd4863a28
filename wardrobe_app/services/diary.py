"""The wear diary and planner, item status (laundry, lent, repair) and the per-category laundry rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from wardrobe_app.db.tables import (
    CLOSET_COLLECTION_ID,
    FeedbackRow,
    ItemRow,
    LaundryRuleRow,
    WearEntryItemRow,
    WearEntryRow,
)
from wardrobe_app.domain import (
    CannotMakeOutfitError,
    Group,
    ItemNotFoundError,
    Outfit,
    WardrobeError,
    normalise_category,
)
from wardrobe_app.domain.diary import (
    DiaryChange,
    EntryKind,
    EntryNotFoundError,
    InvalidDateError,
    ItemStatus,
    ItemUnavailableError,
    WearEntry,
    parse_day,
    parse_occasion,
    parse_status,
)

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe

#: A plan avoids the outfits worn or planned this many days before and after its day (when it can).
PLAN_VARIETY_DAYS = 3
#: Suggestions a plan chooses from.
PLAN_CHOICES = 5
#: Most wears a laundry rule may wait for (a rule is "after N wears it goes to the laundry").
MAX_RULE_WEARS = 100


def entry_from_row(row: WearEntryRow) -> WearEntry:
    return WearEntry(
        id=row.id,
        day=row.day,
        occasion=row.occasion,
        item_ids=tuple(link.item_id for link in row.items),
        kind=EntryKind(row.kind),
    )


class Diary:
    """Reads and writes the diary tables; each unit of work opens its own Session (callers hold the lock)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    # -- checks ----------------------------------------------------------------------------------
    @staticmethod
    def _closet_rows(session: Session, item_ids: Iterable[int]) -> list[ItemRow]:
        """The closet rows of ``item_ids`` in that order; ItemNotFoundError for the first unknown id."""
        ids = list(dict.fromkeys(int(i) for i in item_ids))
        if not ids:
            raise WardrobeError("name at least one item")
        rows = {
            r.id: r
            for r in session.scalars(
                select(ItemRow).where(
                    ItemRow.id.in_(ids), ItemRow.collection_id == CLOSET_COLLECTION_ID, ItemRow.trashed_at.is_(None)
                )
            )
        }
        for item_id in ids:
            if item_id not in rows:
                raise ItemNotFoundError(item_id)
        return [rows[i] for i in ids]

    def _entry_row(self, session: Session, entry_id: int) -> WearEntryRow:
        row = session.get(WearEntryRow, entry_id)
        if row is None:
            raise EntryNotFoundError(entry_id)
        return row

    # -- writing the diary -------------------------------------------------------------------------
    def record(
        self, item_ids: Sequence[int], day: date | str, occasion: str, kind: EntryKind = EntryKind.WORN
    ) -> DiaryChange:
        """Write an entry. Wearing the items a plan of that day holds turns the plan into the worn entry."""
        day, occasion = parse_day(day), parse_occasion(occasion)
        with self.sessions.begin() as session:
            rows = self._closet_rows(session, item_ids)
            wanted = {r.id for r in rows}
            plan = None
            if kind is EntryKind.WORN:
                plans = session.scalars(
                    select(WearEntryRow)
                    .options(selectinload(WearEntryRow.items))
                    .where(WearEntryRow.day == day, WearEntryRow.kind == EntryKind.PLANNED.value)
                )
                plan = next((p for p in plans if {link.item_id for link in p.items} == wanted), None)
            if plan is not None:
                plan.kind, plan.occasion = EntryKind.WORN.value, occasion
                entry = plan
            else:
                entry = WearEntryRow(day=day, occasion=occasion, kind=kind.value, created_at=datetime.now())
                entry.items = [WearEntryItemRow(item_id=r.id, position=n) for n, r in enumerate(rows)]
                session.add(entry)
            before = tuple((r.id, r.wears_since_wash or 0) for r in rows)
            laundry = self._count_wears(session, rows) if kind is EntryKind.WORN else ()
            session.flush()
            return DiaryChange(
                entry_from_row(entry),
                from_plan=plan is not None,
                to_laundry=laundry,
                wears_before=before if kind is EntryKind.WORN else (),
            )

    def wear_planned(self, entry_id: int) -> DiaryChange:
        """A planned entry was worn (on its day): it becomes a worn entry."""
        with self.sessions.begin() as session:
            entry = self._entry_row(session, entry_id)
            if entry.kind != EntryKind.PLANNED.value:
                raise WardrobeError(f"diary entry {entry_id} is already a worn outfit")
            entry.kind = EntryKind.WORN.value
            rows = self._closet_rows(session, [link.item_id for link in entry.items]) if entry.items else []
            before = tuple((r.id, r.wears_since_wash or 0) for r in rows)
            laundry = self._count_wears(session, rows)
            session.flush()
            return DiaryChange(entry_from_row(entry), from_plan=True, to_laundry=laundry, wears_before=before)

    def _count_wears(self, session: Session, rows: Sequence[ItemRow]) -> tuple[int, ...]:
        """One more wear for each item; those whose category's rule says so go to the laundry."""
        rules = {c: w for c, w in session.execute(select(LaundryRuleRow.category, LaundryRuleRow.wears))}
        washed = []
        for row in rows:
            row.wears_since_wash = (row.wears_since_wash or 0) + 1
            limit = rules.get(row.category or "")
            if limit is not None and row.wears_since_wash >= limit and row.status == ItemStatus.AVAILABLE.value:
                row.status, row.wears_since_wash = ItemStatus.LAUNDRY.value, 0
                washed.append(row.id)
        return tuple(washed)

    def take_back(self, worn: DiaryChange, feedback_ids: Sequence[int]) -> tuple[int, ...]:
        """Undo a wear in one transaction: its ratings, its entry (if still there) and the wears it counted.

        Items it sent to the laundry (and still there, unwashed) come back with the wears they had before;
        the others count one wear less. Returns the items whose status came back.
        """
        if worn.from_plan:
            raise WardrobeError("a plan that was worn stays in the diary; delete its entry on the calendar")
        with self.sessions.begin() as session:
            for feedback_id in feedback_ids:
                rating = session.get(FeedbackRow, feedback_id)
                if rating is None:
                    raise WardrobeError(f"there is no rating {feedback_id} to undo")
                session.delete(rating)
            entry = session.get(WearEntryRow, worn.entry.id)
            if entry is not None:  # already deleted (on the calendar, say): the wears are still taken back
                session.delete(entry)
            before, back = dict(worn.wears_before), []
            for row in session.scalars(select(ItemRow).where(ItemRow.id.in_(worn.entry.item_ids))):
                if row.id not in worn.to_laundry:
                    row.wears_since_wash = max(0, (row.wears_since_wash or 0) - 1)
                elif row.status == ItemStatus.LAUNDRY.value and not row.wears_since_wash:
                    row.status, row.wears_since_wash = ItemStatus.AVAILABLE.value, before.get(row.id, 0)
                    back.append(row.id)
            return tuple(back)

    def move(self, entry_id: int, day: date | str) -> WearEntry:
        day = parse_day(day)
        with self.sessions.begin() as session:
            entry = self._entry_row(session, entry_id)
            entry.day = day
            session.flush()
            return entry_from_row(entry)

    def delete(self, entry_id: int) -> None:
        with self.sessions.begin() as session:
            session.delete(self._entry_row(session, entry_id))

    # -- reading the diary -------------------------------------------------------------------------
    def entries(
        self, start: date | str | None = None, end: date | str | None = None, kind: EntryKind | None = None
    ) -> list[WearEntry]:
        """Entries from ``start`` to ``end`` (both included, either open), by date then as written."""
        query = (
            select(WearEntryRow).options(selectinload(WearEntryRow.items)).order_by(WearEntryRow.day, WearEntryRow.id)
        )
        if start is not None:
            query = query.where(WearEntryRow.day >= parse_day(start))
        if end is not None:
            query = query.where(WearEntryRow.day <= parse_day(end))
        if kind is not None:
            query = query.where(WearEntryRow.kind == kind.value)
        with self.sessions() as session:
            return [entry_from_row(row) for row in session.scalars(query)]

    def entry(self, entry_id: int) -> WearEntry:
        with self.sessions() as session:
            row = session.get(WearEntryRow, entry_id)
            if row is None:
                raise EntryNotFoundError(entry_id)
            return entry_from_row(row)

    def wear_log(self) -> list[tuple[int, int, date, str]]:
        """(entry id, item id, day, occasion) for the items of every worn entry: what the statistics count."""
        query = (
            select(WearEntryRow.id, WearEntryItemRow.item_id, WearEntryRow.day, WearEntryRow.occasion)
            .join(WearEntryRow, WearEntryRow.id == WearEntryItemRow.entry_id)
            .where(WearEntryRow.kind == EntryKind.WORN.value)
        )
        with self.sessions() as session:
            return [(int(e), int(i), d, o) for e, i, d, o in session.execute(query)]

    # -- status and laundry rules ------------------------------------------------------------------
    def set_status(self, item_ids: Sequence[int], status: ItemStatus | str) -> tuple[int, ...]:
        """Set every item's status, all or none; back from the laundry counts wears afresh."""
        status = parse_status(status)
        with self.sessions.begin() as session:
            rows = self._closet_rows(session, item_ids)
            for row in rows:
                if status is ItemStatus.LAUNDRY or row.status == ItemStatus.LAUNDRY.value:
                    row.wears_since_wash = 0
                row.status = status.value
            return tuple(r.id for r in rows)

    def unavailable(self, item_ids: Iterable[int]) -> dict[int, ItemStatus]:
        """Those of ``item_ids`` that cannot be worn now, with why."""
        ids = list(item_ids)
        with self.sessions() as session:
            found = session.execute(
                select(ItemRow.id, ItemRow.status).where(
                    ItemRow.id.in_(ids), ItemRow.status != ItemStatus.AVAILABLE.value
                )
            )
            return {int(i): ItemStatus(s) for i, s in found}

    def laundry_rules(self) -> dict[str, int]:
        with self.sessions() as session:
            query = select(LaundryRuleRow.category, LaundryRuleRow.wears).order_by(LaundryRuleRow.category)
            return {c: int(w) for c, w in session.execute(query)}

    def set_laundry_rule(self, category: str, wears: int | None) -> None:
        """After ``wears`` wears an item of ``category`` goes to the laundry; None removes the rule."""
        category = normalise_category(category)
        if wears is not None and (isinstance(wears, bool) or not 1 <= int(wears) <= MAX_RULE_WEARS):
            raise WardrobeError(f"a laundry rule counts from 1 to {MAX_RULE_WEARS} wears, not {wears!r}")
        with self.sessions.begin() as session:
            row = session.get(LaundryRuleRow, category)
            if wears is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(LaundryRuleRow(category=category, wears=int(wears)))
            else:
                row.wears = int(wears)


# -- what the facade's diary methods do (they hold the closet's writer lock) ---------------------------
def check_available(diary: Diary, item_ids: Iterable[int | None]) -> None:
    """ItemUnavailableError when any of ``item_ids`` is in the laundry, lent out or in repair."""
    unavailable = diary.unavailable(i for i in item_ids if i is not None)
    if unavailable:
        raise ItemUnavailableError(unavailable)


def _outfit_of(wardrobe: Wardrobe, item_ids: Sequence[int]) -> Outfit:
    """The outfit the ids make (accessories aside); ItemNotFoundError, CannotMakeOutfitError."""
    closet = {i.id: i for i in wardrobe.items(include_archived=True)}
    for item_id in item_ids:
        if item_id not in closet:
            raise ItemNotFoundError(item_id)
    return wardrobe.outfit(i for i in item_ids if closet[i].group is not Group.ACCESSORY)


def wear(
    wardrobe: Wardrobe, diary: Diary, item_ids: Sequence[int], occasion: str, day: date | str | None
) -> DiaryChange:
    """Check everything, then write the diary entry and rate the outfit "wore"."""
    day = date.today() if day is None else parse_day(day)
    if day > date.today():
        raise InvalidDateError(f"{day.isoformat()} is in the future; plan it with: wardrobe plan {day.isoformat()}")
    occasion = parse_occasion(occasion)
    outfit = _outfit_of(wardrobe, item_ids)
    change = diary.record(item_ids, day, occasion, EntryKind.WORN)
    return replace(change, rating=wardrobe.wore(outfit, occasion))


def wear_plan(wardrobe: Wardrobe, diary: Diary, entry_id: int) -> DiaryChange:
    """A planned entry was worn: it becomes a worn entry, and its outfit is rated "wore"."""
    planned = diary.entry(entry_id)
    outfit = _outfit_of(wardrobe, planned.item_ids) if planned.item_ids else None
    change = diary.wear_planned(entry_id)
    return change if outfit is None else replace(change, rating=wardrobe.wore(outfit, planned.occasion))


def plan(
    wardrobe: Wardrobe,
    diary: Diary,
    day: date | str,
    occasion: str,
    with_item: int | None,
    item_ids: Sequence[int] | None,
) -> DiaryChange:
    """Plan a day (today or later) with the given items, or with the best suggestion for the occasion.

    Among the best suggestions it takes the first whose items were not worn or planned together
    within PLAN_VARIETY_DAYS of the day (the best one if all were).
    """
    day, occasion = parse_day(day), parse_occasion(occasion)
    if day < date.today():
        raise InvalidDateError(
            f"{day.isoformat()} is past; log what was worn with: wardrobe wore ID... --date {day.isoformat()}"
        )
    chosen: Outfit | None = None
    if item_ids is not None:
        _outfit_of(wardrobe, item_ids)
        check_available(diary, item_ids)
        ids = list(item_ids)
    else:
        outfits = wardrobe.suggest(occasion, k=PLAN_CHOICES, with_item=with_item)
        if not outfits:  # every good outfit is resting (worn or liked lately): better one of them than none
            outfits = wardrobe.suggest(occasion, k=PLAN_CHOICES, with_item=with_item, include_resting=True)
        if not outfits:
            lacking = wardrobe.suggestions(occasion, k=1, with_item=with_item).missing
            raise CannotMakeOutfitError(
                f"no outfit for {occasion} is good enough to plan"
                + (f": {'; '.join(lacking)}" if lacking else "")
                + ". Pick the pieces yourself (plan with item ids)"
            )
        near = {
            frozenset(e.item_ids)
            for e in diary.entries(_days_from(day, -PLAN_VARIETY_DAYS), _days_from(day, PLAN_VARIETY_DAYS))
        }
        chosen = next((o for o in outfits if frozenset(o.item_ids) not in near), outfits[0])
        ids = list(chosen.item_ids)
    change = diary.record(ids, day, occasion, EntryKind.PLANNED)
    return DiaryChange(change.entry, outfit=chosen)


def _days_from(day: date, days: int) -> date:
    """``day`` moved by ``days``, held within the calendar (planning 9999-12-31 overflowed)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
