"""Indexes that answer a topic's detail from the index alone: its ranked groups and its timeline

``GET /topics/{id}`` ranks the topic's ``topic_group`` rows per stance by positions and sums its
``topic_month`` rows per month and stance. Through the primary keys both read each row of the table
too, and sorted it; these indexes hold the rows in the order ranked or grouped, with every column
read. On the benchmark's largest topic (179 groups, 1,027 month rows), SQLite: the groups 0.43 ->
0.35 ms, the timeline 0.53 -> 0.25 ms; the whole answer 2.1 -> 1.7 ms of CPU (bench/RESULTS.md).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_topic_group_rank",
        "topic_group",
        ["topic_id", "stance", sa.text("position_count DESC"), "actor_id", "latest_id"],
    )
    op.create_index(
        "ix_topic_month_timeline", "topic_month", ["topic_id", "month", "stance", "position_count"]
    )


def downgrade() -> None:
    op.drop_index("ix_topic_month_timeline", "topic_month")
    op.drop_index("ix_topic_group_rank", "topic_group")
