from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from app.schemas import ActorRef


class ActorCounts(BaseModel):
    articles: int = Field(examples=[12])
    quotes: int = Field(examples=[30])
    positions: int = Field(examples=[5])
    mentions: int = Field(examples=[80])


class ActorSummary(ActorRef):
    country: ActorRef | None = None
    counts: ActorCounts


class RoleOut(BaseModel):
    title: str = Field(examples=["Kremlin spokesman"])
    first_seen: dt.date | None = Field(examples=["2025-02-20"])
    last_seen: dt.date | None = Field(examples=["2025-03-01"])
    articles: int = Field(examples=[3])


class ActorDetail(ActorSummary):
    aliases: list[str] = Field(examples=[["Dmitry Peskov", "Peskov"]])
    roles: list[RoleOut]
    affiliation: ActorRef | None = None
    description: str | None = None
    wikidata_id: str | None = None


class RelatedActor(BaseModel):
    actor: ActorRef
    articles: int = Field(description="Articles naming both actors.", examples=[4])


class ActorSort(StrEnum):
    mentions = "-mentions"
    quotes = "-quotes"
    articles = "-articles"
    positions = "-positions"
    name = "name"
