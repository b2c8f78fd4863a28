"""Shop kinds: items.shop_kind, a catalogue product's type as its CSV wrote it (articleType)

Revision ID: 0007_shop_kind
Revises: 0006_cleanout
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_shop_kind"
down_revision = "0006_cleanout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN only: rebuilding `items` with foreign keys on would cascade-delete what hangs off it.
    # Products imported before have no shop kind; their catalogue is searched by category as before.
    op.add_column("items", sa.Column("shop_kind", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("items", recreate="never") as batch_op:
        batch_op.drop_column("shop_kind")
