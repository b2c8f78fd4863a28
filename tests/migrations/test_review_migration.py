"""Migration 0003_review_confirmed: items gain ``confirmed`` (false), and nothing else is lost."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from wardrobe_app.db.engine import make_engine, upgrade_to_head


def test_confirmed_column_defaults_to_false_and_keeps_features(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "old.sqlite3")
    upgrade_to_head(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name,"
                " needs_review, corrected, multicolour, archived, added_at)"
                " VALUES (3, 1, 'h', 'photos/h.jpg', 'dress', 'full', 1, 0, 0, 0, '2026-01-01 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO item_features (item_id, kind, version, dim, vector)"
                " VALUES (3, 'cnn', 'v1', 1, x'0000803f')"
            )
        )
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT confirmed, needs_review FROM items WHERE id = 3")).one() == (0, 1)
        assert connection.execute(text("SELECT count(*) FROM item_features WHERE item_id = 3")).scalar() == 1
