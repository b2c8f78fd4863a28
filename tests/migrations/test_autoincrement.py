"""Migration 0002: items, outfits and feedback never reuse an id, and upgrading keeps every row and link."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from wardrobe_app.db.engine import make_engine, upgrade_to_head

ITEM = (
    "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name, needs_review,"
    " corrected, multicolour, archived, added_at) VALUES (:id, 1, :hash, :path, 'skirt', 'middle', 0, 1, 0, 0,"
    " '2026-01-01 10:00:00')"
)


def _table_sql(engine: Engine, table: str) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": table}).scalar())


def _closet_at_0001(path: Path) -> Engine:
    engine = make_engine(path)
    upgrade_to_head(engine, "0001")
    with engine.begin() as connection:
        for item_id in (3, 7, 44):
            connection.execute(text(ITEM), {"id": item_id, "hash": f"h{item_id}", "path": f"photos/{item_id}.jpg"})
            connection.execute(
                text(
                    "INSERT INTO item_colours (item_id, rank, name, hex, hue, saturation, value, share)"
                    " VALUES (:id, 0, 'navy', '#1b2a4a', 220, 0.6, 0.3, 0.9)"
                ),
                {"id": item_id},
            )
            connection.execute(
                text(
                    "INSERT INTO item_features (item_id, kind, version, dim, vector) VALUES (:id, 'cnn', 'v1', 2, :v)"
                ),
                {"id": item_id, "v": b"\x00\x00\x80?\x00\x00\x00@"},
            )
        connection.execute(
            text(
                "INSERT INTO outfits (id, key, top_id, bottom_id, created_at)"
                " VALUES (5, '3|7', 3, 7, '2026-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO feedback (id, outfit_id, occasion, rating, source, created_at)"
                " VALUES (9, 5, 'work', 1.0, 'like', '2026-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO collections (id, name, kind, created_at)"
                " VALUES (2, 'Shop', 'catalogue', '2026-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(ITEM.replace("VALUES (:id, 1,", "VALUES (:id, 2,")), {"id": 50, "hash": "h50", "path": "photos/50.jpg"}
        )
    return engine


def test_upgrade_keeps_every_row_and_link(tmp_path: Path) -> None:
    engine = _closet_at_0001(tmp_path / "old.sqlite3")
    assert "AUTOINCREMENT" not in _table_sql(engine, "items")
    upgrade_to_head(engine)
    for table in ("items", "outfits", "feedback"):
        assert "AUTOINCREMENT" in _table_sql(engine, table), table
    assert "REFERENCES items" in _table_sql(engine, "item_colours").replace('"', "")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, collection_id FROM items ORDER BY id")).all() == [
            (3, 1),
            (7, 1),
            (44, 1),
            (50, 2),
        ]
        assert connection.execute(text("SELECT item_id FROM item_colours ORDER BY item_id")).scalars().all() == [
            3,
            7,
            44,
        ]
        assert connection.execute(text("SELECT item_id, vector FROM item_features WHERE item_id = 44")).one() == (
            44,
            b"\x00\x00\x80?\x00\x00\x00@",
        )
        assert connection.execute(text("SELECT id, top_id, bottom_id FROM outfits")).all() == [(5, 3, 7)]
        assert connection.execute(text("SELECT id, outfit_id, source FROM feedback")).all() == [(9, 5, "like")]
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # the foreign keys still cascade: removing item 3 removes its colours, outfit and rating
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM items WHERE id = 3"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM outfits")).scalar() == 0
        assert connection.execute(text("SELECT COUNT(*) FROM feedback")).scalar() == 0
        assert connection.execute(text("SELECT COUNT(*) FROM item_colours WHERE item_id = 3")).scalar() == 0


def test_ids_are_not_reused_after_the_newest_is_removed(tmp_path: Path) -> None:
    engine = _closet_at_0001(tmp_path / "old.sqlite3")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM items WHERE id = 50"))
        connection.execute(text(ITEM), {"id": None, "hash": "new", "path": "photos/new.jpg"})
        new_id = connection.execute(text("SELECT id FROM items WHERE content_hash = 'new'")).scalar()
    assert new_id == 51


def test_downgrade_and_upgrade_again_keep_the_rows(tmp_path: Path) -> None:
    engine = _closet_at_0001(tmp_path / "old.sqlite3")
    upgrade_to_head(engine)
    from alembic import command

    from wardrobe_app.db.engine import alembic_config

    with engine.begin() as connection:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0001")
    assert "AUTOINCREMENT" not in _table_sql(engine, "items")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM feedback")).scalar() == 1
        assert connection.execute(text("SELECT COUNT(*) FROM item_features")).scalar() == 3
