"""``GET /search``: articles, quotes and actors for one query, each group ranked, counted and highlighted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from app import models
from app.actors import service as actors
from app.actors.schemas import ActorSort
from app.articles.schemas import ArticleSummary
from app.articles.service import SUMMARY_COLUMNS
from app.quotes import service as quotes
from app.search.highlight import Snippet, find_matches, snippet
from app.search.query import Phrase, SearchQuery, parse_query
from app.search.schemas import (
    ActorHit,
    ArticleHit,
    Highlight,
    HitGroup,
    MatchRange,
    QuoteHit,
    SearchResults,
)
from app.search.sql import TOTAL_CAP, count_matches, ranked_ids

ARTICLE_FIELDS = ("title", "standfirst", "body")


def _highlight(field: str | None, found: Snippet, shift: int = 0) -> Highlight:
    return Highlight(
        field=field,  # type: ignore[arg-type]
        start=found.start + shift,
        end=found.end + shift,
        text=found.text,
        matches=[MatchRange(start=start, end=end) for start, end in found.matches],
    )


def _article_hits(session: Session, query: SearchQuery, limit: int) -> HitGroup[ArticleHit]:
    total = count_matches(session, "article", query)
    ranked = ranked_ids(session, "article", query, limit, dense=total >= TOTAL_CAP)
    ids = [article_id for article_id, _ in ranked]
    rows = {
        row.id: row
        for row in session.execute(
            select(*SUMMARY_COLUMNS, models.Article.body).where(models.Article.id.in_(ids))
        )
    }
    phrases = query.positive_phrases
    items = []
    for article_id, score in ranked:
        row = rows[article_id]
        highlights = []
        for field in ARTICLE_FIELDS:
            found = snippet(getattr(row, field) or "", phrases)
            if found is not None:
                highlights.append(_highlight(field, found))
        items.append(
            ArticleHit(
                article=ArticleSummary.model_validate(row._mapping), score=score, highlights=highlights
            )
        )
    return HitGroup[ArticleHit](total=total, total_exact=total < TOTAL_CAP, items=items)


def _quote_hits(session: Session, query: SearchQuery, limit: int) -> HitGroup[QuoteHit]:
    total = count_matches(session, "quote", query)
    ranked = ranked_ids(session, "quote", query, limit, dense=total >= TOTAL_CAP)
    found_quotes = quotes.get_quotes(session, [quote_id for quote_id, _ in ranked])
    phrases = query.positive_phrases
    items = []
    for quote_id, score in ranked:
        quote = found_quotes[quote_id]
        content = quote.content
        found = snippet(content.text, phrases)
        highlights = [] if found is None else [_highlight(content.field, found, shift=content.start)]
        items.append(QuoteHit(quote=quote, score=score, highlights=highlights))
    return HitGroup[QuoteHit](total=total, total_exact=total < TOTAL_CAP, items=items)


def _names_containing(phrase: Phrase) -> Any:
    return models.Actor.id.in_(actors.ids_by_name_prefix(phrase.text))


def _actor_hits(session: Session, query: SearchQuery, limit: int) -> HitGroup[ActorHit]:
    """Actors whose name or an alias begins with every required phrase and with no excluded one; most
    mentioned first. Surnames are aliases, so "peskov" finds Dmitry Peskov. A prefix, not any
    substring: the name indexes answer it, where a substring would read every actor and alias."""
    condition = and_(
        *(or_(*(_names_containing(phrase) for phrase in clause)) for clause in query.required),
        *(not_(_names_containing(phrase)) for phrase in query.excluded),
    )
    ids = select(models.Actor.id).where(condition)
    found, total = actors.list_actors(session, actors.ActorFilters(ids=ids), ActorSort.mentions, 0, limit)
    items = []
    for actor in found:
        matches = find_matches(actor.name, query.positive_phrases)
        highlight = Highlight(
            field=None,
            start=0,
            end=len(actor.name),
            text=actor.name,
            matches=[MatchRange(start=start, end=end) for start, end in matches],
        )
        items.append(ActorHit(actor=actor, highlights=[highlight] if matches else []))
    return HitGroup[ActorHit](total=total, total_exact=True, items=items)


def search(session: Session, text: str, limit: int) -> SearchResults:
    query = parse_query(text)
    return SearchResults(
        q=text,
        articles=_article_hits(session, query, limit),
        quotes=_quote_hits(session, query, limit),
        actors=_actor_hits(session, query, limit),
    )
