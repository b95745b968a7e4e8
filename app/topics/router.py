from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.db import SessionDep, read_endpoint
from app.errors import problem_responses
from app.listing import json_response
from app.pagination import Page, PageDep, link_header
from app.topics import service
from app.topics.schemas import TopicDetail, TopicSort, TopicSummary, TopicTimeline

router = APIRouter(prefix="/topics", tags=["topics"])


@router.get(
    "",
    response_model=Page[TopicSummary],
    operation_id="list_topics",
    summary="List topics",
    description=(
        "The issues positions are about: by default those argued in the most articles first (ties: "
        "topics from the extractor's concepts, such as troops, sanctions or interest rates, before "
        "those named by a claim's head phrase, then the most actors, then the most positions); "
        "`sort=-positions` ranks by positions alone."
    ),
    responses=problem_responses(422),
)
@read_endpoint
def list_topics(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, pattern=r"^[^\x00]*$", description="Words in the label."),
    ] = None,
    sort: TopicSort = TopicSort.articles,
) -> Page[TopicSummary]:
    items, total = service.list_topics(session, q, sort, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


@router.get(
    "/{topic}",
    response_model=TopicDetail,
    operation_id="get_topic",
    summary="Who stands where on a topic",
    description=(
        "Actors grouped by stance with counts, the most active of each stance with their latest evidence "
        "(5 by default: `actor_total` says how many there are, `actors` asks for up to 200), and a monthly "
        "timeline per stance (`timeline=actor`: per actor, for the actors listed). Every position of one "
        "actor on the topic: `GET /actors/{actor}/positions?topic=`."
    ),
    responses=problem_responses(404, 422),
)
@read_endpoint
def get_topic(
    session: SessionDep,
    topic: Annotated[
        str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$", examples=["1"])
    ],
    actors: Annotated[
        int, Query(ge=1, le=200, description="Actors listed per stance, the most active first.")
    ] = 5,
    timeline: Annotated[
        TopicTimeline,
        Query(
            description="`stance`: positions per month and stance, by every actor; `actor`: per month, "
            "actor and stance, for the actors listed in `stances`."
        ),
    ] = TopicTimeline.stance,
) -> Response:
    return json_response(service.get_topic_or_404(session, topic, actors, timeline))
