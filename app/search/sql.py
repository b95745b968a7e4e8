"""The SQL of full-text search on both databases.

SQLite: FTS5 tables ``article_fts`` (title, standfirst, body) and ``quote_fts`` (content) with external
content, kept in step with ``article`` and ``quote`` by triggers (migration 0002). PostgreSQL: a stored
generated ``search_vector`` column on each table with a GIN index. Neither is in ``app.models``: the
models describe what both databases share, and ``include_object`` keeps Alembic's comparison away
from these objects.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import NullType

from app import models
from app.search.query import Phrase, SearchQuery

TEXT_SEARCH_CONFIG = "english"
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"

# Full-text totals stop counting here: counting every match of a common word costs as much as the
# search itself. Lists say so with ``total_exact: false``.
TOTAL_CAP = 1_000
# /search ranks only the newest matches (by id, the order of ingestion): a bounded set, whatever the word.
RANK_CANDIDATES = 200

ARTICLE_FTS = table("article_fts", column("rowid"))
QUOTE_FTS = table("quote_fts", column("rowid"))

_SEARCH_TABLES = {"article_fts", "quote_fts"}
# The last one is PostgreSQL's index for published_on DESC NULLS LAST (SQLite needs none).
_SEARCH_INDEXES = {"ix_article_search_vector", "ix_quote_search_vector", "ix_article_published_on_desc"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: leave the full-text objects (made by migration 0002) out of comparisons."""
    if name is None:
        return True
    if type_ == "table":
        # The FTS5 table and its shadow tables: article_fts, article_fts_data, article_fts_idx, ...
        return not any(name == fts or name.startswith(fts + "_") for fts in _SEARCH_TABLES)
    if type_ == "column":
        return name != "search_vector"
    if type_ == "index":
        return name not in _SEARCH_INDEXES
    return True


class DialectSwitch(ColumnElement[Any]):
    """A condition written once per database, chosen when the statement is compiled."""

    inherit_cache = True
    type = NullType()
    _traverse_internals: ClassVar[list[tuple[str, Any]]] = [
        ("sqlite", InternalTraversal.dp_clauseelement),
        ("postgresql", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, sqlite: ColumnElement[Any], postgresql: ColumnElement[Any]) -> None:
        self.sqlite = sqlite
        self.postgresql = postgresql


@compiles(DialectSwitch)
def _compile_switch(element: DialectSwitch, compiler: Any, **kw: Any) -> str:
    chosen = element.postgresql if compiler.dialect.name == "postgresql" else element.sqlite
    return str(compiler.process(chosen, **kw))


def fts5_match(fts_table: Any, query: SearchQuery) -> ColumnElement[bool]:
    return literal_column(fts_table.name).op("MATCH")(bindparam(None, query.fts5(), type_=String))


def _phrase_tsquery(phrase: Phrase) -> ColumnElement[Any]:
    config = literal_column(f"'{TEXT_SEARCH_CONFIG}'")
    return func.phraseto_tsquery(config, bindparam(None, phrase.text, type_=String))


def tsquery(query: SearchQuery) -> ColumnElement[Any]:
    """The query as a PostgreSQL tsquery, built from bound phrases with the tsquery operators."""
    result: ColumnElement[Any] | None = None
    for clause in query.required:
        either = _phrase_tsquery(clause[0])
        for phrase in clause[1:]:
            either = either.op("||")(_phrase_tsquery(phrase))
        result = either if result is None else result.op("&&")(either)
    assert result is not None
    for phrase in query.excluded:
        result = result.op("&&")(func.tsquery_not(_phrase_tsquery(phrase)))
    return result


def _vector(model: Any) -> ColumnElement[Any]:
    return literal_column(f"{model.__tablename__}.search_vector")


def article_match(query: SearchQuery, plan: str = "auto") -> ColumnElement[Any]:
    """A WHERE condition on ``article``.

    Neither planner can be trusted to tell a rare word from a common one when a page is also sorted and
    limited (PostgreSQL guesses 0.5% for a word it has no statistics on), so the caller can choose the
    plan, after ``dense_article_match``:

    - ``list``: list the matches from the full-text index, then sort them (cheap when they are few);
    - ``probe``: read articles in the order of an index and keep those that match, which fills a page
      after a few rows when the matches are dense (only for orders an index follows);
    - ``auto``: SQLite lists, PostgreSQL lets its planner decide (right for counts and facets).
    """
    vector_match = _vector(models.Article).op("@@")(tsquery(query))
    fts_match = fts5_match(ARTICLE_FTS, query)
    if plan == "probe":
        sqlite: ColumnElement[Any] = (
            select(ARTICLE_FTS.c.rowid).where(fts_match, ARTICLE_FTS.c.rowid == models.Article.id).exists()
        )
    else:
        sqlite = models.Article.id.in_(select(ARTICLE_FTS.c.rowid).where(fts_match))
    postgresql = vector_match
    if plan == "list":
        # ARRAY(subquery) is an InitPlan: the matches are found first, then fetched by primary key.
        matches = select(models.Article.id).where(vector_match).scalar_subquery()
        postgresql = models.Article.id == func.any(func.array(matches))
    return DialectSwitch(sqlite=sqlite, postgresql=postgresql)


# A query matching at least this share of the articles (and this many) is read by probing.
DENSE_SHARE = 50
DENSE_MINIMUM = 1000


def dense_article_match(session: Any, query: SearchQuery) -> bool:
    """Whether a query matches so many articles that probing in sort order beats listing the matches."""
    highest = session.execute(select(func.max(models.Article.id))).scalar() or 0
    threshold = max(DENSE_MINIMUM, highest // DENSE_SHARE)
    return count_matches(session, "article", query, cap=threshold) >= threshold


def quote_match(query: SearchQuery) -> ColumnElement[Any]:
    """A WHERE condition on ``quote``."""
    return DialectSwitch(
        sqlite=models.Quote.id.in_(select(QUOTE_FTS.c.rowid).where(fts5_match(QUOTE_FTS, query))),
        postgresql=_vector(models.Quote).op("@@")(tsquery(query)),
    )


def count_matches(session: Any, kind: str, query: SearchQuery, cap: int = TOTAL_CAP) -> int:
    """Matches of a query in one table, straight from the full-text index, counted up to ``cap``."""
    model = models.Article if kind == "article" else models.Quote
    if session.get_bind().dialect.name == "postgresql":
        statement = select(model.id).where(_vector(model).op("@@")(tsquery(query)))
    else:
        fts = ARTICLE_FTS if kind == "article" else QUOTE_FTS
        statement = select(fts.c.rowid).where(fts5_match(fts, query))
    return count_capped(session, statement, cap)


def count_capped(session: Any, statement: Select[Any], cap: int = TOTAL_CAP) -> int:
    """``count(*)`` of a statement's rows, counting no further than ``cap``."""
    limited = statement.limit(cap).subquery()
    return int(session.execute(select(func.count()).select_from(limited)).scalar_one())


def ranked_ids(
    session: Any,
    kind: str,
    query: SearchQuery,
    limit: int,
    *,
    dense: bool,
    candidates: int = RANK_CANDIDATES,
) -> list[tuple[int, float]]:
    """(id, score) of the best ``limit`` among the newest ``candidates`` matches, best first.

    ``dense``: the query matches many rows (its capped total reached the cap), so walking the newest
    rows meets ``candidates`` matches soon; otherwise PostgreSQL lists the few matches first.

    Scores: bm25 on SQLite (title weighs 10, standfirst 4, body 1), ``ts_rank`` on PostgreSQL (weights
    A, B, C for the same fields). Higher is better; scores compare only within one answer.
    """
    model = models.Article if kind == "article" else models.Quote
    if session.get_bind().dialect.name == "postgresql":
        matching: ColumnElement[Any] = _vector(model).op("@@")(tsquery(query))
        if not dense:
            # Found first (InitPlan), rather than by walking the primary key hoping to meet them soon.
            matching = model.id == func.any(func.array(select(model.id).where(matching).scalar_subquery()))
        newest = select(model.id).where(matching).order_by(model.id.desc()).limit(candidates).subquery()
        score = func.ts_rank(_vector(model), tsquery(query))
        id_column: Any = model.id
        statement = select(model.id, score.label("score")).join(newest, newest.c.id == model.id)
    else:
        fts = ARTICLE_FTS if kind == "article" else QUOTE_FTS
        weights = (10.0, 4.0, 1.0) if kind == "article" else (1.0,)
        bm25 = func.bm25(literal_column(fts.name), *weights)
        newest = (
            select(fts.c.rowid.label("id"), (-bm25).label("score"))
            .where(fts5_match(fts, query))
            .order_by(fts.c.rowid.desc())
            .limit(candidates)
            .subquery()
        )
        score, id_column = newest.c.score, newest.c.id
        statement = select(newest.c.id, newest.c.score)
    ordered = statement.order_by(score.desc(), id_column.desc()).limit(limit)
    return [(int(row[0]), float(row[1])) for row in session.execute(ordered)]
