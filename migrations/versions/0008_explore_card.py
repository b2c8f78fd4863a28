"""Exploration cards: feedback.explore marks a rating given on the board's exploration card (a random outfit)

Revision ID: 0008_explore_card
Revises: 0007_shop_kind
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_explore_card"
down_revision = "0007_shop_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN only (no table rebuild). Ratings given before were all on the board's own cards:
    # NULL reads as "not an exploration card".
    op.add_column("feedback", sa.Column("explore", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback", recreate="never") as batch_op:
        batch_op.drop_column("explore")
