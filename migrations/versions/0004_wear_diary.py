"""Closet life: the wear diary, item status (laundry, lent, repair), purchase date, laundry rules

Revision ID: 0004_wear_diary
Revises: 0003_review_confirmed
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_wear_diary"
down_revision = "0003_review_confirmed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN only: rebuilding `items` with foreign keys on would cascade-delete its colours,
    # features, outfits and ratings. Existing items are available and unworn since their last wash.
    op.add_column("items", sa.Column("status", sa.String(length=20), server_default="available", nullable=False))
    op.add_column("items", sa.Column("wears_since_wash", sa.Integer(), server_default="0", nullable=False))
    op.add_column("items", sa.Column("purchased_on", sa.Date(), nullable=True))
    op.create_table(
        "wear_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occasion", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wear_entries")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_wear_entries_day"), "wear_entries", ["day"], unique=False)
    op.create_index(op.f("ix_wear_entries_kind"), "wear_entries", ["kind"], unique=False)
    op.create_table(
        "wear_entry_items",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["wear_entries.id"],
                                name=op.f("fk_wear_entry_items_entry_id_wear_entries"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"],
                                name=op.f("fk_wear_entry_items_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "item_id", name=op.f("pk_wear_entry_items")),
    )
    op.create_index(op.f("ix_wear_entry_items_item_id"), "wear_entry_items", ["item_id"], unique=False)
    op.create_table(
        "laundry_rules",
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("wears", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_laundry_rules")),
    )


def downgrade() -> None:
    op.drop_table("laundry_rules")
    op.drop_index(op.f("ix_wear_entry_items_item_id"), table_name="wear_entry_items")
    op.drop_table("wear_entry_items")
    op.drop_index(op.f("ix_wear_entries_kind"), table_name="wear_entries")
    op.drop_index(op.f("ix_wear_entries_day"), table_name="wear_entries")
    op.drop_table("wear_entries")
    with op.batch_alter_table("items", recreate="never") as batch_op:
        batch_op.drop_column("purchased_on")
        batch_op.drop_column("wears_since_wash")
        batch_op.drop_column("status")
