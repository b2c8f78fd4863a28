"""items.confirmed: the user accepted the classifier's guess (review queue)

Revision ID: 0003_review_confirmed
Revises: 0002_items_autoincrement
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_review_confirmed"
down_revision = "0002_items_autoincrement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing items were never confirmed: they take the default (0). A plain ADD COLUMN (recreate="never"):
    # recreating the items table with foreign keys on would cascade-delete its colours and features.
    with op.batch_alter_table("items", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("confirmed", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("confirmed")
