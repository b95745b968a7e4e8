from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from app.actors.schemas import ActorSummary
from app.articles.schemas import ArticleSummary
from app.quotes.schemas import QuoteOut
from app.schemas import FieldName

T = TypeVar("T")


class MatchRange(BaseModel):
    start: int = Field(ge=0, examples=[12])
    end: int = Field(ge=0, examples=[18])


class Highlight(BaseModel):
    """Why a result matched: a plain-text excerpt and where the query's words are in it.

    ``text == article[field][start:end]``; each match is ``text[m.start:m.end]``. Nothing is HTML: mark
    the ranges however the page likes.
    """

    field: FieldName | None = Field(
        description="The article field the excerpt comes from; null for an actor's name.", examples=["body"]
    )
    start: int = Field(ge=0, examples=[0])
    end: int = Field(ge=0, examples=[120])
    text: str = Field(examples=['"This causes concern for us," Peskov told reporters.'])
    matches: list[MatchRange]


class ArticleHit(BaseModel):
    article: ArticleSummary
    score: float = Field(description="Relevance; higher is better; comparable only within one answer.")
    highlights: list[Highlight]


class QuoteHit(BaseModel):
    quote: QuoteOut
    score: float = Field(description="Relevance; higher is better; comparable only within one answer.")
    highlights: list[Highlight]


class ActorHit(BaseModel):
    actor: ActorSummary
    highlights: list[Highlight]


class HitGroup(BaseModel, Generic[T]):
    total: int = Field(description="Matches in all, counted up to 1,000.", examples=[134])
    total_exact: bool = Field(description="False when `total` stopped at the cap.")
    items: list[T]


class SearchResults(BaseModel):
    q: str = Field(examples=['peskov "foreign troops" -nato'])
    articles: HitGroup[ArticleHit]
    quotes: HitGroup[QuoteHit]
    actors: HitGroup[ActorHit]
