"""The stored counts of actors and topics, kept in step by the transaction that adds or removes an
article (so they are exactly what a COUNT would say, without reading whole tables on each request).

Both functions read the article's own rows (its mentions, quotes and positions), so they need no
knowledge of how ingest resolved them: ``add_article`` runs after the rows are written,
``remove_article`` before they are deleted. Increments are single UPDATE statements, which concurrent
writers on PostgreSQL apply one after another on the row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, distinct, func, insert, select, true, update
from sqlalchemy.orm import Session

from app import models
from app.facets import month_of


def _actor_deltas(session: Session, article_id: int) -> dict[int, list[int]]:
    """actor id → [articles, mentions, quotes, positions] this article contributes."""
    deltas: dict[int, list[int]] = {}
    mentions = session.execute(
        select(models.Mention.actor_id, func.count())
        .where(models.Mention.article_id == article_id)
        .group_by(models.Mention.actor_id)
    ).all()
    for actor_id, n in mentions:
        deltas.setdefault(actor_id, [0, 0, 0, 0])[:2] = [1, n]
    quotes = session.execute(
        select(models.Quote.speaker_id, func.count())
        .where(models.Quote.article_id == article_id, models.Quote.speaker_id.is_not(None))
        .group_by(models.Quote.speaker_id)
    ).all()
    for actor_id, n in quotes:
        deltas.setdefault(actor_id, [0, 0, 0, 0])[2] = n
    positions = session.execute(
        select(models.Position.actor_id, func.count())
        .where(models.Position.article_id == article_id)
        .group_by(models.Position.actor_id)
    ).all()
    for actor_id, n in positions:
        deltas.setdefault(actor_id, [0, 0, 0, 0])[3] = n
    return deltas


def _apply_actor_deltas(session: Session, deltas: dict[int, list[int]], sign: int) -> None:
    actor = models.Actor.__table__
    for actor_id in sorted(deltas):  # a fixed order, so two writers never lock rows crosswise
        articles, mentions, quotes, positions = deltas[actor_id]
        session.execute(
            update(actor)
            .where(actor.c.id == actor_id)
            .values(
                article_count=actor.c.article_count + sign * articles,
                mention_count=actor.c.mention_count + sign * mentions,
                quote_count=actor.c.quote_count + sign * quotes,
                position_count=actor.c.position_count + sign * positions,
            )
        )


def _topic_ids(session: Session, article_id: int) -> list[int]:
    return sorted(
        session.execute(
            select(models.Position.topic_id).where(models.Position.article_id == article_id).distinct()
        ).scalars()
    )


def _refresh_topics(session: Session, topic_ids: list[int], excluded_article: int | None = None) -> None:
    """Topic counts recomputed from their positions: a topic's positions are few and indexed."""
    position = models.Position
    topic = models.Topic.__table__
    for topic_id in topic_ids:
        mine = [position.topic_id == topic_id]
        if excluded_article is not None:
            mine.append(position.article_id != excluded_article)
        session.execute(
            update(topic)
            .where(topic.c.id == topic_id)
            .values(
                position_count=select(func.count()).where(*mine).scalar_subquery(),
                actor_count=select(func.count(distinct(position.actor_id))).where(*mine).scalar_subquery(),
                latest_on=select(func.max(models.Article.published_on))
                .join(position, position.article_id == models.Article.id)
                .where(*mine)
                .scalar_subquery(),
            )
        )


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
    session: Session, pairs: set[tuple[int, int]], excluded_article: int | None = None
) -> None:
    """``TopicGroup`` and ``TopicMonth`` rows of these (topic, actor) pairs made afresh from their
    positions (on the actor-and-topic index): an article changes the groups of its own pairs only.
    Callers hold the topics' rows locked (``_refresh_topics`` updates them first), so that concurrent
    writers on one topic take turns."""
    position = models.Position
    for topic_id, actor_id in sorted(pairs):
        for table in (models.TopicGroup.__table__, models.TopicMonth.__table__):
            session.execute(delete(table).where(table.c.topic_id == topic_id, table.c.actor_id == actor_id))
        mine = [position.topic_id == topic_id, position.actor_id == actor_id]
        if excluded_article is not None:
            mine.append(position.article_id != excluded_article)
        _insert_topic_groups(session, and_(*mine))


def _apply_tallies(session: Session, article_id: int, sign: int) -> None:
    rows = {
        "article": 1,
        "quote": session.execute(
            select(func.count()).where(models.Quote.article_id == article_id)
        ).scalar_one(),
        "position": session.execute(
            select(func.count()).where(models.Position.article_id == article_id)
        ).scalar_one(),
    }
    tally = models.Tally.__table__
    for name, n in rows.items():
        session.execute(update(tally).where(tally.c.name == name).values(value=tally.c.value + sign * n))


def tally(session: Session, name: str) -> int:
    """The stored row count of a whole table: "article", "quote" or "position"."""
    return int(session.execute(select(models.Tally.value).where(models.Tally.name == name)).scalar_one())


def add_article(session: Session, article_id: int) -> None:
    session.flush()
    _apply_actor_deltas(session, _actor_deltas(session, article_id), +1)
    _refresh_topics(session, _topic_ids(session, article_id))
    _refresh_topic_groups(session, _topic_actor_pairs(session, models.Position.article_id == article_id))
    # Last, so that on PostgreSQL the one row every ingester updates is locked for the shortest time.
    _apply_tallies(session, article_id, +1)


def remove_article(session: Session, article_id: int) -> None:
    """Before the article's rows are deleted: take its contribution back out."""
    _apply_actor_deltas(session, _actor_deltas(session, article_id), -1)
    _refresh_topics(session, _topic_ids(session, article_id), excluded_article=article_id)
    pairs = _topic_actor_pairs(session, models.Position.article_id == article_id)
    _refresh_topic_groups(session, pairs, excluded_article=article_id)
    _apply_tallies(session, article_id, -1)


def recount_actors(session: Session, actor_ids: set[int] | None = None) -> None:
    """Counts recomputed from the rows, for the given actors or all: after facts moved between actors
    (ingest's resolver merging two records), which increments cannot follow."""
    actor = models.Actor.__table__
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
    group = models.TopicGroup.__table__
    pairs = _topic_actor_pairs(session, models.Position.actor_id.in_(sorted(actor_ids)))
    held = session.execute(
        select(group.c.topic_id, group.c.actor_id).where(group.c.actor_id.in_(sorted(actor_ids))).distinct()
    )
    pairs |= {(topic_id, actor_id) for topic_id, actor_id in held}
    _refresh_topics(session, sorted({topic_id for topic_id, _ in pairs}))
    _refresh_topic_groups(session, pairs)


def recount_all(session: Session) -> None:
    """Every stored count recomputed from the rows: for data written behind ingest's back (bulk copies)."""
    recount_actors(session)
    _refresh_topics(session, list(session.execute(select(models.Topic.id)).scalars()))
    session.execute(delete(models.TopicGroup))
    session.execute(delete(models.TopicMonth))
    _insert_topic_groups(session, true())
    tally = models.Tally.__table__
    for model in (models.Article, models.Quote, models.Position):
        total = select(func.count()).select_from(model).scalar_subquery()
        session.execute(update(tally).where(tally.c.name == model.__tablename__).values(value=total))
