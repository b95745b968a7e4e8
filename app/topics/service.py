from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from app import models
from app.db import prepared
from app.positions import service as positions
from app.topics.schemas import TopicSort, TopicSummary

# As the databases write it: strftime("%Y-%m") gives "1-01" for year 1 on glibc, not "0001-01".
UNKNOWN_MONTH = f"{models.SORT_DATE_UNKNOWN.year:04d}-{models.SORT_DATE_UNKNOWN.month:02d}"
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


@prepared
def _summary_statement() -> Select[Any]:
    return _base().where(models.Topic.id == bindparam("topic_id"))


@prepared
def _groups_statement() -> Select[Any]:
    group = models.TopicGroup
    return select(group.stance, group.actor_id, group.position_count, group.latest_id).where(
        group.topic_id == bindparam("topic_id")
    )


@prepared
def _timeline_statement() -> Select[Any]:
    month = models.TopicMonth
    return (
        select(month.month, month.actor_id, month.stance, month.position_count)
        .where(
            month.topic_id == bindparam("topic_id"),
            month.actor_id.in_(bindparam("actor_ids", expanding=True)),
        )
        .order_by(month.actor_id)
    )


def get_topic(session: Session, topic_id: int, actors_per_stance: int) -> dict[str, Any]:
    """Who stands where, as the fields of ``TopicDetail`` in plain dicts; each stance lists its
    ``actors_per_stance`` most active actors, so that a topic with hundreds of actors still answers a
    page a person reads (and quickly).

    Read from the groups and months ingest keeps (``TopicGroup``, ``TopicMonth``): ranking the
    topic's positions here cost most of the answer on a large topic.
    """
    connection = session.connection()
    values = {"topic_id": topic_id}
    summary = connection.execute(_summary_statement(), values).one()
    per_stance: dict[str, list[Any]] = defaultdict(list)
    for row in connection.execute(_groups_statement(), values):
        per_stance[row.stance].append(row)
    groups = []
    for rows in per_stance.values():
        rows.sort(key=lambda row: (-row.position_count, row.actor_id))
        groups.extend(rows[:actors_per_stance])
    latest = positions.get_position_rows(session, [row.latest_id for row in groups])
    actors: dict[int, dict[str, Any]] = {row.actor_id: latest[row.latest_id]["actor"] for row in groups}
    by_stance: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in groups:
        by_stance[row.stance].append(
            {"actor": actors[row.actor_id], "count": row.position_count, "latest": latest[row.latest_id]}
        )
    stances = [
        {
            "stance": stance,
            "count": sum(row.position_count for row in per_stance[stance]),
            "actor_total": len(per_stance[stance]),
            "actors": sorted(
                by_stance[stance], key=lambda member: (-member["count"], member["actor"]["name"])
            ),
        }
        for stance in sorted(by_stance, key=STANCE_ORDER.index)
    ]
    timeline = (
        connection.execute(_timeline_statement(), {**values, "actor_ids": sorted(actors)}).all()
        if actors
        else []
    )
    points = sorted(
        (
            {
                "month": "unknown" if month_value == UNKNOWN_MONTH else month_value,
                "actor": actors[actor_id],
                "stance": stance,
                "count": n,
            }
            for month_value, actor_id, stance, n in timeline
        ),
        key=lambda point: (point["month"], point["actor"]["name"], point["stance"]),
    )
    return {
        "id": summary.id,
        "slug": summary.slug,
        "label": summary.label,
        "positions": summary.n_positions,
        "actors": summary.n_actors,
        "latest": summary.latest,
        "stances": stances,
        "timeline": points,
    }
