"""article.sort_date: the publication date, or 0001-01-01 when unknown, indexed with the id

A NULL-able sort column makes "the rows after this cursor" an OR (earlier dates, or no date) that no
index answers; a never-NULL sort date makes it one range of the (sort_date, id) index.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UNKNOWN = "0001-01-01"  # app.models.SORT_DATE_UNKNOWN, written out as a migration must be


def upgrade() -> None:
    # ADD COLUMN rather than a batch copy, so that SQLite keeps the full-text triggers on article.
    op.add_column("article", sa.Column("sort_date", sa.Date(), server_default=UNKNOWN, nullable=False))
    op.execute(f"UPDATE article SET sort_date = coalesce(published_on, '{UNKNOWN}')")
    op.create_index("ix_article_sort_date_id", "article", ["sort_date", "id"])


def downgrade() -> None:
    op.drop_index("ix_article_sort_date_id", "article")
    op.drop_column("article", "sort_date")
