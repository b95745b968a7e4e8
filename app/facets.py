"""Facet counts for a sidebar: how the rows of the current filter split by section, month, actor, topic..."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from app import models
from app.pagination import Page
from app.search.sql import DialectSwitch

T = TypeVar("T")

FACET_LIMIT = 50


class FacetCount(BaseModel):
    value: str | None = Field(
        description="What to pass back as the filter (a slug, a section, a month); null: none recorded.",
        examples=["dmitry-peskov"],
    )
    label: str | None = Field(description="What to show.", examples=["Dmitry Peskov"])
    count: int = Field(examples=[12])


class FacetedPage(Page[T], Generic[T]):
    facets: dict[str, list[FacetCount]] | None = Field(
        default=None,
        description=(
            "With `facets=...`: counts over every row of the current filter (not only this page), "
            f"largest first and at most {FACET_LIMIT} values each; months are in calendar order."
        ),
        examples=[{"section": [{"value": "WORLD", "label": "WORLD", "count": 12}]}],
    )


def month_of(column: Any) -> Any:
    """``YYYY-MM`` of a date column on either database."""
    return DialectSwitch(
        sqlite=func.strftime("%Y-%m", column), postgresql=func.to_char(column, "YYYY-MM")
    ).label("month")


def _counts(session: Session, statement: Select[Any], *, by_value: bool = False) -> list[FacetCount]:
    """``statement`` selects (value, label, count)."""
    count = statement.selected_columns[2]
    value = statement.selected_columns[0]
    last = value.asc().nulls_last()
    ordered = statement.order_by(last) if by_value else statement.order_by(count.desc(), last)
    rows = session.execute(ordered.limit(1000 if by_value else FACET_LIMIT)).all()
    return [FacetCount(value=row[0], label=row[1], count=row[2]) for row in rows]


def article_facets(
    session: Session, article_ids: Select[Any], names: list[str]
) -> dict[str, list[FacetCount]]:
    """Facets over the articles whose ids ``article_ids`` selects. Actor and topic count articles."""
    article = models.Article
    inside = article.id.in_(article_ids)
    result: dict[str, list[FacetCount]] = {}
    for name in names:
        if name == "section":
            statement = (
                select(article.section, article.section, func.count()).where(inside).group_by(article.section)
            )
        elif name == "month":
            month = month_of(article.published_on)
            statement = select(month, month, func.count()).where(inside).group_by(month)
        elif name == "actor":
            mention = models.Mention
            statement = (
                select(models.Actor.slug, models.Actor.name, func.count(distinct(mention.article_id)))
                .join(mention, mention.actor_id == models.Actor.id)
                .where(mention.article_id.in_(article_ids))
                .group_by(models.Actor.id, models.Actor.slug, models.Actor.name)
            )
        else:
            position = models.Position
            statement = (
                select(models.Topic.slug, models.Topic.label, func.count(distinct(position.article_id)))
                .join(position, position.topic_id == models.Topic.id)
                .where(position.article_id.in_(article_ids))
                .group_by(models.Topic.id, models.Topic.slug, models.Topic.label)
            )
        result[name] = _counts(session, statement, by_value=name == "month")
    return result


def quote_facets(session: Session, quote_ids: Select[Any], names: list[str]) -> dict[str, list[FacetCount]]:
    """Facets over the quotes whose ids ``quote_ids`` selects. Topic counts quotes given as evidence."""
    quote = models.Quote
    inside = quote.id.in_(quote_ids)
    result: dict[str, list[FacetCount]] = {}
    for name in names:
        if name == "speaker":
            statement = (
                select(models.Actor.slug, models.Actor.name, func.count())
                .select_from(quote)
                .outerjoin(models.Actor, quote.speaker_id == models.Actor.id)
                .where(inside)
                .group_by(models.Actor.id, models.Actor.slug, models.Actor.name)
            )
        elif name == "kind":
            statement = select(quote.kind, quote.kind, func.count()).where(inside).group_by(quote.kind)
        elif name == "month":
            month = month_of(models.Article.published_on)
            statement = (
                select(month, month, func.count())
                .select_from(quote)
                .join(models.Article, quote.article_id == models.Article.id)
                .where(inside)
                .group_by(month)
            )
        else:
            position = models.Position
            statement = (
                select(models.Topic.slug, models.Topic.label, func.count(distinct(position.quote_id)))
                .join(position, position.topic_id == models.Topic.id)
                .where(position.quote_id.in_(quote_ids))
                .group_by(models.Topic.id, models.Topic.slug, models.Topic.label)
            )
        result[name] = _counts(session, statement, by_value=name == "month")
    return result


def facet_names(raw: str | None) -> list[str]:
    if not raw:
        return []
    return list(dict.fromkeys(raw.split(",")))
