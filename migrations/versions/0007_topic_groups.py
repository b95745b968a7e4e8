"""topic_group and topic_month: who stands where on a topic, and when, kept by ingest

``GET /topics/{id}`` ranked every position of the topic with window functions on each request (57
requests/s on the benchmark's largest topic). The groups and the monthly timeline are now kept by the
ingest transaction (app/counts.py) and filled here for what is stored already.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "topic_group",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position_count", sa.Integer(), nullable=False),
        sa.Column("latest_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_topic_group_actor_id_actor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["latest_id"], ["position.id"], name=op.f("fk_topic_group_latest_id_position"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_topic_group_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("topic_id", "stance", "actor_id", name=op.f("pk_topic_group")),
    )
    op.create_index(op.f("ix_topic_group_latest_id"), "topic_group", ["latest_id"])
    op.create_table(
        "topic_month",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("position_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_topic_month_actor_id_actor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_topic_month_topic_id_topic"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("topic_id", "actor_id", "stance", "month", name=op.f("pk_topic_month")),
    )

    month = (
        "to_char(sort_date, 'YYYY-MM')"
        if op.get_bind().dialect.name == "postgresql"
        else "strftime('%Y-%m', sort_date)"
    )
    op.execute(
        "INSERT INTO topic_group (topic_id, stance, actor_id, position_count, latest_id) "
        "SELECT topic_id, stance, actor_id, n, id FROM ("
        "SELECT id, topic_id, stance, actor_id, "
        "count(*) OVER (PARTITION BY topic_id, stance, actor_id) AS n, "
        "row_number() OVER (PARTITION BY topic_id, stance, actor_id "
        "ORDER BY sort_date DESC, article_id DESC, seq) AS newest "
        "FROM position) AS ranked WHERE newest = 1"
    )
    op.execute(
        "INSERT INTO topic_month (topic_id, actor_id, stance, month, position_count) "
        f"SELECT topic_id, actor_id, stance, {month}, count(*) FROM position "
        f"GROUP BY topic_id, actor_id, stance, {month}"
    )


def downgrade() -> None:
    op.drop_table("topic_month")
    op.drop_index(op.f("ix_topic_group_latest_id"), "topic_group")
    op.drop_table("topic_group")
