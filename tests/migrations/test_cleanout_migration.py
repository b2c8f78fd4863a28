"""Migration 0006_cleanout: a closet with items, a diary and ratings upgrades with all of it kept; the
dismissals table arrives empty, works through the facade and follows its item out; downgrade works."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from wardrobe_app.db.engine import make_engine, upgrade_to_head
from wardrobe_app.services.wardrobe import Wardrobe


def _old_closet(path: Path) -> None:
    engine = make_engine(path / "wardrobe.sqlite3")
    upgrade_to_head(engine, "0004_wear_diary")
    with engine.begin() as connection:
        for item_id, category, group in ((3, "shirt", "top"), (4, "jeans", "middle"), (5, "sneakers", "bottom")):
            connection.execute(
                text(
                    "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name,"
                    " needs_review, corrected, confirmed, multicolour, archived, added_at, price, status,"
                    " wears_since_wash)"
                    f" VALUES ({item_id}, 1, 'h{item_id}', 'photos/h{item_id}.jpg', '{category}', '{group}',"
                    f" 0, 1, 0, 0, 0, '2025-01-01 10:00:00', {item_id * 10.0}, 'available', 1)"
                )
            )
        connection.execute(
            text(
                "INSERT INTO outfits (id, key, top_id, middle_id, bottom_id, created_at)"
                " VALUES (1, '3|4|5|', 3, 4, 5, '2025-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO feedback (outfit_id, occasion, rating, source, created_at)"
                " VALUES (1, 'work', 1.0, 'wore', '2025-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO wear_entries (id, day, occasion, kind, created_at)"
                " VALUES (1, '2025-01-02', 'work', 'worn', '2025-01-02 10:00:00')"
            )
        )
        for position, item_id in enumerate((3, 4, 5)):
            connection.execute(
                text(f"INSERT INTO wear_entry_items (entry_id, item_id, position) VALUES (1, {item_id}, {position})")
            )
    engine.dispose()


def test_upgrade_keeps_the_closet_and_dismissals_work(tmp_path: Path) -> None:
    _old_closet(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        for table, n in (
            ("items", 3),
            ("outfits", 1),
            ("feedback", 1),
            ("wear_entries", 1),
            ("wear_entry_items", 3),
            ("cleanout_dismissals", 0),
        ):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == n, table
        prices = connection.execute(text("SELECT id, price, status FROM items ORDER BY id")).all()
        assert [tuple(r) for r in prices] == [(3, 30.0, "available"), (4, 40.0, "available"), (5, 50.0, "available")]
    engine.dispose()

    with Wardrobe.open(tmp_path, classifier="none") as wardrobe:
        listed = {c.item_id for c in wardrobe.cleanout(months=6)}
        assert listed == {3, 4, 5}  # last worn on 2025-01-02
        wardrobe.dismiss_cleanout([4])
        assert {c.item_id for c in wardrobe.cleanout(months=6)} == {3, 5}
        wardrobe.remove(4)  # to the trash: the dismissal stays until the item is deleted for good
        with wardrobe.sessions() as session:
            assert session.execute(text("SELECT count(*) FROM cleanout_dismissals")).scalar() == 1
        wardrobe.empty_trash([4])  # the dismissal goes with its item
        with wardrobe.sessions() as session:
            assert session.execute(text("SELECT count(*) FROM cleanout_dismissals")).scalar() == 0
            assert session.execute(text("SELECT count(*) FROM wear_entries")).scalar() == 1


def test_downgrade_drops_only_the_dismissals(tmp_path: Path) -> None:
    from alembic import command

    from wardrobe_app.db.engine import alembic_config

    _old_closet(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0004_wear_diary")
    tables = set(inspect(engine).get_table_names())
    assert "cleanout_dismissals" not in tables and {"items", "wear_entries"} <= tables
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM items")).scalar() == 3
    engine.dispose()
