"""ids are never reused: items, outfits and feedback become AUTOINCREMENT tables

Without AUTOINCREMENT SQLite gives a new row the largest id + 1, so removing the
newest item (44) hands 44 to the next photo, and ratings or outfits pointing at an
old id would point at the new garment. The tables are rebuilt in batch mode with
``sqlite_autoincrement``; every row keeps its id.

Rebuilding a table drops the old one, and with foreign keys on (they are, inside the
migration's transaction, where the pragma cannot be turned off) dropping ``items``
cascades into colours, features, outfits and feedback. So the rows of every table
that depends on the rebuilt ones are put aside first and written back afterwards.

Revision ID: 0002_items_autoincrement
Revises: 0001
Create Date: 2026-11-25 18:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_items_autoincrement"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Tables whose ids people see (item ids on every command, outfit and rating ids in JSON and the ranker).
TABLES = ("items", "outfits", "feedback")


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    dependants = _dependants(bind, TABLES)  # parents before children
    saved = {table: _quote(f"_keep_{table}") for table in dependants}
    for table, keep in saved.items():
        op.execute(f"CREATE TEMP TABLE {keep} AS SELECT * FROM {_quote(table)}")
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
    for table in reversed(dependants):  # children first: a delete may cascade into them
        op.execute(f"DELETE FROM {_quote(table)}")
    for table, keep in saved.items():
        columns = ", ".join(_quote(c) for c in _columns(bind, table))
        op.execute(f"INSERT INTO {_quote(table)} ({columns}) SELECT {columns} FROM {keep}")
        op.execute(f"DROP TABLE {keep}")


def _dependants(bind: sa.Connection, roots: tuple[str, ...]) -> list[str]:
    """Every table whose rows a drop of ``roots`` would cascade into (the roots too), parents first."""
    tables = [name for (name,) in bind.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    parents = {
        name: {row[2] for row in bind.exec_driver_sql(f"PRAGMA foreign_key_list({_quote(name)})")}
        for name in tables
    }
    reached = set(roots)
    changed = True
    while changed:
        changed = False
        for name, refs in parents.items():
            if name not in reached and refs & reached:
                reached.add(name)
                changed = True
    ordered: list[str] = []
    while len(ordered) < len(reached):  # topological: a table after the tables it references
        for name in sorted(reached - set(ordered)):
            if (parents[name] & reached) - {name} <= set(ordered):
                ordered.append(name)
                break
        else:
            raise RuntimeError(f"foreign keys form a cycle among {sorted(reached - set(ordered))}")
    return ordered


def _columns(bind: sa.Connection, table: str) -> list[str]:
    return [row[1] for row in bind.exec_driver_sql(f"PRAGMA table_info({_quote(table)})")]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
