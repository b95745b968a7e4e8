from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from app import counts, models
from app.cursors import KeyColumn, after, key_parameters, key_values
from app.cursors import order_by as keyset_order
from app.db import given_values, placeholders, prepared, run_prepared
from app.errors import NotFound
from app.lookup import MAX_ID
from app.quotes.schemas import QuoteOut, QuoteSort
from app.schemas import ActorRef, ArticleRef, span
from app.search.query import parse_query
from app.search.sql import count_capped, quote_match

Speaker = aliased(models.Actor, name="speaker")


@dataclass(frozen=True, slots=True)
class QuoteFilters:
    speaker_id: int | None = None
    kind: str | None = None
    article_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    topic_id: int | None = None
    min_confidence: float | None = None
    q: str | None = None


# In the order ``quote_json`` unpacks them.
_COLUMNS: tuple[Any, ...] = (
    models.Quote.id,
    models.Quote.kind,
    models.Quote.field,
    models.Quote.start,
    models.Quote.end,
    models.Quote.content,
    models.Quote.cue_field,
    models.Quote.cue_start,
    models.Quote.cue_end,
    models.Quote.cue,
    models.Quote.speaker_field,
    models.Quote.speaker_start,
    models.Quote.speaker_end,
    models.Quote.speaker_text,
    models.Quote.confidence,
    models.Article.id.label("a_id"),
    models.Article.slug.label("a_slug"),
    models.Article.title.label("a_title"),
    models.Article.published_on.label("a_published_on"),
    Speaker.id.label("s_id"),
    Speaker.slug.label("s_slug"),
    Speaker.name.label("s_name"),
    Speaker.kind.label("s_kind"),
)


def _base() -> Select[Any]:
    # The columns, not the entity: a page needs no ORM instances in the identity map.
    return (
        select(*_COLUMNS)
        .join(models.Article, models.Quote.article_id == models.Article.id)
        .outerjoin(Speaker, models.Quote.speaker_id == Speaker.id)
    )


def _filtered(statement: Select[Any], filters: QuoteFilters) -> Select[Any]:
    if filters.speaker_id is not None:
        statement = statement.where(models.Quote.speaker_id == filters.speaker_id)
    if filters.kind is not None:
        statement = statement.where(models.Quote.kind == filters.kind)
    if filters.article_id is not None:
        statement = statement.where(models.Quote.article_id == filters.article_id)
    if filters.date_from is not None:
        statement = statement.where(models.Quote.sort_date >= filters.date_from)
    if filters.date_to is not None:
        statement = statement.where(
            models.Quote.sort_date <= filters.date_to, models.Quote.sort_date > models.SORT_DATE_UNKNOWN
        )
    if filters.topic_id is not None:
        statement = statement.where(
            select(models.Position.id)
            .where(models.Position.quote_id == models.Quote.id, models.Position.topic_id == filters.topic_id)
            .exists()
        )
    if filters.min_confidence is not None:
        statement = statement.where(models.Quote.confidence >= filters.min_confidence)
    if filters.q:
        statement = statement.where(quote_match(parse_query(filters.q)))
    return statement


def _span(field: str | None, start: int | None, end: int | None, text: str | None) -> dict[str, Any] | None:
    if field is None or start is None or end is None or text is None:
        return None
    return {"field": field, "start": start, "end": end, "text": text}


def quote_json(row: Any) -> dict[str, Any]:
    """A row of ``_base()`` as the fields of ``QuoteOut``, in its order, as plain dicts.

    The hot lists send these as they are (``app.listing.json_page``): even unvalidated, the five
    models ``to_quote`` builds per quote were most of the cost of a page.
    """
    (
        id_,
        kind,
        field,
        start,
        end,
        content,
        cue_field,
        cue_start,
        cue_end,
        cue,
        speaker_field,
        speaker_start,
        speaker_end,
        speaker_text,
        confidence,
        a_id,
        a_slug,
        a_title,
        a_published_on,
        s_id,
        s_slug,
        s_name,
        s_kind,
    ) = row
    return {
        "id": id_,
        "article": {"id": a_id, "slug": a_slug, "title": a_title, "published_on": a_published_on},
        "kind": kind,
        "content": {"field": field, "start": start, "end": end, "text": content},
        "cue": _span(cue_field, cue_start, cue_end, cue),
        "speaker_mention": _span(speaker_field, speaker_start, speaker_end, speaker_text),
        "speaker": None if s_id is None else {"id": s_id, "slug": s_slug, "name": s_name, "kind": s_kind},
        "confidence": confidence,
    }


def to_quote(q: Any) -> QuoteOut:
    """A row of ``_base()`` as a model, for the answers that embed quotes in other models.
    ``model_construct`` skips validation: every value comes from our own columns."""
    speaker = None
    if q.s_id is not None:
        speaker = ActorRef.model_construct(id=q.s_id, slug=q.s_slug, name=q.s_name, kind=q.s_kind)
    return QuoteOut.model_construct(
        id=q.id,
        article=ArticleRef.model_construct(
            id=q.a_id, slug=q.a_slug, title=q.a_title, published_on=q.a_published_on
        ),
        kind=q.kind,
        content=span(q.field, q.start, q.end, q.content),
        cue=span(q.cue_field, q.cue_start, q.cue_end, q.cue),
        speaker_mention=span(q.speaker_field, q.speaker_start, q.speaker_end, q.speaker_text),
        speaker=speaker,
        confidence=q.confidence,
    )


def _sort_date(quote: dict[str, Any]) -> dt.date:
    return quote["article"]["published_on"] or models.SORT_DATE_UNKNOWN  # type: ignore[no-any-return]


_SORT_DATE = KeyColumn(models.Quote.sort_date, "date", _sort_date)

# Each sort order, ending in the unique id: the ORDER BY of every page and the key of its cursor.
# Quotes of one article follow their order in it (ids are given in that order at ingest).
SORT_KEYS: dict[QuoteSort, tuple[KeyColumn, ...]] = {
    QuoteSort.newest: (
        KeyColumn(models.Quote.sort_date, "date", _sort_date, descending=True),
        KeyColumn(models.Quote.article_id, "id", lambda q: q["article"]["id"], descending=True),
        KeyColumn(models.Quote.id, "id", lambda q: q["id"]),
    ),
    QuoteSort.oldest: (
        _SORT_DATE,
        KeyColumn(models.Quote.article_id, "id", lambda q: q["article"]["id"]),
        KeyColumn(models.Quote.id, "id", lambda q: q["id"]),
    ),
    QuoteSort.confidence: (
        KeyColumn(models.Quote.confidence, "float", lambda q: q["confidence"], descending=True),
        KeyColumn(models.Quote.id, "id", lambda q: q["id"]),
    ),
}


def filtered_ids(filters: QuoteFilters) -> Select[Any]:
    return _filtered(select(models.Quote.id), filters)


# The filters a prepared statement takes as bind parameters; ``q`` is not one (its parse is the shape).
_BOUND = ("speaker_id", "kind", "article_id", "date_from", "date_to", "topic_id", "min_confidence")


def _count_statement(given: tuple[str, ...]) -> Select[Any]:
    filters = QuoteFilters(**placeholders(given))
    return _filtered(select(func.count()).select_from(models.Quote), filters)


_prepared_count = prepared(_count_statement)


@prepared
def _speaker_count() -> Select[Any]:
    return select(models.Actor.quote_count).where(models.Actor.id == bindparam("speaker_id"))


def count_quotes(session: Session, filters: QuoteFilters) -> int:
    """Exact, except that a full-text query counts no further than ``TOTAL_CAP``."""
    if filters.q:
        return count_capped(session, _filtered(select(models.Quote.id), filters))
    if filters == QuoteFilters():
        return counts.tally(session, "quote")
    if filters == QuoteFilters(speaker_id=filters.speaker_id):
        # Kept per actor by ingest, exact: counting a prolific speaker's quotes took milliseconds.
        return int(
            run_prepared(
                session.connection(), _speaker_count(), {"speaker_id": filters.speaker_id}
            ).scalar_one()
        )
    values = given_values(filters, _BOUND)
    return int(run_prepared(session.connection(), _prepared_count(tuple(values)), values).scalar_one())


def _page_statement(given: tuple[str, ...], q: str | None, sort: QuoteSort, cursor: bool) -> Select[Any]:
    keys = SORT_KEYS[sort]
    statement = _filtered(_base(), QuoteFilters(q=q, **placeholders(given)))
    if cursor:
        statement = statement.where(after(keys, key_parameters(keys)))
    return statement.order_by(*keyset_order(keys)).offset(bindparam("offset")).limit(bindparam("limit"))


_prepared_page = prepared(_page_statement)


def _page(
    session: Session,
    filters: QuoteFilters,
    sort: QuoteSort,
    offset: int,
    limit: int,
    after_key: tuple[Any, ...] | None,
) -> list[Any]:
    """Prepared once per shape, unless a full-text query makes the shape."""
    values = given_values(filters, _BOUND)
    build = _page_statement if filters.q else _prepared_page
    statement = build(tuple(values), filters.q, sort, after_key is not None)
    values.update(offset=offset, limit=limit, **key_values(after_key or ()))
    if filters.q:
        return session.connection().execute(statement, values).all()
    return run_prepared(session.connection(), statement, values).all()


def fetch_quote_rows(
    session: Session,
    filters: QuoteFilters,
    sort: QuoteSort,
    offset: int,
    limit: int,
    after_key: tuple[Any, ...] | None = None,
) -> list[dict[str, Any]]:
    """One page as ``quote_json`` dicts: by offset, or (``after_key``, from a cursor) the rows after
    that sort key. ``SORT_KEYS`` read their cursor values from these dicts."""
    return [quote_json(row) for row in _page(session, filters, sort, offset, limit, after_key)]


def fetch_quotes(
    session: Session, filters: QuoteFilters, sort: QuoteSort, offset: int, limit: int
) -> list[QuoteOut]:
    return [to_quote(row) for row in _page(session, filters, sort, offset, limit, None)]


def list_quotes(
    session: Session, filters: QuoteFilters, sort: QuoteSort, offset: int, limit: int
) -> tuple[list[QuoteOut], int]:
    return fetch_quotes(session, filters, sort, offset, limit), count_quotes(session, filters)


def get_quotes(session: Session, quote_ids: list[int]) -> dict[int, QuoteOut]:
    rows = session.execute(_base().where(models.Quote.id.in_(quote_ids))).all() if quote_ids else []
    return {row.id: to_quote(row) for row in rows}


def get_quote_or_404(session: Session, quote_id: int) -> QuoteOut:
    row = session.execute(_base().where(models.Quote.id == quote_id)).first() if quote_id <= MAX_ID else None
    if row is None:
        raise NotFound(f"No quote with id {quote_id}.")
    return to_quote(row)
