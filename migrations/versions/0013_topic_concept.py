"""topic.concept: among topics argued in as many articles, concepts are listed first

A topic made from a concept of ``extraction/data/topics.json`` (troops, sanctions, interest rates,
tariffs, takeovers, ...) is an issue by construction; one made from a claim's head phrase often is
not ("set top box", "severance package"). On the BBC halves only about ten topics are argued in more
than one article, so most of the twenty largest are one-article topics, which the actors, positions
and label ordered with little sense; ``/topics`` and the corpus report now rank concepts first among
them. Ingest sets the column when it makes a topic; the index serves the default order.

Stored topics are filled from their keys: a concept's key starts with the concept's key (``troops``,
``interest rates|...``), a head phrase's with its lemmas. The concepts are listed here as they were
when this was written, so that the migration does not change with the data file. A head phrase whose
first words are exactly a concept's key would be read as the concept; the extractor is not known to
make one (a concept's word in another sense keeps its modifier: "trade war", "air strike").

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CONCEPTS = (
    "membership",
    "troops",
    "ceasefire",
    "sanctions",
    "arms control",
    "weapons",
    "immigration",
    "interest rates",
    "smoking ban",
    "id cards",
    "hunting ban",
    "tariffs",
    "oil output",
    "takeover",
    "job cuts",
    "pensions",
    "exchange rates",
    "budget deficit",
    "taxes",
    "privatisation",
    "war",
    "strikes",
)


def upgrade() -> None:
    op.add_column("topic", sa.Column("concept", sa.Boolean(), server_default=sa.false(), nullable=False))
    topic = sa.table("topic", sa.column("key", sa.String), sa.column("concept", sa.Boolean))
    is_concept = sa.or_(*(sa.or_(topic.c.key == c, topic.c.key.startswith(f"{c}|")) for c in CONCEPTS))
    op.execute(topic.update().where(is_concept).values(concept=True))
    op.drop_index("ix_topic_argued_in", table_name="topic")
    op.create_index("ix_topic_argued_in_concept", "topic", ["argued_in", "concept"])


def downgrade() -> None:
    op.create_index("ix_topic_argued_in", "topic", ["argued_in"])
    op.drop_index("ix_topic_argued_in_concept", table_name="topic")
    op.drop_column("topic", "concept")
