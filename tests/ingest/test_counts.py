"""Stored counts of actors and topics equal what COUNT queries say, after adds and deletes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, distinct, func, select, update

from app import models
from app.counts import recount_all
from app.db import write_session
from app.ingest import delete_article
from tests.builders import make_article, peskov_article


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
                latest,
            )
            topics[topic.label] = (*expected_topic, topic.position_count, topic.actor_count, topic.latest_on)
    return actors, topics


def assert_consistent(engine: Engine) -> None:
    with engine.connect() as connection:
        for model in (models.Article, models.Quote, models.Position):
            table = model.__tablename__
            stored = connection.execute(
                select(models.Tally.value).where(models.Tally.name == table)
            ).scalar_one()
            assert stored == connection.execute(select(func.count()).select_from(model)).scalar_one(), table
    actors, topics = recounted(engine)
    for name, values in actors.items():
        assert values[:4] == values[4:], name
    for label, values in topics.items():
        assert values[:3] == values[3:], label


def test_counts_follow_adds_and_deletes(engine: Engine) -> None:
    first = peskov_article(engine, published_on=dt.date(2025, 1, 1))
    second = peskov_article(engine, published_on=dt.date(2025, 2, 1), stance="support")
    make_article(engine, title="No facts")
    assert_consistent(engine)
    actors, topics = recounted(engine)
    assert actors["Dmitry Peskov"][:4] == (2, 4, 2, 0)
    assert topics["foreign troops in Ukraine"][:3] == (2, 1, dt.date(2025, 2, 1))

    with write_session(engine) as session:
        delete_article(session, second)
    assert_consistent(engine)
    actors, topics = recounted(engine)
    assert actors["Dmitry Peskov"][:4] == (1, 2, 1, 0)
    assert topics["foreign troops in Ukraine"][:3] == (1, 1, dt.date(2025, 1, 1))

    with write_session(engine) as session:
        session.execute(update(models.Actor).values(mention_count=99))
        session.execute(update(models.Tally).values(value=7))
        recount_all(session)
    assert_consistent(engine)

    with write_session(engine) as session:
        delete_article(session, first)
    actors, topics = recounted(engine)
    assert actors == {} and topics == {}
