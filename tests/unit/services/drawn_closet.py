"""Closets drawn straight into a closet database (no photos): category and colour per item."""

from __future__ import annotations

from datetime import datetime

from wardrobe_app.domain import group_of

HSV = {
    "black": (0.0, 0.0, 0.08),
    "white": (0.0, 0.02, 0.96),
    "grey": (0.0, 0.03, 0.55),
    "navy": (225.0, 0.7, 0.3),
    "red": (2.0, 0.85, 0.8),
    "green": (130.0, 0.7, 0.6),
    "yellow": (52.0, 0.8, 0.93),
    "blue": (215.0, 0.75, 0.75),
    "beige": (35.0, 0.22, 0.85),
    "pink": (335.0, 0.4, 0.92),
    "brown": (25.0, 0.65, 0.4),
    "burgundy": (345.0, 0.75, 0.38),
    "olive": (75.0, 0.6, 0.42),
    "teal": (180.0, 0.75, 0.5),
}


def draw(wardrobe, spec: list[tuple[str, str]], season: str | None = None) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """Add (category, colour) items; returns the ids per category, in order."""
    from wardrobe_app.db.tables import ItemColourRow, ItemRow

    ids: dict[str, list[int]] = {}
    with wardrobe.sessions.begin() as session:
        for n, (category, colour) in enumerate(spec):
            h, s, v = HSV[colour]
            row = ItemRow(
                content_hash=f"drawn-{n}-{category}-{colour}",
                photo_path=f"photos/drawn{n}.jpg",
                category=category,
                group=group_of(category).value,
                added_at=datetime.now(),
                corrected=True,
                season=season,
                colours=[ItemColourRow(rank=0, name=colour, hex="#000000", hue=h, saturation=s, value=v, share=1.0)],
            )
            session.add(row)
            session.flush()
            ids.setdefault(category, []).append(row.id)
    return ids
