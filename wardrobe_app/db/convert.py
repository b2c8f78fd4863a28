"""Turn ORM rows into domain objects (services never hand out live rows)."""

from __future__ import annotations

from pathlib import Path

from wardrobe_app.db.tables import ItemRow
from wardrobe_app.domain import Colour, Group, Item


def item_from_row(row: ItemRow, data_dir: Path, collection: str = "closet") -> Item:
    def absolute(relative: str | None) -> str | None:
        return str(data_dir / relative) if relative else None

    colours = tuple(
        Colour(name=c.name, hex=c.hex, hsv=(c.hue, c.saturation, c.value), share=c.share) for c in row.colours
    )
    return Item(
        id=row.id,
        photo_path=str(data_dir / row.photo_path),
        cutout_path=absolute(row.cutout_path),
        thumb_path=absolute(row.thumb_path),
        mask_path=absolute(row.mask_path),
        content_hash=row.content_hash,
        category=row.category,
        group=Group(row.group) if row.group else None,
        confidence=row.confidence,
        classifier_version=row.classifier_version,
        needs_review=row.needs_review,
        corrected=row.corrected,
        confirmed=bool(row.confirmed),
        colours=colours,
        multicolour=row.multicolour,
        name=row.name,
        notes=row.notes,
        season=row.season,
        formality=row.formality,
        added_at=row.added_at,
        archived=row.archived,
        source_name=row.source_name,
        collection=collection,
        external_id=row.external_id,
        price=row.price,
        url=row.url,
        status=row.status or "available",
        purchased_on=row.purchased_on,
        brand=row.brand,
        tags=tuple(t.tag for t in row.tags),
        trashed_at=row.trashed_at,
        shop_kind=row.shop_kind,
    )
