from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from app.positions.schemas import PositionOut, StanceName
from app.schemas import ActorRef, TopicRef


class TopicSummary(TopicRef):
    articles: int = Field(
        description="Articles with a position on this topic: how large it is (the default order).",
        examples=[3],
    )
    positions: int = Field(description="Positions taken on this topic.", examples=[8])
    actors: int = Field(description="Distinct actors with a position on it.", examples=[5])
    latest: dt.date | None = Field(description="Date of the newest position.", examples=["2025-02-20"])


class TopicActor(BaseModel):
    actor: ActorRef
    count: int = Field(examples=[3])
    latest: PositionOut = Field(description="The newest position of this actor with this stance.")


class StanceGroup(BaseModel):
    stance: StanceName
    count: int = Field(description="Positions with this stance, by every actor.", examples=[5])
    actor_total: int = Field(
        description="Actors with this stance; `actors` lists the most active.", examples=[3]
    )
    actors: list[TopicActor]


class TimelinePoint(BaseModel):
    month: str = Field(pattern=r"^\d{4}-\d{2}$|^unknown$", examples=["2025-02"])
    actor: ActorRef | None = Field(
        description="With `timeline=actor`, whose positions these are; null in the per-stance timeline."
    )
    stance: StanceName
    count: int = Field(examples=[2])


class TopicDetail(TopicSummary):
    stances: list[StanceGroup] = Field(description="Who stands where: actors grouped by stance.")
    timeline: list[TimelinePoint] = Field(
        description="Positions per month and stance, by every actor (`timeline=stance`, the default), "
        "or per month, actor and stance for the actors listed in `stances` (`timeline=actor`)."
    )


class TopicTimeline(StrEnum):
    stance = "stance"
    actor = "actor"


class TopicSort(StrEnum):
    articles = "-articles"
    """Argued in the most articles first, then concepts before head phrases, then by the most actors,
    then the most positions: one story, however many of its claims fall under the topic, does not
    outrank an issue argued across many articles, and among equals a concept of the extractor's
    (troops, sanctions, interest rates: an issue by construction) outranks a claim's head phrase ("set
    top box", "severance package"), and a debate outranks one actor's story. A topic only one actor
    argues counts as one article however many carry it: on the corpora those were one story published
    twice ("data speeds", "zinc supplement") or one company's plan ("capital investments")."""
    activity = "-positions"
    latest = "-latest"
    label = "label"
