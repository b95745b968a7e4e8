"""Stored counts of actors and topics, and topic groups and timelines, equal what the rows say, after
adds, deletes and actor records merging."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, distinct, func, select, update

from app import models
from app.counts import recount_all
from app.db import write_session
from app.ingest import IngestSummary, Pending, delete_article, store_article, store_group
from tests.builders import (
    actor,
    find,
    make_article,
    pending,
    peskov_article,
    peskov_pending,
    troops_position,
)


def recounted(engine: Engine) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[object, ...]]]:
    with engine.connect() as connection:
        actors = {}
        for actor in connection.execute(select(models.Actor)).all():
            mentions = select(func.count()).where(models.Mention.actor_id == actor.id)
            articles = select(func.count(distinct(models.Mention.article_id))).where(
                models.Mention.actor_id == actor.id
            )
            quotes = select(func.count()).where(models.Quote.speaker_id == actor.id)
            positions = select(func.count()).where(models.Position.actor_id == actor.id)
            expected = tuple(
                connection.execute(q).scalar_one() for q in (articles, mentions, quotes, positions)
            )
            stored = (actor.article_count, actor.mention_count, actor.quote_count, actor.position_count)
            actors[actor.name] = (*expected, *stored)
        topics = {}
        for topic in connection.execute(select(models.Topic)).all():
            mine = models.Position.topic_id == topic.id
            latest = connection.execute(
                select(func.max(models.Article.published_on)).join(models.Position).where(mine)
            ).scalar_one()
            expected_topic = (
                connection.execute(select(func.count()).where(mine)).scalar_one(),
                connection.execute(
                    select(func.count(distinct(models.Position.actor_id))).where(mine)
                ).scalar_one(),
                connection.execute(
                    select(func.count(distinct(models.Position.article_id))).where(mine)
                ).scalar_one(),
                latest,
            )
            _, actors_, articles_, _ = expected_topic
            # As /topics ranks it: a topic one actor argues counts as one article.
            expected_topic += (articles_ if actors_ > 1 else min(articles_, 1),)
            stored_topic = (
                topic.position_count,
                topic.actor_count,
                topic.article_count,
                topic.latest_on,
                topic.argued_in,
            )
            topics[topic.label] = (*expected_topic, *stored_topic)
    return actors, topics


def topic_groups(connection: Connection) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """What ``TopicGroup`` and ``TopicMonth`` should hold, worked out here from the positions."""
    position = models.Position
    rows = connection.execute(
        select(
            position.topic_id,
            position.actor_id,
            position.stance,
            position.sort_date,
            position.article_id,
            position.seq,
            position.id,
        )
    ).all()
    grouped: dict[tuple[int, int, str], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.topic_id, row.actor_id, row.stance].append(row)
    groups = {
        (*key, len(members), max(members, key=lambda r: (r.sort_date, r.article_id, -r.seq)).id)
        for key, members in grouped.items()
    }
    months = Counter(
        (r.topic_id, r.actor_id, r.stance, f"{r.sort_date.year:04d}-{r.sort_date.month:02d}") for r in rows
    )
    return groups, {(*key, n) for key, n in months.items()}


def stored_topic_groups(connection: Connection) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    group, month = models.TopicGroup, models.TopicMonth
    groups = connection.execute(
        select(group.topic_id, group.actor_id, group.stance, group.position_count, group.latest_id)
    ).all()
    months = connection.execute(
        select(month.topic_id, month.actor_id, month.stance, month.month, month.position_count)
    ).all()
    return {tuple(row) for row in groups}, {tuple(row) for row in months}


def assert_consistent(engine: Engine) -> None:
    with engine.connect() as connection:
        for model in (models.Article, models.Quote, models.Position):
            table = model.__tablename__
            stored = connection.execute(
                select(models.Tally.value).where(models.Tally.name == table)
            ).scalar_one()
            assert stored == connection.execute(select(func.count()).select_from(model)).scalar_one(), table
        days = Counter(connection.execute(select(models.Article.sort_date)).scalars())
        stored_days = select(models.ArticleDay.sort_date, models.ArticleDay.article_count)
        assert dict(connection.execute(stored_days).all()) == days
        months = Counter(day.replace(day=1) for day in days.elements())
        stored_months = select(models.ArticleMonth.month, models.ArticleMonth.article_count)
        assert dict(connection.execute(stored_months).all()) == months
    actors, topics = recounted(engine)
    for name, values in actors.items():
        assert values[:4] == values[4:], name
    for label, values in topics.items():
        assert values[:5] == values[5:], label
    with engine.connect() as connection:
        assert stored_topic_groups(connection) == topic_groups(connection)
        stance_months: Counter[tuple[Any, ...]] = Counter()
        for topic_id, _, stance, month, n in topic_groups(connection)[1]:
            stance_months[topic_id, month, stance] += n
        stance_month = models.TopicStanceMonth
        stored = connection.execute(
            select(
                stance_month.topic_id, stance_month.month, stance_month.stance, stance_month.position_count
            )
        ).all()
        assert {(*key, n) for key, n in stance_months.items()} == {tuple(row) for row in stored}


def test_counts_follow_adds_and_deletes(engine: Engine) -> None:
    first = peskov_article(engine, published_on=dt.date(2025, 1, 1))
    second = peskov_article(engine, published_on=dt.date(2025, 2, 1), stance="support")
    make_article(engine, title="No facts")
    assert_consistent(engine)
    actors, topics = recounted(engine)
    assert actors["Dmitry Peskov"][:4] == (2, 4, 2, 0)
    assert topics["foreign troops in Ukraine"][:4] == (2, 1, 2, dt.date(2025, 2, 1))

    with write_session(engine) as session:
        delete_article(session, second)
    assert_consistent(engine)
    actors, topics = recounted(engine)
    assert actors["Dmitry Peskov"][:4] == (1, 2, 1, 0)
    assert topics["foreign troops in Ukraine"][:4] == (1, 1, 1, dt.date(2025, 1, 1))

    with write_session(engine) as session:
        session.execute(update(models.Actor).values(mention_count=99))
        session.execute(update(models.Tally).values(value=7))
        session.execute(update(models.TopicGroup).values(position_count=99))
        session.execute(models.TopicMonth.__table__.delete())
        session.execute(update(models.ArticleDay).values(article_count=5))
        session.execute(models.ArticleMonth.__table__.delete())
        session.execute(update(models.TopicStanceMonth).values(position_count=99))
        session.execute(update(models.Topic).values(argued_in=99))
        recount_all(session)
    assert_consistent(engine)

    with write_session(engine) as session:
        delete_article(session, first)
    actors, topics = recounted(engine)
    assert actors == {} and topics == {}


def blair_article(engine: Engine, body: str, names: tuple[str, ...], stance: str | None, day: int) -> int:
    """An article naming Blair as ``names``, where he takes ``stance`` (if any) on troops in Ukraine."""
    document, digest, facts = blair_pending(body, names, stance, day)
    with write_session(engine) as session:
        return store_article(session, document, facts, digest).id


def blair_pending(body: str, names: tuple[str, ...], stance: str | None, day: int) -> Pending:
    blair = actor(names[0], mentions=tuple(find(body, name) for name in names), aliases=names)
    positions = ()
    if stance is not None:
        positions = (troops_position(body, stance, f"{names[-1]} {stance}s sending troops to Ukraine"),)
    return pending(body=body, published_on=dt.date(2025, 1, day), actors=(blair,), positions=positions)


@pytest.mark.parametrize("bare_first", [False, True])
def test_topic_groups_follow_positions_moved_by_a_merge(engine: Engine, bare_first: bool) -> None:
    # Ingested first, the bare "Blair" gets a record of its own with the position; "Tony Blair", in an
    # article with no position at all, then absorbs it: the groups change in that second transaction.
    full = "Prime Minister Tony Blair spoke. Blair went home."
    bare = "Blair supports sending troops to Ukraine."
    writers = [
        lambda: blair_article(engine, full, ("Tony Blair", "Blair"), None, 2),
        lambda: blair_article(engine, bare, ("Blair",), "support", 3),
    ]
    for write in reversed(writers) if bare_first else writers:
        write()
        assert_consistent(engine)
    with engine.connect() as connection:
        groups, months = stored_topic_groups(connection)
        actors = dict(connection.execute(select(models.Actor.id, models.Actor.name)).all())
    assert list(actors.values()) == ["Tony Blair"]
    assert [(actors[actor_id], stance, n) for _, actor_id, stance, n, _ in groups] == [
        ("Tony Blair", "support", 1)
    ]
    assert [(month, stance, n) for _, _, stance, month, n in months] == [("2025-01", "support", 1)]


def test_articles_stored_in_one_group_keep_the_counts_of_articles_stored_alone(engine: Engine) -> None:
    # One transaction for the group, whose counts are kept once: in it "Tony Blair" absorbs the bare
    # "Blair" record of an earlier article, with its position, and Peskov's quote is a position's evidence.
    blair_article(engine, "Blair supports sending troops to Ukraine.", ("Blair",), "support", 3)
    group = [
        peskov_pending(dt.date(2025, 1, 1), quoted=True),
        blair_pending("Prime Minister Tony Blair spoke. Blair went home.", ("Tony Blair", "Blair"), None, 2),
        pending(title="No facts"),
        peskov_pending(dt.date(2025, 2, 1), stance="support"),
    ]
    summary = IngestSummary()
    store_group(engine, group, summary)
    assert (summary.new, summary.failed, summary.quotes, summary.positions) == (4, 0, 2, 2)
    assert_consistent(engine)
    actors, topics = recounted(engine)
    assert sorted(actors) == ["Dmitry Peskov", "Kremlin", "Russia", "Tony Blair", "Ukraine"]
    assert actors["Dmitry Peskov"][:4] == (2, 4, 2, 0)
    assert actors["Tony Blair"][:4] == (2, 3, 0, 1)
    assert topics["foreign troops in Ukraine"][:4] == (3, 2, 3, dt.date(2025, 2, 1))
    with engine.connect() as connection:
        evidence = connection.execute(
            select(models.Quote.content)
            .join(models.Position, models.Position.quote_id == models.Quote.id)
            .order_by(models.Position.id)
        ).scalars()
        assert list(evidence) == ["This causes concern for us,"]
