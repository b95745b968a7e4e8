"""Response pieces shared by every domain: spans and references to other records."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

FieldName = Literal["title", "standfirst", "caption", "body"]


class Span(BaseModel):
    """Characters ``start``–``end`` of one article field: ``article[field][start:end] == text``."""

    field: FieldName = Field(examples=["body"])
    start: int = Field(ge=0, examples=[644])
    end: int = Field(ge=0, examples=[657])
    text: str = Field(examples=["Dmitry Peskov"])


class ActorRef(BaseModel):
    id: int = Field(examples=[1])
    slug: str = Field(examples=["dmitry-peskov"])
    name: str = Field(examples=["Dmitry Peskov"])
    kind: Literal["person", "organization", "country", "group"] = Field(examples=["person"])


class TopicRef(BaseModel):
    id: int = Field(examples=[1])
    slug: str = Field(examples=["foreign-troops-in-ukraine"])
    label: str = Field(examples=["foreign troops in Ukraine"])


class ArticleRef(BaseModel):
    id: int = Field(examples=[1])
    slug: str = Field(examples=["any-plan-to-send-european-troops-to-ukraine-unacceptable-russia-1a2b3c4d"])
    title: str
    published_on: dt.date | None = Field(examples=["2025-02-20"])


def span(field: str | None, start: int | None, end: int | None, text: str | None) -> Span | None:
    if field is None or start is None or end is None or text is None:
        return None
    # Unvalidated: callers pass their own stored columns (see ``to_quote``).
    return Span.model_construct(field=field, start=start, end=end, text=text)
