from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from app import models
from app.cursors import CursorParam
from app.db import SessionDep, read_endpoint
from app.errors import problem_responses
from app.export import (
    QUOTE_COLUMNS,
    FormatParam,
    export_responses,
    quote_row,
)
from app.facets import FacetedPage, facet_names, quote_facets
from app.listing import ListSource, json_page, list_or_export
from app.lookup import MAX_ID, filter_id
from app.pagination import PageDep
from app.params import DateFrom, DateTo, IdOrSlug, SearchText
from app.quotes import service
from app.quotes.schemas import QuoteOut, QuoteSort

router = APIRouter(prefix="/quotes", tags=["quotes"])


QuoteFacets = Annotated[
    str | None,
    Query(
        pattern=r"^(speaker|month|topic|kind)(,(speaker|month|topic|kind))*$",
        description="Comma-separated facets to count over the whole filtered result: "
        "`speaker`, `month`, `topic`, `kind`.",
        examples=["speaker,month,topic"],
    ),
]


@router.get(
    "",
    response_model=FacetedPage[QuoteOut],
    operation_id="list_quotes",
    summary="List quotes",
    description=(
        "Who said what: direct, mixed and reported speech, newest first by default, filtered by speaker, "
        "kind, article, topic, date, confidence and a full-text query `q` on the quoted words (see "
        "`GET /search` for its syntax), all combined. Page with `page`, or walk the whole result with "
        "`cursor`; `facets` adds counts for a sidebar; `format=csv|ndjson` exports everything."
    ),
    responses={**problem_responses(422), **export_responses()},
)
@read_endpoint
def list_quotes(
    request: Request,
    response: Response,
    session: SessionDep,
    params: PageDep,
    speaker: Annotated[IdOrSlug | None, Query(description="Speaker actor id or slug.")] = None,
    kind: Literal["direct", "indirect", "mixed"] | None = None,
    article: Annotated[IdOrSlug | None, Query(description="Article id or slug.")] = None,
    topic: Annotated[IdOrSlug | None, Query(description="Topic id or slug.")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Only quotes at least this sure. Reported speech proper is 0.6 and up; 0.5 marks "
            "an act of saying reported through its object (`blasted the deal`, `cited a study`).",
            examples=[0.6],
        ),
    ] = None,
    q: SearchText = None,
    sort: QuoteSort = QuoteSort.newest,
    cursor: CursorParam = None,
    facets: QuoteFacets = None,
    output_format: FormatParam = None,
) -> Any:
    filters = service.QuoteFilters(
        speaker_id=filter_id(models.Actor, session, speaker, "speaker"),
        kind=kind,
        article_id=filter_id(models.Article, session, article, "article"),
        topic_id=filter_id(models.Topic, session, topic, "topic"),
        date_from=date_from,
        date_to=date_to,
        min_confidence=min_confidence,
        q=q,
    )
    source = ListSource(
        "quotes",
        service.SORT_KEYS[sort],
        lambda s, offset, limit, key: service.fetch_quote_rows(s, filters, sort, offset, limit, key),
        lambda s: service.count_quotes(s, filters),
        QUOTE_COLUMNS,
        quote_row,
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
    page["facets"] = quote_facets(session, service.filtered_ids(filters), names) if names else None
    return json_page(response, page)


@router.get(
    "/{quote_id}",
    response_model=QuoteOut,
    operation_id="get_quote",
    summary="Get one quote",
    responses=problem_responses(404, 422),
)
@read_endpoint
def get_quote(session: SessionDep, quote_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> QuoteOut:
    return service.get_quote_or_404(session, quote_id)
