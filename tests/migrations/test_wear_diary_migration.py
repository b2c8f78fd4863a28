"""Migration 0004_wear_diary: items gain status (available), wears and purchase date; the diary tables
arrive empty; colours, features, outfits and ratings of existing items all survive; downgrade works."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from wardrobe_app.db.engine import make_engine, upgrade_to_head
from wardrobe_app.services.wardrobe import Wardrobe


def _old_closet(path: Path) -> None:
    engine = make_engine(path / "wardrobe.sqlite3")
    upgrade_to_head(engine, "0003_review_confirmed")
    with engine.begin() as connection:
        for item_id, category, group in ((3, "shirt", "top"), (4, "jeans", "middle"), (5, "sneakers", "bottom")):
            connection.execute(
                text(
                    "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name,"
                    " needs_review, corrected, confirmed, multicolour, archived, added_at, price)"
                    f" VALUES ({item_id}, 1, 'h{item_id}', 'photos/h{item_id}.jpg', '{category}', '{group}',"
                    f" 0, 1, 0, 0, 0, '2026-01-01 10:00:00', {item_id * 10.0})"
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
    engine.dispose()


def test_upgrade_keeps_everything_and_items_start_available(tmp_path: Path) -> None:
    _old_closet(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, status, wears_since_wash, purchased_on, price FROM items ORDER BY id")
        ).all()
        assert [tuple(r) for r in rows] == [
            (3, "available", 0, None, 30.0),
            (4, "available", 0, None, 40.0),
            (5, "available", 0, None, 50.0),
        ]
        for table, n in (
            ("item_colours", 3),
            ("item_features", 3),
            ("outfits", 1),
            ("feedback", 1),
            ("wear_entries", 0),
            ("wear_entry_items", 0),
            ("laundry_rules", 0),
        ):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == n, table
    engine.dispose()

    # the upgraded closet works through the facade: statuses, the diary, and removing an item cascades
    with Wardrobe.open(tmp_path, classifier="none") as wardrobe:
        assert [i.status for i in wardrobe.items()] == ["available"] * 3
        wardrobe.set_status([4], "lent")
        assert [i.id for i in wardrobe.items(status="lent")] == [4]
        entry = wardrobe._diary().record([3, 4, 5], "2026-02-01", "work").entry
        assert wardrobe.diary()[0].item_ids == (3, 4, 5)
        wardrobe.remove(5)  # to the trash: emptying it deletes the item, and the diary line with it
        wardrobe.empty_trash()
        assert wardrobe.diary()[0].item_ids == (3, 4) and wardrobe.diary()[0].id == entry.id


def test_downgrade_to_0003(tmp_path: Path) -> None:
    from alembic import command

    from wardrobe_app.db.engine import alembic_config

    _old_closet(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003_review_confirmed")
    inspector = inspect(engine)
    assert "wear_entries" not in inspector.get_table_names()
    assert "status" not in {c["name"] for c in inspector.get_columns("items")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM item_colours")).scalar() == 3
        assert connection.execute(text("SELECT count(*) FROM feedback")).scalar() == 1
