"""Clean-out: the items the user chose to keep when clean-out suggested letting them go

Revision ID: 0006_cleanout
Revises: 0005_item_details
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_cleanout"
down_revision = "0005_item_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # CREATE TABLE only: the items and outfits tables are left as they are.
    op.create_table(
        "cleanout_dismissals",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_cleanout_dismissals_item_id_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_cleanout_dismissals")),
    )


def downgrade() -> None:
    op.drop_table("cleanout_dismissals")
