from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app import models
from app.actors import service
from app.actors.schemas import ActorDetail, ActorSort, ActorSummary, RelatedActor
from app.articles import service as articles
from app.articles.schemas import ArticleSort, ArticleSummary
from app.db import SessionDep, read_endpoint
from app.errors import problem_responses
from app.listing import json_page, offset_page
from app.lookup import filter_id
from app.pagination import Page, PageDep, link_header
from app.params import DateFrom, DateTo, IdOrSlug
from app.positions import service as positions
from app.positions.schemas import PositionOut, PositionSort, StanceName
from app.quotes import service as quotes
from app.quotes.schemas import QuoteOut, QuoteSort

router = APIRouter(prefix="/actors", tags=["actors"])

ActorIdent = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="The actor's numeric id or its slug.",
        examples=["dmitry-peskov"],
    ),
]


@router.get(
    "",
    response_model=Page[ActorSummary],
    operation_id="list_actors",
    summary="List actors",
    description=(
        "People, organisations, countries and groups; `q` is a prefix of a name or alias (autocomplete)."
    ),
    responses=problem_responses(422),
)
@read_endpoint
def list_actors(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    q: Annotated[
        str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00]*$", description="Name prefix.")
    ] = None,
    kind: Annotated[str | None, Query(pattern=r"^(person|organization|country|group)$")] = None,
    country: Annotated[IdOrSlug | None, Query(description="Country actor id or slug.")] = None,
    sort: ActorSort = ActorSort.mentions,
) -> Response:
    filters = service.ActorFilters(
        q=q, kind=kind, country_id=filter_id(models.Actor, session, country, "country")
    )
    items = service.fetch_actor_rows(session, filters, sort, params.offset, params.limit)
    total = service.count_actors(session, filters)
    link_header(request, response, params, total)
    return json_page(response, offset_page(items, total, params))


@router.get(
    "/{actor}",
    response_model=ActorDetail,
    operation_id="get_actor",
    summary="Get one actor",
    description="Aliases, dated roles, country, affiliation and counts.",
    responses=problem_responses(404, 422),
)
@read_endpoint
def get_actor(session: SessionDep, actor: ActorIdent) -> ActorDetail:
    return service.get_actor(session, service.get_actor_id_or_404(session, actor))


@router.get(
    "/{actor}/quotes",
    response_model=Page[QuoteOut],
    operation_id="list_actor_quotes",
    summary="Quotes of an actor",
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_actor_quotes(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    actor: ActorIdent,
    sort: QuoteSort = QuoteSort.newest,
) -> Page[QuoteOut]:
    filters = quotes.QuoteFilters(speaker_id=service.get_actor_id_or_404(session, actor))
    items, total = quotes.list_quotes(session, filters, sort, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


@router.get(
    "/{actor}/positions",
    response_model=Page[PositionOut],
    operation_id="list_actor_positions",
    summary="Positions of an actor",
    description=(
        "With `topic`, ordered by date (`sort=date`), this is the actor's stance history on that topic: "
        "`stance_changed` marks each flip."
    ),
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_actor_positions(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    actor: ActorIdent,
    topic: Annotated[IdOrSlug | None, Query(description="Topic id or slug.")] = None,
    stance: StanceName | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    sort: PositionSort = PositionSort.newest,
) -> Page[PositionOut]:
    filters = positions.PositionFilters(
        actor_id=service.get_actor_id_or_404(session, actor),
        topic_id=filter_id(models.Topic, session, topic, "topic"),
        stance=stance,
        date_from=date_from,
        date_to=date_to,
    )
    items, total = positions.list_positions(session, filters, sort, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


@router.get(
    "/{actor}/articles",
    response_model=Page[ArticleSummary],
    operation_id="list_actor_articles",
    summary="Articles naming an actor",
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_actor_articles(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    actor: ActorIdent,
    sort: ArticleSort = ArticleSort.newest,
) -> Page[ArticleSummary]:
    filters = articles.ArticleFilters(actor_id=service.get_actor_id_or_404(session, actor))
    items, total = articles.list_articles(session, filters, sort, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


@router.get(
    "/{actor}/related",
    response_model=Page[RelatedActor],
    operation_id="list_related_actors",
    summary="Actors named alongside an actor",
    description="The actors that share most articles with this one, with the number of shared articles.",
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_related_actors(
    request: Request, response: Response, session: SessionDep, params: PageDep, actor: ActorIdent
) -> Page[RelatedActor]:
    actor_id = service.get_actor_id_or_404(session, actor)
    items, total = service.related_actors(session, actor_id, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)
