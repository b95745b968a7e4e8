from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import ActorRef, ArticleRef, Span


class QuoteOut(BaseModel):
    id: int = Field(examples=[7])
    article: ArticleRef
    kind: Literal["direct", "indirect", "mixed"] = Field(examples=["direct"])
    content: Span
    cue: Span | None = Field(description="The speech verb or phrase, e.g. 'told' or 'has repeatedly said'.")
    speaker_mention: Span | None = Field(description="The words naming the speaker: 'he', 'Peskov', ...")
    speaker: ActorRef | None = Field(description="The resolved actor, or null when nobody could be resolved.")
    confidence: float = Field(ge=0, le=1, examples=[0.9])


class QuoteSort(StrEnum):
    newest = "-published_on"
    oldest = "published_on"
    confidence = "-confidence"
