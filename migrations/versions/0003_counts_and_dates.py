"""stored counts on actor and topic; a sort date on quote and position, with list indexes

Lists sort actors by mentions, quotes, articles or positions and topics by activity; counting those on
every request reads the whole mention or position table. The counts are kept by the ingest
transaction from now on (app/counts.py) and filled here for what is stored already.

Columns are added with plain ALTER TABLE ADD COLUMN (no batch copy), so that SQLite keeps the
full-text triggers of revision 0002 on ``quote``.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UNKNOWN = "0001-01-01"  # app.models.SORT_DATE_UNKNOWN, written out as a migration must be
ACTOR_COUNTS = ("article_count", "quote_count", "position_count", "mention_count")


def upgrade() -> None:
    for name in ACTOR_COUNTS:
        op.add_column("actor", sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    op.add_column("topic", sa.Column("position_count", sa.Integer(), server_default="0", nullable=False))
    op.add_column("topic", sa.Column("actor_count", sa.Integer(), server_default="0", nullable=False))
    op.add_column("topic", sa.Column("latest_on", sa.Date(), nullable=True))
    for table in ("quote", "position"):
        op.add_column(table, sa.Column("sort_date", sa.Date(), server_default=UNKNOWN, nullable=False))

    op.execute(
        "UPDATE actor SET "
        "mention_count = (SELECT count(*) FROM mention WHERE mention.actor_id = actor.id), "
        "article_count = (SELECT count(DISTINCT article_id) FROM mention WHERE mention.actor_id = actor.id), "
        "quote_count = (SELECT count(*) FROM quote WHERE quote.speaker_id = actor.id), "
        "position_count = (SELECT count(*) FROM position WHERE position.actor_id = actor.id)"
    )
    for table in ("quote", "position"):
        op.execute(
            f"UPDATE {table} SET sort_date = (SELECT coalesce(published_on, '{UNKNOWN}') FROM article "
            f"WHERE article.id = {table}.article_id)"
        )
    op.execute(
        "UPDATE topic SET "
        "position_count = (SELECT count(*) FROM position WHERE position.topic_id = topic.id), "
        "actor_count = (SELECT count(DISTINCT actor_id) FROM position WHERE position.topic_id = topic.id), "
        "latest_on = (SELECT max(article.published_on) FROM position "
        "JOIN article ON article.id = position.article_id "
        "WHERE position.topic_id = topic.id)"
    )

    for name in ACTOR_COUNTS:
        op.create_index(f"ix_actor_{name}", "actor", [name])
    op.create_index("ix_topic_position_count", "topic", ["position_count"])
    op.create_index("ix_topic_latest_on", "topic", ["latest_on"])
    op.create_index("ix_quote_newest", "quote", [sa.text("sort_date DESC"), sa.text("article_id DESC"), "id"])
    op.create_index(
        "ix_quote_speaker_newest",
        "quote",
        ["speaker_id", sa.text("sort_date DESC"), sa.text("article_id DESC"), "id"],
    )
    op.create_index(
        "ix_position_newest", "position", [sa.text("sort_date DESC"), sa.text("article_id DESC"), "seq"]
    )
    op.create_index(
        "ix_position_history", "position", ["actor_id", "topic_id", "sort_date", "article_id", "seq"]
    )


def downgrade() -> None:
    op.drop_index("ix_position_history", "position")
    op.drop_index("ix_position_newest", "position")
    op.drop_index("ix_quote_speaker_newest", "quote")
    op.drop_index("ix_quote_newest", "quote")
    op.drop_index("ix_topic_latest_on", "topic")
    op.drop_index("ix_topic_position_count", "topic")
    for name in ACTOR_COUNTS:
        op.drop_index(f"ix_actor_{name}", "actor")
    # DROP COLUMN, not a batch copy, for the same reason as above (SQLite 3.35+ and PostgreSQL).
    op.drop_column("position", "sort_date")
    op.drop_column("quote", "sort_date")
    for name in ("latest_on", "actor_count", "position_count"):
        op.drop_column("topic", name)
    for name in ACTOR_COUNTS:
        op.drop_column("actor", name)
