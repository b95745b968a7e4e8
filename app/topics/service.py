from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
from sqlalchemy import Select, Text, bindparam, case, func, literal_column, null, select, true, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from app import models
from app.db import prepared, run_prepared
from app.lookup import not_found, parse_ident
from app.positions import service as positions
from app.topics.schemas import TopicSort, TopicSummary, TopicTimeline

# As the databases write it: strftime("%Y-%m") gives "1-01" for year 1 on glibc, not "0001-01".
UNKNOWN_MONTH = f"{models.SORT_DATE_UNKNOWN.year:04d}-{models.SORT_DATE_UNKNOWN.month:02d}"
STANCE_ORDER = ("support", "propose", "demand", "oppose", "warn", "neutral")
STANCE_RANK = {stance: rank for rank, stance in enumerate(STANCE_ORDER)}
POSITION_COLUMNS = len(positions._base().selected_columns)


def _base() -> Select[Any]:
    return select(
        models.Topic.id,
        models.Topic.slug,
        models.Topic.label,
        models.Topic.article_count.label("n_articles"),
        models.Topic.position_count.label("n_positions"),
        models.Topic.actor_count.label("n_actors"),
        models.Topic.latest_on.label("latest"),
    )


def _summary(row: Any) -> TopicSummary:
    return TopicSummary(
        id=row.id,
        slug=row.slug,
        label=row.label,
        articles=row.n_articles,
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
        TopicSort.articles: (
            topic.argued_in.desc(),
            topic.concept.desc(),
            topic.actor_count.desc(),
            topic.position_count.desc(),
            topic.label,
        ),
        TopicSort.activity: (topic.position_count.desc(), topic.label),
        TopicSort.latest: (topic.latest_on.desc().nulls_last(), topic.label),
        TopicSort.label: (topic.label,),
    }[sort]
    rows = session.execute(statement.order_by(*order, topic.id).offset(offset).limit(limit)).all()
    return [_summary(row) for row in rows], int(session.execute(count).scalar_one())


@prepared
def _summary_statement(by_slug: bool, timeline_json: bool) -> Select[Any]:
    statement = _base().where((models.Topic.slug if by_slug else models.Topic.id) == bindparam("ident"))
    if timeline_json:
        statement = statement.add_columns(_stance_timeline_json().label("timeline"))
    return statement


def _top_groups(dialect: str) -> Any:
    """The topic's ``per_stance`` groups of each stance with the most positions (then the lower actor
    id), each with its stance's positions and actors.

    Each database has its own fastest form, measured on the benchmark's largest topic (128 groups):
    SQLite ranks every group with a window slowly (0.22 ms of a 1.2 ms answer), so it reads the first
    rows of the ranking index per stance, with two sums over the stance's part of it (a totals
    subquery joined to that union was grouped again for each stance). PostgreSQL answered that
    union 0.27 ms slower than the window ranking joined to the totals, so it keeps the window."""
    group = models.TopicGroup
    if dialect == "postgresql":
        ranked = (
            select(
                group.stance,
                group.actor_id,
                group.position_count,
                group.latest_id,
                func.row_number()
                .over(partition_by=group.stance, order_by=(group.position_count.desc(), group.actor_id))
                .label("rank"),
            )
            .where(group.topic_id == bindparam("topic_id"))
            .subquery("ranked_all")
        )
        totals = (
            select(
                group.stance,
                func.sum(group.position_count).label("stance_count"),
                func.count().label("actor_total"),
            )
            .where(group.topic_id == bindparam("topic_id"))
            .group_by(group.stance)
            .subquery("totals")
        )
        return (
            select(
                ranked.c.stance,
                ranked.c.actor_id,
                ranked.c.position_count,
                ranked.c.latest_id,
                totals.c.stance_count,
                totals.c.actor_total,
            )
            .join_from(ranked, totals, totals.c.stance == ranked.c.stance)
            .where(ranked.c.rank <= bindparam("per_stance"))
            .subquery("ranked")
        )
    tops = []
    for stance in STANCE_ORDER:
        every = aliased(models.TopicGroup)
        of_stance = (every.topic_id == bindparam("topic_id"), every.stance == stance)
        tops.append(
            select(
                group.stance,
                group.actor_id,
                group.position_count,
                group.latest_id,
                select(func.sum(every.position_count))
                .where(*of_stance)
                .scalar_subquery()
                .label("stance_count"),
                select(func.count()).where(*of_stance).scalar_subquery().label("actor_total"),
            )
            .where(group.topic_id == bindparam("topic_id"), group.stance == stance)
            .order_by(group.position_count.desc(), group.actor_id)
            .limit(bindparam("per_stance"))
            .subquery(f"top_{stance}")
        )
    return union_all(*(select(top) for top in tops)).subquery("ranked")


@prepared
def _groups_statement(dialect: str) -> Select[Any]:
    """The listed groups, each with its actor's latest position (the columns of ``position_json``
    first) and its stance's totals: one statement instead of the groups and then their positions.

    On PostgreSQL each latest position is looked up by its key (``LATERAL`` ... ``LIMIT 1``): the
    planner cannot tell how many groups the ranking keeps, and on the benchmark's database, analysed,
    it took all 129 of the largest topic's and read every position into a hash to join 27 of them
    (4.3 of 6 ms)."""
    ranked = _top_groups(dialect)
    if dialect == "postgresql":
        latest = positions._base().where(models.Position.id == ranked.c.latest_id).limit(1).lateral("latest")
        return select(
            latest,
            ranked.c.stance.label("g_stance"),
            ranked.c.actor_id.label("g_actor_id"),
            ranked.c.position_count.label("g_count"),
            ranked.c.stance_count,
            ranked.c.actor_total,
        ).join_from(ranked, latest, true())
    return (
        positions._base()
        .add_columns(
            ranked.c.stance.label("g_stance"),
            ranked.c.actor_id.label("g_actor_id"),
            ranked.c.position_count.label("g_count"),
            ranked.c.stance_count,
            ranked.c.actor_total,
        )
        .join(ranked, ranked.c.latest_id == models.Position.id)
    )


@prepared
def _timeline_statement(dialect: str) -> Select[Any]:
    month = models.TopicMonth
    listed = select(_top_groups(dialect).c.actor_id)
    return (
        select(month.month, month.actor_id, month.stance, month.position_count)
        .where(month.topic_id == bindparam("topic_id"), month.actor_id.in_(listed))
        .order_by(month.actor_id)
    )


def _stance_points(topic_id: Any) -> Select[Any]:
    """The default timeline's points, as the answer names them: "unknown" for undated positions."""
    month = models.TopicStanceMonth
    return select(
        case((month.month == UNKNOWN_MONTH, literal_column("'unknown'")), else_=month.month).label("month"),
        null().label("actor"),
        month.stance,
        month.position_count.label("count"),
    ).where(month.topic_id == topic_id)


def _point_order(month: Any, stance: Any) -> tuple[Any, ...]:
    """By month, "unknown" last, then stance; sorted by the database, so that the server's one busy
    core does not make a key of each of a large topic's points (134 on the benchmark's largest)."""
    return (month == "unknown", month, case(STANCE_RANK, value=stance))


@prepared
def _stance_timeline_statement() -> Select[Any]:
    """SQLite: the JSON text of each of the default timeline's points, in the answer's order (SQLite
    orders no aggregate before 3.44); ``json_object`` writes what orjson would."""
    points = _stance_points(bindparam("topic_id")).subquery("point")
    point = func.json_object(
        *(part for name in ("month", "actor", "stance", "count") for part in (name, points.c[name]))
    )
    return select(point.label("point")).order_by(*_point_order(points.c.month, points.c.stance))


def _stance_timeline_json() -> Any:
    """PostgreSQL: the default timeline as the compact JSON text of its points, in the answer's
    order, read with the topic's row and embedded in the answer as it is (``orjson.Fragment``).

    The server's one busy core bounds a large topic's answers: there, each of the benchmark's 134
    points was fetched as a row, made a dict, serialised and freed, about a seventh of the CPU per
    answer (py-spy). The database, on the other core, writes them instead. ``row_to_json`` gives
    the bytes orjson would (no spaces; the months and stances are ASCII); ``json_agg`` would put a
    line break between points."""
    points = _stance_points(models.Topic.id).correlate(models.Topic).subquery("point")
    order = _point_order(points.c.month, points.c.stance)
    point = func.row_to_json(points.table_valued()).cast(Text)
    return select(func.string_agg(point, aggregate_order_by(literal_column("','"), *order))).scalar_subquery()


def _month(value: str) -> str:
    return "unknown" if value == UNKNOWN_MONTH else value


def get_topic_or_404(
    session: Session, ident: str, actors_per_stance: int, timeline: TopicTimeline
) -> dict[str, Any]:
    """Who stands where, as the fields of ``TopicDetail`` in plain dicts (the default timeline as the
    JSON its database wrote, ``orjson.Fragment``); each stance lists its
    ``actors_per_stance`` most active actors, so that a topic with hundreds of actors still answers a
    page a person reads (and quickly). The timeline per stance is bounded by the months the topic
    spans; the one per actor grows with the actors listed (on the largest benchmark topic, 576
    points and half of a 154 KB answer with 20 actors per stance).

    Read from the groups and months ingest keeps (``TopicGroup``, ``TopicMonth``,
    ``TopicStanceMonth``): ranking the topic's positions here cost most of the answer on a large
    topic. The topic's own row tells whether it exists (no lookup first: on PostgreSQL, one round
    trip less).
    """
    connection = session.connection()
    timeline_json = timeline is TopicTimeline.stance and connection.dialect.name == "postgresql"
    parsed = parse_ident(ident)
    summary = None
    if parsed is not None:
        statement = _summary_statement(parsed[0], timeline_json)
        summary = run_prepared(connection, statement, {"ident": parsed[1]}).one_or_none()
    if summary is None:
        raise not_found("topic", ident)
    values = {"topic_id": summary.id, "per_stance": actors_per_stance}
    groups = run_prepared(connection, _groups_statement(connection.dialect.name), values).all()
    actors: dict[int, dict[str, Any]] = {}
    by_stance: dict[str, list[dict[str, Any]]] = defaultdict(list)
    totals: dict[str, tuple[int, int]] = {}
    for row in groups:
        latest = positions.position_json(row[:POSITION_COLUMNS])
        actors[row.g_actor_id] = latest["actor"]
        by_stance[row.g_stance].append({"actor": latest["actor"], "count": row.g_count, "latest": latest})
        totals[row.g_stance] = (int(row.stance_count), row.actor_total)
    stances = [
        {
            "stance": stance,
            "count": totals[stance][0],
            "actor_total": totals[stance][1],
            "actors": sorted(
                by_stance[stance], key=lambda member: (-member["count"], member["actor"]["name"])
            ),
        }
        for stance in sorted(by_stance, key=STANCE_ORDER.index)
    ]
    # All rows at once (a large topic's timeline has hundreds; fetched one by one, they cost more than
    # the statement). The per-actor timeline is sorted here, by the names of the actors listed.
    points: Any
    if timeline_json:
        points = orjson.Fragment(f"[{summary.timeline or ''}]")
    elif timeline is TopicTimeline.stance:
        rows = run_prepared(connection, _stance_timeline_statement(), values)
        points = orjson.Fragment("[" + ",".join([point for (point,) in rows]) + "]")
    else:
        timeline_statement = _timeline_statement(connection.dialect.name)
        rows = run_prepared(connection, timeline_statement, values).all() if actors else []
        named = sorted(
            (_month(month), actors[actor_id]["name"], stance, actor_id, n)
            for month, actor_id, stance, n in rows
        )
        points = [
            {"month": month, "actor": actors[actor_id], "stance": stance, "count": n}
            for month, _, stance, actor_id, n in named
        ]
    return {
        "id": summary.id,
        "slug": summary.slug,
        "label": summary.label,
        "articles": summary.n_articles,
        "positions": summary.n_positions,
        "actors": summary.n_actors,
        "latest": summary.latest,
        "stances": stances,
        "timeline": points,
    }
