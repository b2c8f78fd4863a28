"""The closet's own items: read, count, correct, edit and remove them (the SQL the facade forwards to)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, CollectionRow, ItemRow
from wardrobe_app.domain import Group, Item, ItemInTrashError, ItemNotFoundError, group_of, normalise_category

if TYPE_CHECKING:
    from wardrobe_app.domain.diary import ItemStatus


class ClosetItems:
    """Closet items by id, group, category or status; the user's corrections and edits (removal: services/trash.py).

    Writes here take no lock: the facade's ``@writes`` methods hold it. ``learn`` runs after a correction
    (the personal layer re-scores the items the user has not checked).
    """

    def __init__(
        self, sessions: sessionmaker[Session], data_dir: Path, files: PhotoFiles, learn: Callable[[], object]
    ) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self.files = files
        self.learn = learn

    # -- reading -------------------------------------------------------------------------------
    def items(
        self,
        group: Group | str | None = None,
        *,
        category: str | None = None,
        include_archived: bool = False,
        status: ItemStatus | str | None = None,
        after: int | None = None,
    ) -> list[Item]:
        query = (
            select(ItemRow)
            .options(selectinload(ItemRow.colours))
            .where(ItemRow.collection_id == CLOSET_COLLECTION_ID, ItemRow.trashed_at.is_(None))
            .order_by(ItemRow.id)
        )
        if group is not None:
            query = query.where(ItemRow.group == Group(group).value)
        if category is not None:
            query = query.where(ItemRow.category == normalise_category(category))
        if not include_archived:
            query = query.where(ItemRow.archived.is_(False))
        if after is not None:
            query = query.where(ItemRow.id > after)
        if status is not None:
            from wardrobe_app.domain.diary import parse_status

            query = query.where(ItemRow.status == parse_status(status).value)
        with self.sessions() as session:
            return [item_from_row(row, self.data_dir) for row in session.scalars(query)]

    def newest_item_id(self) -> int:
        query = select(func.max(ItemRow.id)).where(ItemRow.collection_id == CLOSET_COLLECTION_ID)
        with self.sessions() as session:
            return int(session.scalar(query) or 0)

    def item(self, item_id: int) -> Item:
        with self.sessions() as session:
            return item_from_row(self.row(session, item_id), self.data_dir)

    def find(self, item_id: int) -> Item:
        with self.sessions() as session:
            row = session.get(ItemRow, item_id)
            if row is None:
                raise ItemNotFoundError(item_id)
            collection = session.get(CollectionRow, row.collection_id)
            name = collection.name if collection is not None and row.collection_id != CLOSET_COLLECTION_ID else "closet"
            return item_from_row(row, self.data_dir, name)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {g.value: 0 for g in Group}
        counts["unclassified"] = 0
        query = (
            select(ItemRow.group, func.count(ItemRow.id))
            .where(
                ItemRow.collection_id == CLOSET_COLLECTION_ID,
                ItemRow.archived.is_(False),
                ItemRow.trashed_at.is_(None),
            )
            .group_by(ItemRow.group)
        )
        with self.sessions() as session:
            for group, n in session.execute(query).tuples():
                counts[group or "unclassified"] += n
        counts["all"] = sum(counts.values())
        return counts

    # -- changing ------------------------------------------------------------------------------
    def set_category(self, item_id: int, category: str) -> Item:
        category = normalise_category(category)
        with self.sessions.begin() as session:
            row = self.row(session, item_id)
            row.category, row.group = category, group_of(category).value
            row.corrected, row.needs_review = True, False
            session.flush()
            item = item_from_row(row, self.data_dir)
        self.learn()  # every correction teaches the personal layer
        return item

    def update_item(self, item_id: int, **fields: Any) -> Item:
        from wardrobe_app.domain.item_fields import check_item_fields
        from wardrobe_app.services.item_details import apply_fields

        fields = check_item_fields(fields)
        with self.sessions.begin() as session:
            row = self.row(session, item_id)
            apply_fields(row, fields)
            session.flush()
            return item_from_row(row, self.data_dir)

    @staticmethod
    def row(session: Session, item_id: int) -> ItemRow:
        """A closet item's row (ItemNotFoundError for an unknown id or a catalogue product,
        ItemInTrashError for an item in the trash)."""
        row = session.get(ItemRow, item_id)
        if row is None or row.collection_id != CLOSET_COLLECTION_ID:
            raise ItemNotFoundError(item_id)
        if row.trashed_at is not None:
            raise ItemInTrashError(item_id)
        return row
