"""Item details and the trash: items.brand, items.trashed_at, free tags per item (item_tags)

Revision ID: 0005_item_details
Revises: 0004_wear_diary
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_item_details"
down_revision = "0004_wear_diary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN / CREATE TABLE only: rebuilding `items` with foreign keys on would cascade-delete
    # its colours, features, outfits, ratings and diary entries. Existing items have no brand, no tags and
    # are not in the trash.
    op.add_column("items", sa.Column("brand", sa.Text(), nullable=True))
    op.add_column("items", sa.Column("trashed_at", sa.DateTime(), nullable=True))
    op.create_index(op.f("ix_items_trashed_at"), "items", ["trashed_at"], unique=False)
    op.create_table(
        "item_tags",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_tags_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "tag", name=op.f("pk_item_tags")),
    )
    op.create_index(op.f("ix_item_tags_tag"), "item_tags", ["tag"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_item_tags_tag"), table_name="item_tags")
    op.drop_table("item_tags")
    op.drop_index(op.f("ix_items_trashed_at"), table_name="items")
    with op.batch_alter_table("items", recreate="never") as batch_op:
        batch_op.drop_column("trashed_at")
        batch_op.drop_column("brand")
