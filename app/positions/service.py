from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from app import counts, models
from app.db import given_values, placeholders, prepared, run_prepared
from app.positions.schemas import PositionOut, PositionSort

PositionActor = aliased(models.Actor, name="position_actor")


@dataclass(frozen=True, slots=True)
class PositionFilters:
    actor_id: int | None = None
    topic_id: int | None = None
    article_id: int | None = None
    stance: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


Earlier = aliased(models.Position, name="earlier")


def _previous_stance() -> Any:
    """The stance of the same actor's previous position on the same topic (by date, article, order).

    A correlated lookup per row shown, on the (actor, topic) index: a window over all positions would
    read every position on each request.
    """
    here = (models.Position.sort_date, models.Position.article_id, models.Position.seq)
    there = (Earlier.sort_date, Earlier.article_id, Earlier.seq)
    return (
        select(Earlier.stance)
        .where(
            Earlier.actor_id == models.Position.actor_id,
            Earlier.topic_id == models.Position.topic_id,
            tuple_(*there) < tuple_(*here),
        )
        .order_by(*(column.desc() for column in there))
        .limit(1)
        .correlate(models.Position)
        .scalar_subquery()
        .label("previous_stance")
    )


def _base() -> Select[Any]:
    # The columns, not the entity (a page needs no ORM instances), in the order ``position_json``
    # unpacks them.
    return (
        select(
            models.Position.id,
            models.Position.stance,
            models.Position.field,
            models.Position.start,
            models.Position.end,
            models.Position.claim,
            models.Position.evidence_field,
            models.Position.evidence_start,
            models.Position.evidence_end,
            models.Position.evidence,
            models.Position.quote_id,
            models.Position.confidence,
            _previous_stance(),
            models.Article.id.label("a_id"),
            models.Article.slug.label("a_slug"),
            models.Article.title.label("a_title"),
            models.Article.published_on.label("a_published_on"),
            PositionActor.id.label("p_id"),
            PositionActor.slug.label("p_slug"),
            PositionActor.name.label("p_name"),
            PositionActor.kind.label("p_kind"),
            models.Topic.id.label("t_id"),
            models.Topic.slug.label("t_slug"),
            models.Topic.label.label("t_label"),
        )
        .join(models.Article, models.Position.article_id == models.Article.id)
        .join(PositionActor, models.Position.actor_id == PositionActor.id)
        .join(models.Topic, models.Position.topic_id == models.Topic.id)
    )


def _filtered(statement: Select[Any], filters: PositionFilters) -> Select[Any]:
    if filters.actor_id is not None:
        statement = statement.where(models.Position.actor_id == filters.actor_id)
    if filters.topic_id is not None:
        statement = statement.where(models.Position.topic_id == filters.topic_id)
    if filters.article_id is not None:
        statement = statement.where(models.Position.article_id == filters.article_id)
    if filters.stance is not None:
        statement = statement.where(models.Position.stance == filters.stance)
    if filters.date_from is not None:
        statement = statement.where(models.Position.sort_date >= filters.date_from)
    if filters.date_to is not None:
        statement = statement.where(
            models.Position.sort_date <= filters.date_to, models.Position.sort_date > models.SORT_DATE_UNKNOWN
        )
    return statement


def position_json(row: Any) -> dict[str, Any]:
    """A row of ``_base()`` as the fields of ``PositionOut``, in its order, as plain dicts: what the
    hot answers send as they are, without building six models per position."""
    (
        id_,
        stance,
        field,
        start,
        end,
        claim,
        evidence_field,
        evidence_start,
        evidence_end,
        evidence,
        quote_id,
        confidence,
        previous_stance,
        a_id,
        a_slug,
        a_title,
        a_published_on,
        p_id,
        p_slug,
        p_name,
        p_kind,
        t_id,
        t_slug,
        t_label,
    ) = row
    return {
        "id": id_,
        "article": {"id": a_id, "slug": a_slug, "title": a_title, "published_on": a_published_on},
        "actor": {"id": p_id, "slug": p_slug, "name": p_name, "kind": p_kind},
        "topic": {"id": t_id, "slug": t_slug, "label": t_label},
        "stance": stance,
        "claim": {"field": field, "start": start, "end": end, "text": claim},
        "evidence": {
            "field": evidence_field,
            "start": evidence_start,
            "end": evidence_end,
            "text": evidence,
        },
        "quote_id": quote_id,
        "date": a_published_on,
        "confidence": confidence,
        "previous_stance": previous_stance,
        "stance_changed": previous_stance is not None and previous_stance != stance,
    }


def to_position(row: Any) -> PositionOut:
    return PositionOut.model_validate(position_json(row))


def count_positions(session: Session, filters: PositionFilters) -> int:
    if filters == PositionFilters():
        return counts.tally(session, "position")
    statement = _filtered(select(func.count()).select_from(models.Position), filters)
    return int(session.execute(statement).scalar_one())


# The filters a prepared statement takes as bind parameters: all of them.
_BOUND = ("actor_id", "topic_id", "article_id", "stance", "date_from", "date_to")


@prepared
def _prepared_page(given: tuple[str, ...], sort: PositionSort) -> Select[Any]:
    # Undated articles' positions sort as the oldest (their sort date is SORT_DATE_UNKNOWN).
    if sort is PositionSort.newest:
        order: tuple[Any, ...] = (
            models.Position.sort_date.desc(),
            models.Position.article_id.desc(),
            models.Position.seq,
        )
    else:
        order = (models.Position.sort_date, models.Position.article_id, models.Position.seq)
    statement = _filtered(_base(), PositionFilters(**placeholders(given)))
    return statement.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit"))


def _page(
    session: Session, filters: PositionFilters, sort: PositionSort, offset: int, limit: int
) -> list[Any]:
    values = given_values(filters, _BOUND)
    statement = _prepared_page(tuple(values), sort)
    return run_prepared(session.connection(), statement, {**values, "offset": offset, "limit": limit}).all()


def fetch_position_rows(
    session: Session, filters: PositionFilters, sort: PositionSort, offset: int, limit: int
) -> list[dict[str, Any]]:
    return [position_json(row) for row in _page(session, filters, sort, offset, limit)]


def fetch_positions(
    session: Session, filters: PositionFilters, sort: PositionSort, offset: int, limit: int
) -> list[PositionOut]:
    return [to_position(row) for row in _page(session, filters, sort, offset, limit)]


def list_positions(
    session: Session, filters: PositionFilters, sort: PositionSort, offset: int, limit: int
) -> tuple[list[PositionOut], int]:
    return fetch_positions(session, filters, sort, offset, limit), count_positions(session, filters)


@prepared
def _by_ids() -> Select[Any]:
    return _base().where(models.Position.id.in_(bindparam("ids", expanding=True)))


def get_position_rows(session: Session, position_ids: list[int]) -> dict[int, dict[str, Any]]:
    """``position_json`` dicts by id."""
    if not position_ids:
        return {}
    rows = session.connection().execute(_by_ids(), {"ids": position_ids}).all()
    return {row.id: position_json(row) for row in rows}
