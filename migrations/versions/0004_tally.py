"""tally: the row counts of article, quote and position, for unfiltered list totals

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("article", "quote", "position")


def upgrade() -> None:
    op.create_table(
        "tally",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_tally")),
    )
    for table in TABLES:
        op.execute(f"INSERT INTO tally (name, value) SELECT '{table}', count(*) FROM {table}")


def downgrade() -> None:
    op.drop_table("tally")
