"""topic_stance_month: a topic's default timeline (positions per month and stance), kept by ingest

``GET /topics/{id}`` summed the topic's ``topic_month`` rows (one per actor) per month and stance on
each request. The sums are now kept by the ingest transaction (app/counts.py) and filled here for
what is stored already.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "topic_stance_month",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("position_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_topic_stance_month_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("topic_id", "month", "stance", name=op.f("pk_topic_stance_month")),
    )
    op.execute(
        "INSERT INTO topic_stance_month (topic_id, month, stance, position_count) "
        "SELECT topic_id, month, stance, sum(position_count) FROM topic_month "
        "GROUP BY topic_id, month, stance"
    )


def downgrade() -> None:
    op.drop_table("topic_stance_month")
