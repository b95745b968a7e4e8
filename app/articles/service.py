from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from app import counts, models
from app.actors import service as actors
from app.actors.schemas import ActorSort
from app.articles.schemas import ArticleInclude, ArticleSort, ArticleSummary
from app.cursors import KeyColumn, after, key_parameters, key_values
from app.cursors import order_by as keyset_order
from app.db import given_values, placeholders, prepared, run_prepared
from app.lookup import get_id_or_404, not_found, parse_ident
from app.positions import service as positions
from app.quotes import service as quotes
from app.quotes.schemas import QuoteSort
from app.search.query import parse_query
from app.search.sql import article_match, count_capped, count_matches, dense_article_match

SUMMARY_COLUMNS: tuple[Any, ...] = (
    models.Article.id,
    models.Article.slug,
    models.Article.title,
    models.Article.standfirst,
    models.Article.section,
    models.Article.published_on,
    models.Article.source,
    models.Article.url,
    models.Article.word_count,
)
DETAIL_COLUMNS: tuple[Any, ...] = (
    *SUMMARY_COLUMNS,
    models.Article.caption,
    models.Article.photo_credit,
    models.Article.body,
    models.Article.language,
    models.Article.content_hash,
    models.Article.extractor_version,
    models.Article.ingested_at,
)


# The keys of a page's and of the detail's rows, in their order.
SUMMARY_NAMES = tuple(select(*SUMMARY_COLUMNS).selected_columns.keys())
DETAIL_NAMES = tuple(select(*DETAIL_COLUMNS).selected_columns.keys())


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    section: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor_id: int | None = None
    topic_id: int | None = None
    q: str | None = None
    # How to run ``q``, chosen by ``fetch_articles``: see ``app.search.sql.article_match``.
    q_plan: str = "auto"


def _filtered(statement: Select[Any], filters: ArticleFilters) -> Select[Any]:
    if filters.section is not None:
        # A bind parameter (a prepared statement's) is given its value lowered: see ``_values``.
        section = filters.section.lower() if isinstance(filters.section, str) else filters.section
        statement = statement.where(func.lower(models.Article.section) == section)
    if filters.date_from is not None:
        statement = statement.where(models.Article.published_on >= filters.date_from)
    if filters.date_to is not None:
        statement = statement.where(models.Article.published_on <= filters.date_to)
    if filters.actor_id is not None:
        statement = statement.where(
            select(models.Mention.id)
            .where(
                models.Mention.article_id == models.Article.id, models.Mention.actor_id == filters.actor_id
            )
            .exists()
        )
    if filters.topic_id is not None:
        statement = statement.where(
            select(models.Position.id)
            .where(
                models.Position.article_id == models.Article.id, models.Position.topic_id == filters.topic_id
            )
            .exists()
        )
    if filters.q:
        statement = statement.where(article_match(parse_query(filters.q), filters.q_plan))
    return statement


def _key(column: Any, kind: str, name: str, **options: bool) -> KeyColumn:
    return KeyColumn(column, kind, lambda item: item[name], **options)


def _sort_date(item: dict[str, Any]) -> dt.date:
    return item["published_on"] or models.SORT_DATE_UNKNOWN  # type: ignore[no-any-return]


_ID_DESC = _key(models.Article.id, "id", "id", descending=True)
_ID = _key(models.Article.id, "id", "id")

# Each sort order, ending in the unique id: the ORDER BY of every page and the key of its cursor.
SORT_KEYS: dict[ArticleSort, tuple[KeyColumn, ...]] = {
    ArticleSort.newest: (
        KeyColumn(models.Article.sort_date, "date", _sort_date, descending=True),
        _ID_DESC,
    ),
    ArticleSort.oldest: (KeyColumn(models.Article.sort_date, "date", _sort_date), _ID),
    ArticleSort.title: (_key(models.Article.title, "text", "title"), _ID),
    ArticleSort.longest: (_key(models.Article.word_count, "int", "word_count", descending=True), _ID),
}


def filtered_ids(filters: ArticleFilters) -> Select[Any]:
    return _filtered(select(models.Article.id), filters)


def count_articles(session: Session, filters: ArticleFilters) -> int:
    """Exact, except that a full-text query counts no further than ``TOTAL_CAP``."""
    if filters.q:
        if replace(filters, q=None, q_plan="auto") == ArticleFilters():
            return count_matches(session, "article", parse_query(filters.q))
        return count_capped(session, _filtered(select(models.Article.id), filters))
    if filters == ArticleFilters():
        return counts.tally(session, "article")
    values = _values(filters)
    return int(run_prepared(session.connection(), _prepared_count(tuple(values)), values).scalar_one())


# The filters a prepared statement takes as bind parameters; ``q`` is not one (its parse is the shape).
_BOUND = ("section", "date_from", "date_to", "actor_id", "topic_id")


def _values(filters: ArticleFilters) -> dict[str, Any]:
    values = given_values(filters, _BOUND)
    if "section" in values:
        values["section"] = values["section"].lower()
    return values


@prepared
def _prepared_count(given: tuple[str, ...]) -> Select[Any]:
    filters = ArticleFilters(**placeholders(given))
    return _filtered(select(func.count()).select_from(models.Article), filters)


def _page_statement(
    given: tuple[str, ...],
    q: str | None,
    q_plan: str,
    sort: ArticleSort,
    cursor: bool,
    from_day: bool = False,
) -> Select[Any]:
    keys = SORT_KEYS[sort]
    filters = ArticleFilters(q=q, q_plan=q_plan, **placeholders(given))
    statement = _filtered(select(*SUMMARY_COLUMNS), filters)
    if cursor:
        statement = statement.where(after(keys, key_parameters(keys)))
    if from_day:
        day = models.Article.sort_date
        statement = statement.where(
            day <= bindparam("day") if sort is ArticleSort.newest else day >= bindparam("day")
        )
    return statement.order_by(*keyset_order(keys)).offset(bindparam("offset")).limit(bindparam("limit"))


_prepared_page = prepared(_page_statement)

# From this offset on, an unfiltered page by date starts at its day (``ArticleMonth``, ``ArticleDay``):
# below it, reading the rows before the page costs less than finding the day (on SQLite, about
# 0.2 µs a row skipped against 0.2 ms to find the day on the benchmark's 89 months).
DAY_SKIP_FROM = 1_000


@prepared
def _month_counts(descending: bool) -> Select[Any]:
    month = models.ArticleMonth
    return select(month.month, month.article_count).order_by(
        month.month.desc() if descending else month.month
    )


@prepared
def _day_counts(descending: bool) -> Select[Any]:
    day = models.ArticleDay
    return (
        select(day.sort_date, day.article_count)
        .where(day.sort_date >= bindparam("start"), day.sort_date < bindparam("end"))
        .order_by(day.sort_date.desc() if descending else day.sort_date)
    )


def _crossing(rows: Iterable[Any], offset: int) -> tuple[Any, int] | None:
    """The first (key, count) row whose running total reaches past ``offset``, and the total before
    it; None when all of them end before ``offset``."""
    before = 0
    for key, n in rows:
        if before + n > offset:
            return key, before
        before += n
    return None


def _from_day(session: Session, sort: ArticleSort, offset: int) -> tuple[dt.date, int] | None:
    """(day, offset within the rows from that day on), or None past the last row."""
    connection = session.connection()
    descending = sort is ArticleSort.newest
    month = _crossing(run_prepared(connection, _month_counts(descending)), offset)
    if month is None:
        return None
    start, before = month
    end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    bounds = {"start": start, "end": end}
    day = _crossing(run_prepared(connection, _day_counts(descending), bounds), offset - before)
    if day is None:
        return None
    return day[0], offset - before - day[1]


def fetch_article_rows(
    session: Session,
    filters: ArticleFilters,
    sort: ArticleSort,
    offset: int,
    limit: int,
    after_key: tuple[Any, ...] | None = None,
) -> list[dict[str, Any]]:
    """One page as plain rows with the fields of ``ArticleSummary``: by offset, or (``after_key``,
    from a cursor) the rows after that sort key.

    Plain dicts because this is the hottest read there is: built by zipping each row with the column
    names (``row._mapping`` alone took about as long as the query), then sent as they are.
    """
    if filters.q and sort in (ArticleSort.newest, ArticleSort.oldest):
        # These two orders follow an index, so a common word fills a page after a few rows.
        dense = dense_article_match(session, parse_query(filters.q))
        filters = replace(filters, q_plan="probe" if dense else "list")
    values = _values(filters)
    given = tuple(values)
    from_day = (
        offset >= DAY_SKIP_FROM
        and after_key is None
        and sort in (ArticleSort.newest, ArticleSort.oldest)
        and filters == ArticleFilters()
    )
    if from_day:
        anchor = _from_day(session, sort, offset)
        if anchor is None:
            return []
        values["day"], offset = anchor
    # Prepared once per shape, unless a full-text query makes the shape.
    build = _page_statement if filters.q else _prepared_page
    statement = build(given, filters.q, filters.q_plan, sort, after_key is not None, from_day)
    values.update(offset=offset, limit=limit, **key_values(after_key or ()))
    # On the session's connection: a Core statement needs none of the ORM's result machinery.
    connection = session.connection()
    rows = (
        connection.execute(statement, values).all()
        if filters.q
        else run_prepared(connection, statement, values).all()
    )
    return [dict(zip(SUMMARY_NAMES, row, strict=True)) for row in rows]


def fetch_articles(
    session: Session,
    filters: ArticleFilters,
    sort: ArticleSort,
    offset: int,
    limit: int,
    after_key: tuple[Any, ...] | None = None,
) -> list[ArticleSummary]:
    rows = fetch_article_rows(session, filters, sort, offset, limit, after_key)
    return [ArticleSummary.model_validate(row) for row in rows]


def list_articles(
    session: Session, filters: ArticleFilters, sort: ArticleSort, offset: int, limit: int
) -> tuple[list[ArticleSummary], int]:
    return fetch_articles(session, filters, sort, offset, limit), count_articles(session, filters)


def get_article_id_or_404(session: Session, ident: str) -> int:
    return get_id_or_404(models.Article, session, ident, "article")


def article_actors(session: Session, article_id: int) -> list[dict[str, Any]]:
    return actors.fetch_actor_rows(
        session, actors.ActorFilters(article_id=article_id), ActorSort.mentions, 0, 100_000
    )


@prepared
def _detail(by_slug: bool) -> Select[Any]:
    column = models.Article.slug if by_slug else models.Article.id
    return select(*DETAIL_COLUMNS).where(column == bindparam("ident"))


def get_article(session: Session, article_id: int, include: set[ArticleInclude]) -> dict[str, Any]:
    """The article with every fact asked for, as the fields of ``ArticleDetail`` in plain dicts (sent
    as they are: validating a model per fact cost more than the queries). The facts are fetched
    without the totals a list page would count."""
    row = run_prepared(session.connection(), _detail(False), {"ident": article_id}).one()
    return _with_facts(session, dict(zip(DETAIL_NAMES, row, strict=True)), include)


def get_article_or_404(session: Session, ident: str, include: set[ArticleInclude]) -> dict[str, Any]:
    """``get_article`` for an id or slug: the article's own row tells whether it exists, so it costs
    no lookup first (on PostgreSQL, one round trip less)."""
    parsed = parse_ident(ident)
    if parsed is None:
        raise not_found("article", ident)
    row = run_prepared(session.connection(), _detail(parsed[0]), {"ident": parsed[1]}).one_or_none()
    if row is None:
        raise not_found("article", ident)
    return _with_facts(session, dict(zip(DETAIL_NAMES, row, strict=True)), include)


def _with_facts(session: Session, detail: dict[str, Any], include: set[ArticleInclude]) -> dict[str, Any]:
    article_id = detail["id"]
    detail["quotes"] = (
        quotes.fetch_quote_rows(
            session, quotes.QuoteFilters(article_id=article_id), QuoteSort.newest, 0, 100_000
        )
        if ArticleInclude.quotes in include
        else None
    )
    detail["actors"] = article_actors(session, article_id) if ArticleInclude.actors in include else None
    detail["positions"] = (
        positions.fetch_position_rows(
            session,
            positions.PositionFilters(article_id=article_id),
            positions.PositionSort.oldest,
            0,
            100_000,
        )
        if ArticleInclude.positions in include
        else None
    )
    return detail
