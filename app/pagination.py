"""List envelopes: ``{items, total, page, limit}``, clamped sizes, and an RFC 8288 ``Link`` header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

T = TypeVar("T")

MAX_PAGE = 1_000_000


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Rows matching the filters, over all pages.", examples=[134])
    page: int = Field(examples=[1])
    limit: int = Field(examples=[20])
    next_cursor: str | None = Field(
        default=None,
        description=(
            "Pass as `cursor` to get the rows after this page (same filters and sort); null at the end."
        ),
    )
    total_exact: bool = Field(
        default=True,
        description="False when `total` stopped counting at the cap that full-text queries use (1,000).",
    )


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


async def page_params(
    request: Request,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number.")] = 1,
    limit: Annotated[
        int | None,
        Query(
            ge=1, le=10_000, description="Rows per page; clamped to the server's maximum (100 by default)."
        ),
    ] = None,
) -> PageParams:
    settings = request.app.state.settings
    size = settings.default_page_size if limit is None else min(limit, settings.max_page_size)
    return PageParams(page=page, limit=size)


PageDep = Annotated[PageParams, Depends(page_params)]


def link_header(
    request: Request,
    response: Response,
    params: PageParams,
    total: int,
    *,
    keyset: bool = False,
    next_cursor: str | None = None,
) -> None:
    """first/prev/last by page; next by page, or by ``cursor`` for a ``keyset`` list (none at its end)."""
    last = max(1, -(-total // params.limit))
    links = []

    def url(page: int) -> str:
        return str(
            request.url.remove_query_params("cursor").include_query_params(page=page, limit=params.limit)
        )

    links.append(f'<{url(1)}>; rel="first"')
    if params.page > 1:
        links.append(f'<{url(min(params.page - 1, last))}>; rel="prev"')
    if keyset:
        if next_cursor is not None:
            after = request.url.remove_query_params("page").include_query_params(
                cursor=next_cursor, limit=params.limit
            )
            links.append(f'<{after}>; rel="next"')
    elif params.page < last:
        links.append(f'<{url(params.page + 1)}>; rel="next"')
    links.append(f'<{url(last)}>; rel="last"')
    response.headers["Link"] = ", ".join(links)
