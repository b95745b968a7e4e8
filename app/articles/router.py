from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from app import ingest, models
from app.actors import service as actors
from app.actors.schemas import ActorSort, ActorSummary
from app.articles import service, writes
from app.articles.schemas import ArticleDetail, ArticleIn, ArticleInclude, ArticleSort, ArticleSummary
from app.cursors import CursorParam
from app.db import SessionDep, read_endpoint, write_session
from app.errors import ServiceUnavailable, Unprocessable, problem_responses
from app.export import (
    ARTICLE_COLUMNS,
    FormatParam,
    article_row,
    export_responses,
)
from app.extraction.types import ExtractionError
from app.facets import FacetedPage, article_facets, facet_names
from app.listing import ListSource, json_page, json_response, list_or_export
from app.lookup import filter_id
from app.nlp import get_extractor
from app.pagination import Page, PageDep, link_header
from app.params import DateFrom, DateTo, IdOrSlug, SearchText
from app.positions import service as positions
from app.positions.schemas import PositionOut, PositionSort
from app.quotes import service as quotes
from app.quotes.schemas import QuoteOut, QuoteSort
from app.security import WriteKeyDep

router = APIRouter(prefix="/articles", tags=["articles"])

ArticleIdent = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="The article's numeric id or its slug.",
        examples=["1"],
    ),
]


ArticleFacets = Annotated[
    str | None,
    Query(
        pattern=r"^(section|month|actor|topic)(,(section|month|actor|topic))*$",
        description="Comma-separated facets to count over the whole filtered result: "
        "`section`, `month`, `actor`, `topic`.",
        examples=["section,month,actor,topic"],
    ),
]


@router.get(
    "",
    response_model=FacetedPage[ArticleSummary],
    operation_id="list_articles",
    summary="List articles",
    description=(
        "Articles newest first by default, filtered by date, section, actor named, topic and a full-text "
        "query `q` (see `GET /search` for its syntax), all combined. Page with `page`, or walk the whole "
        "result with `cursor`; `facets` adds counts for a sidebar; `format=csv|ndjson` exports everything."
    ),
    responses={**problem_responses(422), **export_responses()},
)
@read_endpoint
def list_articles(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    section: Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00]*$")] = None,
    actor: Annotated[
        IdOrSlug | None, Query(description="Only articles naming this actor (id or slug).")
    ] = None,
    topic: Annotated[
        IdOrSlug | None, Query(description="Only articles with a position on this topic.")
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    q: SearchText = None,
    sort: ArticleSort = ArticleSort.newest,
    cursor: CursorParam = None,
    facets: ArticleFacets = None,
    output_format: FormatParam = None,
) -> Any:
    filters = service.ArticleFilters(
        section=section,
        date_from=date_from,
        date_to=date_to,
        actor_id=filter_id(models.Actor, session, actor, "actor"),
        topic_id=filter_id(models.Topic, session, topic, "topic"),
        q=q,
    )
    source = ListSource(
        "articles",
        service.SORT_KEYS[sort],
        lambda s, offset, limit, key: service.fetch_article_rows(s, filters, sort, offset, limit, key),
        lambda s: service.count_articles(s, filters),
        ARTICLE_COLUMNS,
        article_row,
    )
    page = list_or_export(
        request,
        response,
        session,
        params,
        source,
        sort=sort.value,
        cursor=cursor,
        output_format=output_format,
        full_text=bool(q),
    )
    if isinstance(page, StreamingResponse):
        return page
    names = facet_names(facets)
    page["facets"] = article_facets(session, service.filtered_ids(filters), names) if names else None
    return json_page(response, page)


@router.get(
    "/{article}",
    response_model=ArticleDetail,
    response_model_exclude_none=False,
    operation_id="get_article",
    summary="Get one article",
    description="The article's text and metadata; `include` embeds its quotes, actors and positions.",
    responses=problem_responses(404, 422),
)
@read_endpoint
def get_article(
    session: SessionDep,
    article: ArticleIdent,
    include: Annotated[list[ArticleInclude] | None, Query(description="Facts to embed.")] = None,
) -> Response:
    return json_response(service.get_article_or_404(session, article, set(include or ())))


@router.get(
    "/{article}/quotes",
    response_model=Page[QuoteOut],
    operation_id="list_article_quotes",
    summary="Quotes in an article",
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_article_quotes(
    request: Request, response: Response, session: SessionDep, params: PageDep, article: ArticleIdent
) -> Page[QuoteOut]:
    filters = quotes.QuoteFilters(article_id=service.get_article_id_or_404(session, article))
    items, total = quotes.list_quotes(session, filters, QuoteSort.newest, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


@router.get(
    "/{article}/actors",
    response_model=Page[ActorSummary],
    operation_id="list_article_actors",
    summary="Actors named in an article",
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_article_actors(
    request: Request, response: Response, session: SessionDep, params: PageDep, article: ArticleIdent
) -> Page[ActorSummary]:
    filters = actors.ActorFilters(article_id=service.get_article_id_or_404(session, article))
    items, total = actors.list_actors(session, filters, ActorSort.mentions, params.offset, params.limit)
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


@router.get(
    "/{article}/positions",
    response_model=Page[PositionOut],
    operation_id="list_article_positions",
    summary="Positions taken in an article",
    responses=problem_responses(404, 422),
)
@read_endpoint
def list_article_positions(
    request: Request, response: Response, session: SessionDep, params: PageDep, article: ArticleIdent
) -> Page[PositionOut]:
    filters = positions.PositionFilters(article_id=service.get_article_id_or_404(session, article))
    items, total = positions.list_positions(
        session, filters, PositionSort.oldest, params.offset, params.limit
    )
    link_header(request, response, params, total)
    return Page(items=items, total=total, page=params.page, limit=params.limit)


# Writes: behind an API key (app/security.py); ingest (app/ingest.py) does the writing.


def get_request_extractor(request: Request) -> Any:
    """The language pipeline of this process: loaded in the background at start-up (a write that comes
    first waits for it) or on first use."""
    model = request.app.state.settings.spacy_model
    try:
        return get_extractor(model)
    except (ImportError, OSError) as exc:
        raise ServiceUnavailable(
            f"The language model {model!r} could not be loaded ({exc}); no article can be ingested until "
            "it is. Nothing was stored."
        ) from exc


@router.post(
    "",
    response_model=ArticleDetail,
    status_code=201,
    operation_id="create_article",
    summary="Ingest an article",
    description=(
        "Extracts the article's facts and stores it with all of them in one transaction. Answers 201 with a "
        "`Location` header, or 200 with the stored article when the same text was ingested before. "
        "Needs an API key."
    ),
    dependencies=[WriteKeyDep],
    responses={
        200: {"model": ArticleDetail, "description": "The same text was stored already: that article."},
        **problem_responses(400, 401, 403, 413, 422, 503),
    },
)
def create_article(
    request: Request,
    response: Response,
    session: SessionDep,
    article: ArticleIn,
    extractor: Annotated[Any, Depends(get_request_extractor)],
) -> ArticleDetail:
    document = writes.document_from_input(article, request.app.state.settings.max_text_chars)
    try:
        stored = ingest.ingest_one(request.app.state.engine, extractor, document)
    except ExtractionError as exc:
        raise Unprocessable(
            f"The facts of this article could not be extracted: {exc}. Nothing was stored."
        ) from exc
    response.status_code = 201 if stored.created else 200
    response.headers["Location"] = f"/articles/{stored.id}"
    return ArticleDetail.model_validate(service.get_article(session, stored.id, set(ArticleInclude)))


@router.delete(
    "/{article}",
    status_code=204,
    response_class=Response,
    operation_id="delete_article",
    summary="Delete an article",
    description=(
        "Removes the article with its quotes, mentions, roles and positions, then the actors and topics "
        "nothing refers to any more. Needs an API key."
    ),
    dependencies=[WriteKeyDep],
    responses={204: {"description": "Deleted."}, **problem_responses(401, 403, 404, 422)},
)
def delete_article(request: Request, article: ArticleIdent) -> Response:
    with write_session(request.app.state.engine) as session:
        ingest.delete_article(session, service.get_article_id_or_404(session, article))
    return Response(status_code=204)
