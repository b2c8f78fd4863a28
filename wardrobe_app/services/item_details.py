"""Writing the user's own fields of an item (checked by domain/item_fields.py) onto its row, tags included."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wardrobe_app.db.tables import ItemRow, ItemTagRow


def apply_fields(row: ItemRow, fields: Mapping[str, Any]) -> None:
    """Set checked fields on ``row``; ``tags`` replaces the item's tag set (kept tags keep their rows)."""
    for key, value in fields.items():
        if key == "tags":
            wanted = set(value)
            row.tags = [t for t in row.tags if t.tag in wanted] + [
                ItemTagRow(tag=tag) for tag in sorted(wanted - {t.tag for t in row.tags})
            ]
        else:
            setattr(row, key, value)
