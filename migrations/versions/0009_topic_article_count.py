"""topic.article_count: topics listed by the articles that argue them

A topic's positions count one article's claims many times over (an article that names an issue once
files its other claims about it there too), so the largest topics by positions were often one
story. ``/topics`` now lists topics by the number of articles with a position on them, kept by the
ingest transaction (app/counts.py) and filled here for what is stored already.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("topic", sa.Column("article_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE topic SET article_count = "
        "(SELECT count(DISTINCT article_id) FROM position WHERE position.topic_id = topic.id)"
    )
    op.create_index("ix_topic_article_count", "topic", ["article_count"])


def downgrade() -> None:
    op.drop_index("ix_topic_article_count", table_name="topic")
    op.drop_column("topic", "article_count")
