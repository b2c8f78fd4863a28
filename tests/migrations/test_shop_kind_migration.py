"""Migration 0007_shop_kind: products imported before keep everything and have no shop kind; downgrade works."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from wardrobe_app.db.engine import make_engine, upgrade_to_head


def _old_catalogue(path: Path) -> None:
    engine = make_engine(path / "wardrobe.sqlite3")
    upgrade_to_head(engine, "0006_cleanout")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO collections (id, name, kind, source, created_at)"
                " VALUES (2, 'shop', 'catalogue', NULL, '2025-01-01 10:00:00')"
            )
        )
        for item_id, category, group in ((3, "t-shirt", "top"), (4, "sneakers", "bottom")):
            connection.execute(
                text(
                    "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name,"
                    " needs_review, corrected, confirmed, multicolour, archived, added_at, price, external_id,"
                    " status, wears_since_wash)"
                    f" VALUES ({item_id}, 2, 'h{item_id}', 'photos/h{item_id}.jpg', '{category}', '{group}',"
                    f" 0, 1, 0, 0, 0, '2025-01-01 10:00:00', {item_id * 10.0}, 'p{item_id}', 'available', 0)"
                )
            )
    engine.dispose()


def test_upgrade_keeps_the_products_without_a_shop_kind(tmp_path: Path) -> None:
    _old_catalogue(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, category, price, external_id, shop_kind FROM items ORDER BY id"))
        assert [tuple(r) for r in rows] == [(3, "t-shirt", 30.0, "p3", None), (4, "sneakers", 40.0, "p4", None)]
    engine.dispose()


def test_downgrade_drops_only_the_shop_kind(tmp_path: Path) -> None:
    from alembic import command

    from wardrobe_app.db.engine import alembic_config

    _old_catalogue(tmp_path)
    engine = make_engine(tmp_path / "wardrobe.sqlite3")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE items SET shop_kind = 'Tshirts' WHERE id = 3"))
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0006_cleanout")
    columns = {c["name"] for c in inspect(engine).get_columns("items")}
    assert "shop_kind" not in columns and {"category", "external_id", "price"} <= columns
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM items")).scalar() == 2
    engine.dispose()
