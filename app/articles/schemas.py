from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, StrictInt, StrictStr

from app.actors.schemas import ActorSummary
from app.positions.schemas import PositionOut
from app.quotes.schemas import QuoteOut


class ArticleSummary(BaseModel):
    id: int = Field(examples=[1])
    slug: str = Field(examples=["any-plan-to-send-european-troops-to-ukraine-unacceptable-russia-1a2b3c4d"])
    title: str = Field(examples=["Any plan to send European troops to Ukraine 'unacceptable': Russia"])
    standfirst: str
    section: str | None = Field(examples=["WORLD"])
    published_on: dt.date | None = Field(examples=["2025-02-20"])
    source: str | None = Field(examples=["Reuters"])
    url: str | None = None
    word_count: int = Field(examples=[420])


class ArticleDetail(ArticleSummary):
    caption: str
    photo_credit: str | None = Field(examples=["Reuters"])
    body: str
    language: str = Field(examples=["en"])
    content_hash: str = Field(
        description="SHA-256 of the article's text; re-ingesting the same text is a no-op."
    )
    extractor_version: str = Field(examples=["0.1.0"])
    ingested_at: dt.datetime
    quotes: list[QuoteOut] | None = Field(default=None, description="With include=quotes.")
    actors: list[ActorSummary] | None = Field(default=None, description="With include=actors.")
    positions: list[PositionOut] | None = Field(default=None, description="With include=positions.")


class ArticleInclude(StrEnum):
    quotes = "quotes"
    actors = "actors"
    positions = "positions"


class ArticleSort(StrEnum):
    newest = "-published_on"
    oldest = "published_on"
    title = "title"
    longest = "-word_count"


_NO_NUL = r"^[^\x00]*$"


class ArticleIn(BaseModel):
    """One article to ingest: the fields of a line of the JSONL format. Unknown fields are ignored."""

    title: str = Field(
        min_length=1, max_length=1000, pattern=_NO_NUL, examples=["Kremlin rejects troop plan"]
    )
    body: str = Field(
        min_length=1,
        max_length=1_000_000,
        pattern=_NO_NUL,
        description="Paragraphs separated by blank lines; the server's limit (NEWSFACTS_MAX_TEXT_CHARS, "
        "200,000 characters by default) applies to each text field.",
        examples=['"This causes concern for us," Kremlin spokesman Dmitry Peskov told reporters.'],
    )
    standfirst: str | None = Field(default=None, max_length=1_000_000, pattern=_NO_NUL)
    caption: str | None = Field(default=None, max_length=1_000_000, pattern=_NO_NUL)
    date: str | None = Field(
        default=None,
        max_length=40,
        description="YYYY-MM-DD or an ISO 8601 date-time.",
        examples=["2025-02-20"],
    )
    section: str | None = Field(default=None, max_length=100, pattern=_NO_NUL, examples=["WORLD"])
    url: str | None = Field(default=None, max_length=2000, pattern=_NO_NUL)
    source: str | None = Field(default=None, max_length=200, pattern=_NO_NUL, examples=["Reuters"])
    id: StrictStr | StrictInt | None = Field(default=None, description="The source's own id; not stored.")
