"""The stored counts of actors and topics, kept in step by the transaction that adds or removes
articles (so they are exactly what a COUNT would say, without reading whole tables on each request).

Both directions read the articles' own rows (their mentions, quotes and positions), so they need no
knowledge of how ingest resolved them: ``add_articles`` runs after the rows are written,
``remove_article`` before they are deleted. Ingest stores articles in groups and keeps the counts
once per group: each statement here covers every article of the group, which is what makes the
upkeep cheap next to the articles' own rows. Increments are UPDATE statements run in actor order, so
concurrent writers on PostgreSQL apply them one after another and never lock rows crosswise.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, distinct, func, insert, select, true, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import models
from app.db import prepared, run_prepared
from app.facets import month_of

_ACTOR = models.Actor.__table__
_TOPIC = models.Topic.__table__
_TALLY = models.Tally.__table__
_DAY = models.ArticleDay.__table__
_MONTH = models.ArticleMonth.__table__
_STANCE_MONTH = models.TopicStanceMonth.__table__
_ARTICLE = models.Article.__table__
_MENTION = models.Mention.__table__
_QUOTE = models.Quote.__table__
_POSITION = models.Position.__table__


@prepared
def _per_actor_statements() -> tuple[Any, Any, Any]:
    ids = bindparam("ids", expanding=True)
    return (
        select(_MENTION.c.actor_id, func.count(distinct(_MENTION.c.article_id)), func.count())
        .where(_MENTION.c.article_id.in_(ids))
        .group_by(_MENTION.c.actor_id),
        select(_QUOTE.c.speaker_id, func.count())
        .where(_QUOTE.c.article_id.in_(ids), _QUOTE.c.speaker_id.is_not(None))
        .group_by(_QUOTE.c.speaker_id),
        select(_POSITION.c.actor_id, func.count())
        .where(_POSITION.c.article_id.in_(ids))
        .group_by(_POSITION.c.actor_id),
    )


def _actor_deltas(session: Session, article_ids: list[int]) -> dict[int, list[int]]:
    """actor id → [articles, mentions, quotes, positions] these articles contribute."""
    deltas: dict[int, list[int]] = {}
    mentions, quotes, positions = _per_actor_statements()
    for actor_id, articles, n in session.execute(mentions, {"ids": article_ids}):
        deltas.setdefault(actor_id, [0, 0, 0, 0])[:2] = [articles, n]
    for actor_id, n in session.execute(quotes, {"ids": article_ids}):
        deltas.setdefault(actor_id, [0, 0, 0, 0])[2] = n
    for actor_id, n in session.execute(positions, {"ids": article_ids}):
        deltas.setdefault(actor_id, [0, 0, 0, 0])[3] = n
    return deltas


@prepared
def _increment_actor() -> Any:
    c = _ACTOR.c
    return (
        update(_ACTOR)
        .where(c.id == bindparam("actor"))
        .values(
            article_count=c.article_count + bindparam("articles"),
            mention_count=c.mention_count + bindparam("mentions"),
            quote_count=c.quote_count + bindparam("quotes"),
            position_count=c.position_count + bindparam("positions"),
        )
    )


def _apply_actor_deltas(session: Session, deltas: dict[int, list[int]], sign: int) -> None:
    rows = [
        {
            "actor": actor_id,
            "articles": sign * a,
            "mentions": sign * m,
            "quotes": sign * q,
            "positions": sign * p,
        }
        # A fixed order, so two writers never lock rows crosswise.
        for actor_id, (a, m, q, p) in sorted(deltas.items())
    ]
    if rows:
        session.execute(_increment_actor(), rows)


@prepared
def _refresh_topic(excluding: bool) -> Any:
    """Topic counts recomputed from their positions: a topic's positions are few and indexed."""
    position = _POSITION.c
    mine = [position.topic_id == bindparam("topic")]
    if excluding:
        mine.append(position.article_id != bindparam("excluded"))
    return (
        update(_TOPIC)
        .where(_TOPIC.c.id == bindparam("topic"))
        .values(
            position_count=select(func.count()).where(*mine).scalar_subquery(),
            actor_count=select(func.count(distinct(position.actor_id))).where(*mine).scalar_subquery(),
            article_count=select(func.count(distinct(position.article_id))).where(*mine).scalar_subquery(),
            latest_on=select(func.max(models.Article.published_on))
            .join(_POSITION, position.article_id == models.Article.id)
            .where(*mine)
            .scalar_subquery(),
        )
    )


@prepared
def _rank_topic() -> Any:
    """``argued_in`` from the counts just refreshed: one actor's story counts as one article."""
    c = _TOPIC.c
    return (
        update(_TOPIC)
        .where(c.id == bindparam("topic"))
        .values(argued_in=case((c.actor_count > 1, c.article_count), (c.article_count > 0, 1), else_=0))
    )


def _refresh_topics(session: Session, topic_ids: Iterable[int], excluded_article: int | None = None) -> None:
    extra = {} if excluded_article is None else {"excluded": excluded_article}
    rows = [{"topic": topic_id, **extra} for topic_id in sorted(set(topic_ids))]
    if rows:
        session.execute(_refresh_topic(excluded_article is not None), rows)
        session.execute(_rank_topic(), [{"topic": row["topic"]} for row in rows])


def _topic_actor_pairs(session: Session, condition: Any) -> set[tuple[int, int]]:
    position = models.Position
    rows = session.execute(select(position.topic_id, position.actor_id).where(condition).distinct())
    return {(topic_id, actor_id) for topic_id, actor_id in rows}


def _insert_topic_groups(session: Session, condition: Any) -> None:
    """``TopicGroup`` and ``TopicMonth`` rows made from the positions that meet ``condition``."""
    position = models.Position
    group = (position.topic_id, position.actor_id, position.stance)
    ranked = (
        select(
            *group,
            position.id,
            func.count().over(partition_by=group).label("n"),
            func.row_number()
            .over(
                partition_by=group,
                order_by=(position.sort_date.desc(), position.article_id.desc(), position.seq),
            )
            .label("newest"),
        )
        .where(condition)
        .subquery()
    )
    session.execute(
        insert(models.TopicGroup).from_select(
            ["topic_id", "actor_id", "stance", "latest_id", "position_count"],
            select(ranked.c.topic_id, ranked.c.actor_id, ranked.c.stance, ranked.c.id, ranked.c.n).where(
                ranked.c.newest == 1
            ),
        )
    )
    month = month_of(position.sort_date)
    session.execute(
        insert(models.TopicMonth).from_select(
            ["topic_id", "actor_id", "stance", "month", "position_count"],
            select(*group, month, func.count()).where(condition).group_by(*group, month),
        )
    )


def _refresh_topic_groups(
    session: Session, pairs: Collection[tuple[int, int]], excluded_article: int | None = None
) -> None:
    """``TopicGroup`` and ``TopicMonth`` rows of these (topic, actor) pairs made afresh from their
    positions (on the actor-and-topic index): articles change the groups of their own pairs only.
    Callers hold the topics' rows locked (``_refresh_topics`` updates them first), so that concurrent
    writers on one topic take turns."""
    if not pairs:
        return
    ordered = sorted(pairs)
    for table in (models.TopicGroup.__table__, models.TopicMonth.__table__):
        session.execute(delete(table).where(tuple_(table.c.topic_id, table.c.actor_id).in_(ordered)))
    position = models.Position
    mine = [tuple_(position.topic_id, position.actor_id).in_(ordered)]
    if excluded_article is not None:
        mine.append(position.article_id != excluded_article)
    _insert_topic_groups(session, and_(*mine))
    topics = sorted({topic_id for topic_id, _ in ordered})
    session.execute(delete(_STANCE_MONTH).where(_STANCE_MONTH.c.topic_id.in_(topics)))
    _insert_stance_months(session, models.TopicMonth.topic_id.in_(topics))


def _insert_stance_months(session: Session, condition: Any) -> None:
    """``TopicStanceMonth`` rows summed from the ``TopicMonth`` rows that meet ``condition``."""
    month = models.TopicMonth
    columns = (month.topic_id, month.month, month.stance)
    session.execute(
        insert(_STANCE_MONTH).from_select(
            ["topic_id", "month", "stance", "position_count"],
            select(*columns, func.sum(month.position_count)).where(condition).group_by(*columns),
        )
    )


@prepared
def _article_rows() -> Any:
    ids = bindparam("ids", expanding=True)
    return select(
        select(func.count()).where(_QUOTE.c.article_id.in_(ids)).scalar_subquery(),
        select(func.count()).where(_POSITION.c.article_id.in_(ids)).scalar_subquery(),
    )


@prepared
def _increment_tally() -> Any:
    return (
        update(_TALLY)
        .where(_TALLY.c.name == bindparam("tally"))
        .values(value=_TALLY.c.value + bindparam("n"))
    )


@prepared
def _article_days() -> Any:
    return (
        select(_ARTICLE.c.sort_date, func.count())
        .where(_ARTICLE.c.id.in_(bindparam("ids", expanding=True)))
        .group_by(_ARTICLE.c.sort_date)
        .order_by(_ARTICLE.c.sort_date)
    )


@prepared
def _increment_count(table: str, key: str, dialect: str) -> Any:
    """Add ``n`` to the ``article_count`` of the row keyed ``key``, made if there is none."""
    target = models.Base.metadata.tables[table]
    insert_or_add = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(target)
    return insert_or_add.values(
        {key: bindparam("key"), "article_count": bindparam("n")}
    ).on_conflict_do_update(
        index_elements=[key],
        set_={"article_count": target.c.article_count + insert_or_add.excluded.article_count},
    )


def _by_month(days: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    months: dict[Any, int] = {}
    for day, n in days:
        start = day.replace(day=1)
        months[start] = months.get(start, 0) + n
    return months


def _apply_days(session: Session, article_ids: list[int], sign: int) -> None:
    days = [(day, sign * n) for day, n in session.execute(_article_days(), {"ids": article_ids})]
    dialect = session.get_bind().dialect.name
    # Keys in order, so that two writers on PostgreSQL never lock these rows crosswise.
    for table, key, counts in (
        (_MONTH, "month", sorted(_by_month(days).items())),
        (_DAY, "sort_date", days),
    ):
        session.execute(_increment_count(table.name, key, dialect), [{"key": k, "n": n} for k, n in counts])
        if sign < 0:
            session.execute(delete(table).where(table.c.article_count <= 0))


def _apply_tallies(session: Session, article_ids: list[int], sign: int) -> None:
    _apply_days(session, article_ids, sign)
    quotes, positions = session.execute(_article_rows(), {"ids": article_ids}).one()
    session.execute(
        _increment_tally(),
        [
            {"tally": name, "n": sign * n}
            for name, n in (("article", len(article_ids)), ("position", positions), ("quote", quotes))
        ],
    )


@prepared
def _tally_statement() -> Any:
    return select(models.Tally.value).where(models.Tally.name == bindparam("name"))


def tally(session: Session, name: str) -> int:
    """The stored row count of a whole table: "article", "quote" or "position". Every unfiltered page
    asks for it: prepared, and on the connection, which skips the ORM's result handling."""
    return int(run_prepared(session.connection(), _tally_statement(), {"name": name}).scalar_one())


def _held_pairs(session: Session, actor_ids: list[int]) -> set[tuple[int, int]]:
    """The (topic, actor) pairs of these actors, in their positions and in their stored groups (which
    may have lost their positions to another actor)."""
    group = models.TopicGroup.__table__
    pairs = _topic_actor_pairs(session, models.Position.actor_id.in_(actor_ids))
    held = session.execute(
        select(group.c.topic_id, group.c.actor_id).where(group.c.actor_id.in_(actor_ids)).distinct()
    )
    return pairs | {(topic_id, actor_id) for topic_id, actor_id in held}


def add_articles(session: Session, article_ids: Collection[int], moved: Collection[int] = ()) -> None:
    """After the rows of these articles are written: their contribution added to the counts.

    ``moved`` are actors whose facts changed hands while the articles were stored (ingest's resolver
    merging two records or moving an article's facts), in these articles or older ones: increments
    cannot follow that, so those actors are counted and grouped afresh from their rows instead.
    """
    session.flush()
    ids = sorted(article_ids)
    again = sorted(moved)
    recount_actors(session, set(again))
    deltas = _actor_deltas(session, ids) if ids else {}
    for actor_id in again:
        deltas.pop(actor_id, None)
    _apply_actor_deltas(session, deltas, +1)
    pairs = _topic_actor_pairs(session, models.Position.article_id.in_(ids)) if ids else set()
    if again:
        pairs |= _held_pairs(session, again)
    _refresh_topics(session, (topic_id for topic_id, _ in pairs))
    _refresh_topic_groups(session, pairs)
    # Last, so that on PostgreSQL the one row every ingester updates is locked for the shortest time.
    if ids:
        _apply_tallies(session, ids, +1)


def remove_article(session: Session, article_id: int) -> None:
    """Before the article's rows are deleted: take its contribution back out."""
    _apply_actor_deltas(session, _actor_deltas(session, [article_id]), -1)
    pairs = _topic_actor_pairs(session, models.Position.article_id == article_id)
    _refresh_topics(session, (topic_id for topic_id, _ in pairs), excluded_article=article_id)
    _refresh_topic_groups(session, pairs, excluded_article=article_id)
    _apply_tallies(session, [article_id], -1)


def recount_actors(session: Session, actor_ids: set[int] | None = None) -> None:
    """Counts recomputed from the rows, for the given actors or all: after facts moved between actors
    (ingest's resolver merging two records), which increments cannot follow."""
    actor = _ACTOR
    mention, quote, position = models.Mention, models.Quote, models.Position
    statement = update(actor)
    if actor_ids is not None:
        if not actor_ids:
            return
        statement = statement.where(actor.c.id.in_(sorted(actor_ids)))
    session.execute(
        statement.values(
            mention_count=select(func.count()).where(mention.actor_id == actor.c.id).scalar_subquery(),
            article_count=select(func.count(distinct(mention.article_id)))
            .where(mention.actor_id == actor.c.id)
            .scalar_subquery(),
            quote_count=select(func.count()).where(quote.speaker_id == actor.c.id).scalar_subquery(),
            position_count=select(func.count()).where(position.actor_id == actor.c.id).scalar_subquery(),
        )
    )


def regroup_actors(session: Session, actor_ids: set[int]) -> None:
    """Topic groups and timelines of these actors made afresh: after positions moved between actors
    (ingest's resolver merging two records or moving an article's facts)."""
    if not actor_ids:
        return
    pairs = _held_pairs(session, sorted(actor_ids))
    _refresh_topics(session, (topic_id for topic_id, _ in pairs))
    _refresh_topic_groups(session, pairs)


def recount_all(session: Session) -> None:
    """Every stored count recomputed from the rows: for data written behind ingest's back (bulk copies)."""
    recount_actors(session)
    _refresh_topics(session, session.execute(select(models.Topic.id)).scalars())
    session.execute(delete(models.TopicGroup))
    session.execute(delete(models.TopicMonth))
    session.execute(delete(_STANCE_MONTH))
    _insert_topic_groups(session, true())
    _insert_stance_months(session, true())
    session.execute(delete(_DAY))
    session.execute(delete(_MONTH))
    session.execute(
        insert(_DAY).from_select(
            ["sort_date", "article_count"],
            select(_ARTICLE.c.sort_date, func.count()).group_by(_ARTICLE.c.sort_date),
        )
    )
    months = _by_month(session.execute(select(_DAY.c.sort_date, _DAY.c.article_count)).all())
    if months:
        session.execute(insert(_MONTH), [{"month": m, "article_count": n} for m, n in sorted(months.items())])
    tally = _TALLY
    for model in (models.Article, models.Quote, models.Position):
        total = select(func.count()).select_from(model).scalar_subquery()
        session.execute(update(tally).where(tally.c.name == model.__tablename__).values(value=total))
