"""article_day: articles per sort date, so that a deep page by offset starts at its day

``GET /articles?page=2000`` stepped over 40,000 index entries before its 20 rows: 18 % of the
benchmark's ceiling on SQLite and 2 % on PostgreSQL. With the number of articles per month and per day, kept
by the ingest transaction (app/counts.py) and filled here for what is stored already, the page
starts from the day its first row falls on: found from a row per month, then that month's days.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_day",
        sa.Column("sort_date", sa.Date(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sort_date", name=op.f("pk_article_day")),
    )
    op.create_table(
        "article_month",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_article_month")),
    )
    op.execute(
        "INSERT INTO article_day (sort_date, article_count) "
        "SELECT sort_date, count(*) FROM article GROUP BY sort_date"
    )
    # Months from the days in Python: the two databases spell "the month of a date" differently.
    months: dict[dt.date, int] = {}
    for day, n in op.get_bind().execute(sa.text("SELECT sort_date, article_count FROM article_day")):
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        start = day.replace(day=1)
        months[start] = months.get(start, 0) + n
    if months:
        table = sa.table("article_month", sa.column("month", sa.Date()), sa.column("article_count"))
        op.bulk_insert(table, [{"month": m, "article_count": n} for m, n in sorted(months.items())])


def downgrade() -> None:
    op.drop_table("article_month")
    op.drop_table("article_day")
