"""Every table. The schema itself is made only by the Alembic migrations in ``migrations/``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Quotes and positions of undated articles sort as the oldest.
SORT_DATE_UNKNOWN = dt.date(1, 1, 1)

FIELD_CHECK = "field IN ('title', 'standfirst', 'caption', 'body')"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware on the way out on every database (SQLite keeps no offset), UTC on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return None if value is None else value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    section: Mapped[str | None] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(Text)
    standfirst: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    photo_credit: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="en")
    extractor_version: Mapped[str] = mapped_column(String(32))
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # published_on, or SORT_DATE_UNKNOWN: never NULL, so a cursor continues by one index range.
    sort_date: Mapped[dt.date] = mapped_column(Date, server_default=SORT_DATE_UNKNOWN.isoformat())

    quotes: Mapped[list[Quote]] = relationship(
        back_populates="article", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="article", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    positions: Mapped[list[Position]] = relationship(
        back_populates="article", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_article_published_on_id", "published_on", "id"),
        Index("ix_article_sort_date_id", "sort_date", "id"),
    )


class Actor(Base):
    __tablename__ = "actor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    normalized_name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"), index=True)
    affiliation_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))
    wikidata_id: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    # Kept by app/counts.py in each article's transaction, so lists sort by them without counting.
    article_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    quote_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    position_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    mention_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)

    aliases: Mapped[list[ActorAlias]] = relationship(back_populates="actor", lazy="raise")
    roles: Mapped[list[ActorRole]] = relationship(
        back_populates="actor", lazy="raise", foreign_keys="ActorRole.actor_id"
    )

    __table_args__ = (
        UniqueConstraint("kind", "normalized_name", name="uq_actor_kind_normalized_name"),
        CheckConstraint("kind IN ('person', 'organization', 'country', 'group')", name="kind"),
    )


class ActorAlias(Base):
    __tablename__ = "actor_alias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300), index=True)

    actor: Mapped[Actor] = relationship(back_populates="aliases", lazy="raise")

    __table_args__ = (UniqueConstraint("actor_id", "normalized", name="uq_actor_alias_actor_id_normalized"),)


class ActorRole(Base):
    __tablename__ = "actor_role"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    seen_on: Mapped[dt.date | None] = mapped_column(Date)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))
    """The country and affiliation the article gave with this title: the evidence an actor's own are
    chosen from, whatever the order articles arrive in."""
    affiliation_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))

    actor: Mapped[Actor] = relationship(back_populates="roles", lazy="raise", foreign_keys=[actor_id])

    __table_args__ = (
        UniqueConstraint("actor_id", "article_id", "title", name="uq_actor_role_actor_id_article_id_title"),
    )


class Mention(Base):
    __tablename__ = "mention"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(12))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))

    article: Mapped[Article] = relationship(back_populates="mentions", lazy="raise")

    __table_args__ = (CheckConstraint(FIELD_CHECK, name="field"),)


class Quote(Base):
    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"), index=True)
    speaker_text: Mapped[str | None] = mapped_column(String(300))
    speaker_field: Mapped[str | None] = mapped_column(String(12))
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    cue: Mapped[str | None] = mapped_column(String(200))
    cue_field: Mapped[str | None] = mapped_column(String(12))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(12))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    # The article's date (SORT_DATE_UNKNOWN when it has none), copied so that newest-first lists of
    # quotes follow an index instead of sorting every quote through a join.
    sort_date: Mapped[dt.date] = mapped_column(Date, server_default=SORT_DATE_UNKNOWN.isoformat())

    article: Mapped[Article] = relationship(back_populates="quotes", lazy="raise")

    __table_args__ = (
        UniqueConstraint("article_id", "seq", name="uq_quote_article_id_seq"),
        CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="kind"),
        CheckConstraint(FIELD_CHECK, name="field"),
    )


class Topic(Base):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    position_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    actor_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    article_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Articles with a position on the topic."""
    argued_in: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """``article_count``, except that a topic only one actor argues counts as one article: how large
    it is to a reader (``/topics`` sorts by it; see ``TopicSort.articles``). Stored, so that the list
    reads its index instead of sorting every topic by the expression (0.03 against 0.2 ms for 1,214
    topics on SQLite, growing with the topics)."""
    concept: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Whether the topic was made from a concept of ``extraction/data/topics.json`` (an issue by
    construction) rather than a claim's head phrase: among topics argued in as many articles,
    concepts are listed first."""
    latest_on: Mapped[dt.date | None] = mapped_column(Date, index=True)

    __table_args__ = (Index("ix_topic_argued_in_concept", "argued_in", "concept"),)


class Position(Base):
    __tablename__ = "position"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id", ondelete="SET NULL"))
    stance: Mapped[str] = mapped_column(String(10), index=True)
    claim: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(12))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    evidence_field: Mapped[str] = mapped_column(String(12))
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    sort_date: Mapped[dt.date] = mapped_column(Date, server_default=SORT_DATE_UNKNOWN.isoformat())

    article: Mapped[Article] = relationship(back_populates="positions", lazy="raise")

    __table_args__ = (
        UniqueConstraint("article_id", "seq", name="uq_position_article_id_seq"),
        CheckConstraint(
            "stance IN ('support', 'oppose', 'demand', 'propose', 'warn', 'neutral')", name="stance"
        ),
        CheckConstraint(FIELD_CHECK, name="field"),
    )


class TopicGroup(Base):
    """The positions of one actor with one stance on one topic: how many, and the newest (by date,
    article, order in it). Kept by app/counts.py in each article's transaction, so that "who stands
    where" reads a topic's groups instead of ranking all its positions on each request."""

    __tablename__ = "topic_group"

    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    stance: Mapped[str] = mapped_column(String(10), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True)
    position_count: Mapped[int] = mapped_column(Integer)
    latest_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"), index=True)


class TopicMonth(Base):
    """Positions per topic, actor, stance and month of their date (``YYYY-MM``; ``0001-01`` when the
    article has none): a topic's timeline, kept like ``TopicGroup``."""

    __tablename__ = "topic_month"

    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True)
    stance: Mapped[str] = mapped_column(String(10), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    position_count: Mapped[int] = mapped_column(Integer)


class TopicStanceMonth(Base):
    """Positions per topic, stance and month by every actor: a topic's default timeline, summed from
    its ``TopicMonth`` rows whenever they change. Summing them on each request took SQLite 0.29 ms of
    the answer's 1.1 on the benchmark's largest topic (736 rows into 134)."""

    __tablename__ = "topic_stance_month"

    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    stance: Mapped[str] = mapped_column(String(10), primary_key=True)
    position_count: Mapped[int] = mapped_column(Integer)


class ArticleDay(Base):
    """Articles per ``sort_date``, kept by the ingest transaction like ``Tally``: a page deep in the
    unfiltered list by offset (``page=2000``) starts from the day its first row falls on, instead of
    reading the 40,000 rows before it on every request."""

    __tablename__ = "article_day"

    sort_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    article_count: Mapped[int] = mapped_column(Integer)


class ArticleMonth(Base):
    """Articles per month of ``sort_date`` (its first day), kept with ``ArticleDay``: the month a deep
    page falls in is found from a row per month, and its day from that month's days. Summing the
    running total over every day instead took SQLite 3.8 ms for 2,115 days."""

    __tablename__ = "article_month"

    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    article_count: Mapped[int] = mapped_column(Integer)


class Tally(Base):
    """Row counts of whole tables ("article", "quote", "position"), kept by the ingest transaction:
    an unfiltered list answers its total without counting 10^5 rows on every request."""

    __tablename__ = "tally"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


# Newest first, and in article order within an article: the ORDER BY of quote and position lists.
Index("ix_quote_newest", Quote.sort_date.desc(), Quote.article_id.desc(), Quote.id)
Index("ix_quote_speaker_newest", Quote.speaker_id, Quote.sort_date.desc(), Quote.article_id.desc(), Quote.id)
Index("ix_position_newest", Position.sort_date.desc(), Position.article_id.desc(), Position.seq)
# An actor's earlier positions on a topic: the stance history.
Index(
    "ix_position_history",
    Position.actor_id,
    Position.topic_id,
    Position.sort_date,
    Position.article_id,
    Position.seq,
)
# A topic's detail read from these alone: its groups ranked per stance, its timeline per month and stance.
Index(
    "ix_topic_group_rank",
    TopicGroup.topic_id,
    TopicGroup.stance,
    TopicGroup.position_count.desc(),
    TopicGroup.actor_id,
    TopicGroup.latest_id,
)
Index(
    "ix_topic_month_timeline",
    TopicMonth.topic_id,
    TopicMonth.month,
    TopicMonth.stance,
    TopicMonth.position_count,
)


__all__ = [
    "Actor",
    "ActorAlias",
    "ActorRole",
    "Article",
    "Base",
    "Mention",
    "Position",
    "Quote",
    "Topic",
    "TopicGroup",
    "TopicMonth",
    "TopicStanceMonth",
]
