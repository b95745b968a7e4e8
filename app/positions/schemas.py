from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import ActorRef, ArticleRef, Span, TopicRef

StanceName = Literal["support", "oppose", "demand", "propose", "warn", "neutral"]


class PositionOut(BaseModel):
    id: int = Field(examples=[3])
    article: ArticleRef
    actor: ActorRef
    topic: TopicRef
    stance: StanceName = Field(examples=["oppose"])
    claim: Span = Field(description="What the stance is about, as written.")
    evidence: Span = Field(description="The sentence or quote the position was read from.")
    quote_id: int | None = Field(description="The quote this position comes from, if any.", examples=[5])
    date: dt.date | None = Field(description="The article's publication date.", examples=["2025-02-20"])
    confidence: float = Field(ge=0, le=1, examples=[0.8])
    previous_stance: StanceName | None = Field(
        description="This actor's stance on this topic in its previous position (by date), if any."
    )
    stance_changed: bool = Field(description="True when the stance differs from the previous one: a flip.")


class PositionSort(StrEnum):
    newest = "-date"
    oldest = "date"
