"""The trash: removing an item moves it here (out of the grid, outfits and search) until restored or emptied."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session, defer, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from wardrobe_app.db.convert import item_from_row
from wardrobe_app.db.photo_files import PhotoFiles
from wardrobe_app.db.tables import CLOSET_COLLECTION_ID, ItemRow, OutfitRow
from wardrobe_app.domain import Change, Item, ItemNotFoundError, WardrobeError


class Trash:
    """Moves closet items to the trash and back; emptying deletes rows (cascading) and then unshared files."""

    def __init__(self, sessions: sessionmaker[Session], files: PhotoFiles) -> None:
        self.sessions = sessions
        self.files = files

    @property
    def data_dir(self) -> Path:
        return self.files.data_dir

    def move_in(self, item_ids: Iterable[int]) -> Change:
        """Trash closet items (all or, ItemNotFoundError / ItemInTrashError, none); their files stay."""
        ids = _unique(item_ids)
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.sessions.begin() as session:
            rows = [_closet_row(session, item_id) for item_id in ids]
            for row in rows:
                if row.trashed_at is not None:
                    from wardrobe_app.domain import ItemInTrashError

                    raise ItemInTrashError(row.id)
            for row in rows:
                row.trashed_at = now
        return Change(removed=tuple(ids))

    def restore(self, item_ids: Iterable[int]) -> Change:
        """Bring trashed items back into the closet as they were (all or none)."""
        ids = _unique(item_ids)
        with self.sessions.begin() as session:
            rows = [_closet_row(session, item_id) for item_id in ids]
            for row in rows:
                if row.trashed_at is None:
                    raise WardrobeError(f"item {row.id} is not in the trash")
            for row in rows:
                row.trashed_at = None
        return Change(added=tuple(ids))

    def items(self) -> list[Item]:
        """What is in the trash, most recently removed first."""
        query = (
            select(ItemRow)
            .options(defer(ItemRow.trashed_at))
            .where(ItemRow.collection_id == CLOSET_COLLECTION_ID, ItemRow.trashed_at.is_not(None))
            .order_by(ItemRow.trashed_at.desc(), ItemRow.id.desc())
        )
        with self.sessions() as session:
            times = _trashed_times(session)
            rows = list(session.scalars(query))
            for row in rows:
                set_committed_value(row, "trashed_at", times.get(row.id, DAMAGED_TIME))
            return [item_from_row(row, self.data_dir) for row in rows]

    def empty(self, item_ids: Iterable[int] | None = None) -> Change:
        """Delete trashed items for good (all of them, or those given, which must be in the trash).

        Their rows go first (with their colours, features, outfits, ratings and diary lines, by cascade),
        then their files, unless another row (a catalogue holding the same photo) still uses them. Paths are
        confined to the closet's item folders by ``PhotoFiles.delete``.
        """
        with self.sessions.begin() as session:
            query = (
                select(ItemRow)
                .options(defer(ItemRow.trashed_at))
                .where(ItemRow.collection_id == CLOSET_COLLECTION_ID, ItemRow.trashed_at.is_not(None))
            )
            if item_ids is not None:
                ids = _unique(item_ids)
                rows = [_closet_row(session, item_id) for item_id in ids]
                for row in rows:
                    if row.trashed_at is None:
                        raise WardrobeError(f"item {row.id} is not in the trash; remove it first")
            else:
                rows = list(session.scalars(query))
                times = _trashed_times(session)
                for row in rows:
                    set_committed_value(row, "trashed_at", times.get(row.id, DAMAGED_TIME))
            removed = tuple(row.id for row in rows)
            files = sorted({path for row in rows for path in _files_of(row)})
            for row in rows:
                session.delete(row)
            session.flush()
            drop_outfits_of_missing_items(session)  # a layer or accessory has no foreign key to cascade
        with self.sessions() as session:  # files are content-addressed: another row may name the same file
            shared = _still_used(session, files)
        self.files.delete([path for path in files if path not in shared])
        return Change(removed=removed)


def _files_of(row: ItemRow) -> list[str]:
    return [p for p in (row.photo_path, row.cutout_path, row.thumb_path, row.mask_path) if p]


def names_a_missing_extra(key: object, items: set[int]) -> bool:
    """True when an outfit key's layer or accessory (named only in the key, after the four pieces) is gone."""
    return any(part.isdigit() and len(part) < 19 and int(part) not in items for part in str(key).split("|")[4:])


def drop_outfits_of_missing_items(session: Session) -> int:
    """Delete outfits (and, by cascade, their ratings) whose key names an item that is gone; how many.

    The top, middle, bottom and full pieces are foreign keys that cascade; the layer and the accessory live
    only in the outfit's key, so emptying them from the trash left outfits (and an archive no restore takes).
    """
    items = set(session.scalars(select(ItemRow.id)))
    gone = [
        outfit_id
        for outfit_id, key in session.execute(select(OutfitRow.id, OutfitRow.key))
        if names_a_missing_extra(key, items)
    ]
    if gone:
        session.execute(delete(OutfitRow).where(OutfitRow.id.in_(gone)))
    return len(gone)


#: The columns of an item row that name a file.
FILE_COLUMNS = (ItemRow.photo_path, ItemRow.cutout_path, ItemRow.thumb_path, ItemRow.mask_path)


def _still_used(session: Session, paths: list[str]) -> set[str]:
    """Those of ``paths`` that some row still names (a catalogue product or a closet item of the same photo,
    or of a cut-out fixed the same way), in any of its file columns."""
    used: set[str] = set()
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        for column in FILE_COLUMNS:
            used.update(p for p in session.scalars(select(column).where(column.in_(chunk))) if p)
    return used


#: Shown for a trashed item whose saved time is not a time (a tampered or damaged row): still in the trash.
DAMAGED_TIME = datetime(1970, 1, 1)
#: SQLite's integer range: an id outside it names no item (and must not reach the driver, which overflows).
SQLITE_INT = range(-(2**63), 2**63)


def _closet_row(session: Session, item_id: int) -> ItemRow:
    """The closet row (trashed_at read leniently: a damaged time counts as in the trash), or ItemNotFoundError."""
    if item_id not in SQLITE_INT:
        raise ItemNotFoundError(item_id)
    row = session.get(ItemRow, item_id, options=[defer(ItemRow.trashed_at)])
    if row is None or row.collection_id != CLOSET_COLLECTION_ID:
        raise ItemNotFoundError(item_id)
    raw = session.execute(text("SELECT trashed_at FROM items WHERE id = :id"), {"id": item_id}).scalar()
    set_committed_value(row, "trashed_at", None if raw is None else _as_time(raw))
    return row


def _trashed_times(session: Session) -> dict[int, datetime]:
    """Every trashed item's time, read as text so that a damaged value cannot stop the trash working."""
    rows = session.execute(text("SELECT id, trashed_at FROM items WHERE trashed_at IS NOT NULL"))
    return {int(item_id): _as_time(raw) for item_id, raw in rows}


def _as_time(raw: object) -> datetime:
    if isinstance(raw, datetime):
        return raw
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return DAMAGED_TIME


def _unique(item_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in item_ids))
    if not ids:
        raise WardrobeError("no item ids given")
    return ids
