"""Migration 0005_item_details: items gain brand and trashed_at, tags arrive empty; a closet with data
(colours, features, outfits, ratings, diary lines) keeps all of it; downgrade works."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from wardrobe_app.db.engine import make_engine, upgrade_to_head
from wardrobe_app.services.wardrobe import Wardrobe

TABLES = ("item_colours", "item_features", "outfits", "feedback", "wear_entries", "wear_entry_items")


def _closet_at_0004(path: Path) -> None:
    engine = make_engine(path / "wardrobe.sqlite3")
    upgrade_to_head(engine, "0004_wear_diary")
    with engine.begin() as connection:
        for item_id, category, group in ((3, "shirt", "top"), (4, "jeans", "middle"), (5, "sneakers", "bottom")):
            connection.execute(
                text(
                    "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name,"
                    " needs_review, corrected, confirmed, multicolour, archived, added_at, price, name, status,"
                    " wears_since_wash)"
                    f" VALUES ({item_id}, 1, 'h{item_id}', 'photos/h{item_id}.jpg', '{category}', '{group}',"
                    f" 0, 1, 0, 0, {int(item_id == 4)}, '2026-01-01 10:00:00', {item_id * 10.0}, 'mine {item_id}',"
                    " 'available', 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO item_colours (item_id, rank, name, hex, hue, saturation, value, share)"
                    f" VALUES ({item_id}, 0, 'navy', '#1b2a4a', 220, 0.6, 0.3, 0.9)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO item_features (item_id, kind, version, dim, vector)"
                    f" VALUES ({item_id}, 'cnn', 'v1', 1, x'0000803f')"
                )
            )
        connection.execute(
            text(
                "INSERT INTO outfits (id, key, top_id, middle_id, bottom_id, created_at)"
                " VALUES (1, '3|4|5|', 3, 4, 5, '2026-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO feedback (outfit_id, occasion, rating, source, created_at)"
                " VALUES (1, 'work', 1.0, 'wore', '2026-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO wear_entries (id, day, occasion, kind, created_at)"
                " VALUES (1, '2026-01-02', 'work', 'worn', '2026-01-02 10:00:00')"
            )
        )
        for position, item_id in enumerate((3, 4, 5)):
            connection.execute(
                text(f"INSERT INTO wear_entry_items (entry_id, item_id, position) VALUES (1, {item_id}, {position})")
            )
    engine.dispose()


def test_upgrade_keeps_everything(tmp_path: Path) -> None:
    _closet_at_0004(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, name, archived, price, brand, trashed_at FROM items ORDER BY id"))
        assert [tuple(r) for r in rows] == [
            (3, "mine 3", 0, 30.0, None, None),
            (4, "mine 4", 1, 40.0, None, None),
            (5, "mine 5", 0, 50.0, None, None),
        ]
        for table, n in zip(TABLES, (3, 3, 1, 1, 1, 3), strict=True):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == n, table
        assert connection.execute(text("SELECT count(*) FROM item_tags")).scalar() == 0
    engine.dispose()

    with Wardrobe.open(tmp_path, classifier="none") as wardrobe:
        assert [i.id for i in wardrobe.items()] == [3, 5]
        assert wardrobe.update_item(4, brand="Acme", tags=["old", "fav"], archived=False).tags == ("fav", "old")
        wardrobe.remove(5)
        assert [i.id for i in wardrobe.trash()] == [5]
        wardrobe.restore_from_trash([5])
        wardrobe.remove(5)
        wardrobe.empty_trash()
        assert wardrobe.diary()[0].item_ids == (3, 4)


def test_downgrade_to_0004(tmp_path: Path) -> None:
    from alembic import command

    from wardrobe_app.db.engine import alembic_config

    _closet_at_0004(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0004_wear_diary")
    inspector = inspect(engine)
    assert "item_tags" not in inspector.get_table_names()
    assert {"brand", "trashed_at"}.isdisjoint(c["name"] for c in inspector.get_columns("items"))
    with engine.connect() as connection:
        for table, n in zip(TABLES, (3, 3, 1, 1, 1, 3), strict=True):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == n, table
    engine.dispose()
