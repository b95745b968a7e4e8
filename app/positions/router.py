from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import models
from app.db import SessionDep, read_endpoint
from app.errors import problem_responses
from app.lookup import filter_id
from app.pagination import Page, PageDep, link_header
from app.params import DateFrom, DateTo, IdOrSlug
from app.positions import service
from app.positions.schemas import PositionOut, PositionSort, StanceName

router = APIRouter(prefix="/positions", tags=["positions"])


@router.get(
    "",
    response_model=Page[PositionOut],
    operation_id="list_positions",
    summary="List positions",
    description="Who stands where on what: actor → stance → claim, with the evidence and the topic.",
    responses=problem_responses(422),
)
@read_endpoint
def list_positions(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    actor: Annotated[IdOrSlug | None, Query(description="Actor id or slug.")] = None,
    topic: Annotated[IdOrSlug | None, Query(description="Topic id or slug.")] = None,
    stance: StanceName | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    sort: PositionSort = PositionSort.newest,
) -> Page[PositionOut]:
    filters = service.PositionFilters(
        actor_id=filter_id(models.Actor, session, actor, "actor"),
        topic_id=filter_id(models.Topic, session, topic, "topic"),
        stance=stance,
        date_from=date_from,
        date_to=date_to,
    )
    items, total = service.list_positions(session, filters, sort, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)
