from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app import models
from app.facets import month_of
from app.positions import service as positions
from app.schemas import ActorRef
from app.topics.schemas import StanceGroup, TimelinePoint, TopicActor, TopicDetail, TopicSort, TopicSummary

UNKNOWN_MONTH = models.SORT_DATE_UNKNOWN.strftime("%Y-%m")
STANCE_ORDER = ("support", "propose", "demand", "oppose", "warn", "neutral")


def _base() -> Select[Any]:
    return select(
        models.Topic.id,
        models.Topic.slug,
        models.Topic.label,
        models.Topic.position_count.label("n_positions"),
        models.Topic.actor_count.label("n_actors"),
        models.Topic.latest_on.label("latest"),
    )


def _summary(row: Any) -> TopicSummary:
    return TopicSummary(
        id=row.id,
        slug=row.slug,
        label=row.label,
        positions=row.n_positions,
        actors=row.n_actors,
        latest=row.latest,
    )


def list_topics(
    session: Session, q: str | None, sort: TopicSort, offset: int, limit: int
) -> tuple[list[TopicSummary], int]:
    statement = _base()
    count = select(func.count()).select_from(models.Topic)
    if q:
        condition = func.lower(models.Topic.label).contains(q.lower(), autoescape=True)
        statement, count = statement.where(condition), count.where(condition)
    topic = models.Topic
    order = {
        TopicSort.activity: (topic.position_count.desc(), topic.label),
        TopicSort.latest: (topic.latest_on.desc().nulls_last(), topic.label),
        TopicSort.label: (topic.label,),
    }[sort]
    rows = session.execute(statement.order_by(*order, topic.id).offset(offset).limit(limit)).all()
    return [_summary(row) for row in rows], int(session.execute(count).scalar_one())


def get_topic(session: Session, topic_id: int, actors_per_stance: int) -> TopicDetail:
    """Who stands where; each stance lists its ``actors_per_stance`` most active actors, so that a topic
    with hundreds of actors still answers a page a person reads (and quickly)."""
    summary = _summary(session.execute(_base().where(models.Topic.id == topic_id)).one())
    position = models.Position
    mine = position.topic_id == topic_id
    pair = (position.stance, position.actor_id)
    newest_first = (position.sort_date.desc(), position.article_id.desc(), position.seq)
    ranked = (
        select(
            position.id,
            position.stance,
            position.actor_id,
            func.count().over(partition_by=pair).label("n"),
            func.row_number().over(partition_by=pair, order_by=newest_first).label("rank"),
        )
        .where(mine)
        .subquery()
    )
    every_group = session.execute(
        select(ranked.c.id, ranked.c.stance, ranked.c.actor_id, ranked.c.n).where(ranked.c.rank == 1)
    ).all()
    per_stance: dict[str, list[Any]] = defaultdict(list)
    for row in every_group:
        per_stance[row.stance].append(row)
    groups = []
    for rows in per_stance.values():
        rows.sort(key=lambda row: (-row.n, row.actor_id))
        groups.extend(rows[:actors_per_stance])
    latest = positions.get_positions(session, [row.id for row in groups])
    actors: dict[int, ActorRef] = {row.actor_id: latest[row.id].actor for row in groups}
    by_stance: dict[str, list[TopicActor]] = defaultdict(list)
    for row in groups:
        by_stance[row.stance].append(
            TopicActor(actor=actors[row.actor_id], count=row.n, latest=latest[row.id])
        )
    stances = [
        StanceGroup(
            stance=stance,  # type: ignore[arg-type]
            count=sum(row.n for row in per_stance[stance]),
            actor_total=len(per_stance[stance]),
            actors=sorted(by_stance[stance], key=lambda member: (-member.count, member.actor.name)),
        )
        for stance in sorted(by_stance, key=STANCE_ORDER.index)
    ]
    month = month_of(position.sort_date)
    timeline = session.execute(
        select(month, position.actor_id, position.stance, func.count())
        .where(mine, position.actor_id.in_(list(actors)))
        .group_by(month, position.actor_id, position.stance)
    ).all()
    points = sorted(
        (
            TimelinePoint(
                month="unknown" if month_value == UNKNOWN_MONTH else month_value,
                actor=actors[actor_id],
                stance=stance,  # type: ignore[arg-type]
                count=n,
            )
            for month_value, actor_id, stance, n in timeline
        ),
        key=lambda point: (point.month, point.actor.name, point.stance),
    )
    return TopicDetail(**summary.model_dump(), stances=stances, timeline=points)
