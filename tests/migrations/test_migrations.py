"""The schema comes only from migrations: no drift, and upgrades keep existing data."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from wardrobe_app.db.engine import alembic_config, current_revision, make_engine, upgrade_to_head
from wardrobe_app.db.tables import Base


def test_autogenerate_finds_no_drift(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "drift.sqlite3")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_database_is_at_head_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "head.sqlite3")
    upgrade_to_head(engine)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert current_revision(engine) == head
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert {"items", "item_colours", "item_features", "outfits", "feedback", "collections"} <= set(
        inspect(engine).get_table_names()
    )


def test_upgrade_from_first_migration_keeps_data(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "old.sqlite3")
    scripts = ScriptDirectory.from_config(alembic_config())
    first = next(rev for rev in scripts.walk_revisions() if rev.down_revision is None).revision
    upgrade_to_head(engine, first)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO items (id, collection_id, content_hash, photo_path, category, group_name,"
                " needs_review, corrected, multicolour, archived, added_at)"
                " VALUES (7, 1, 'abc', 'photos/ab/abc.jpg', 'skirt', 'middle', 0, 1, 0, 0, '2026-01-01 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO item_colours (item_id, rank, name, hex, hue, saturation, value, share)"
                " VALUES (7, 0, 'navy', '#1b2a4a', 220, 0.6, 0.3, 0.9)"
            )
        )
    upgrade_to_head(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT category, group_name, corrected FROM items WHERE id = 7")).one()
        colour = connection.execute(text("SELECT name, share FROM item_colours WHERE item_id = 7")).one()
        closet = connection.execute(text("SELECT name FROM collections WHERE id = 1")).scalar()
    assert tuple(row) == ("skirt", "middle", 1)
    assert tuple(colour) == ("navy", 0.9)
    assert closet == "closet"
