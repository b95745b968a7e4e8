"""List envelopes: ``{items, total, page, limit}``, clamped sizes, and an RFC 8288 ``Link`` header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

T = TypeVar("T")

MAX_PAGE = 1_000_000
# Set by each link, so dropped from the request's parameters first.
_PAGING = frozenset({"page", "limit", "cursor"})


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
    """first/prev/last by page; next by page, or by ``cursor`` for a ``keyset`` list (none at its end).

    Each link is the request's URL with its other parameters in their order, then the page (or
    cursor) and the limit. Encoded once and joined per link: Starlette's ``include_query_params``
    parses and encodes the whole URL again for each of the four links, a tenth of a page's time."""
    last = max(1, -(-total // params.limit))
    url = request.url
    base = f"{url.scheme}://{url.netloc}{url.path}?"
    kept = [(key, value) for key, value in request.query_params.multi_items() if key not in _PAGING]
    others = urlencode(kept) + "&" if kept else ""
    limit = f"&limit={params.limit}"

    def by_page(page: int) -> str:
        return f"<{base}{others}page={page}{limit}>; rel="

    links = [by_page(1) + '"first"']
    if params.page > 1:
        links.append(by_page(min(params.page - 1, last)) + '"prev"')
    if keyset:
        if next_cursor is not None:
            links.append(f'<{base}{others}{urlencode({"cursor": next_cursor})}{limit}>; rel="next"')
    elif params.page < last:
        links.append(by_page(params.page + 1) + '"next"')
    links.append(by_page(last) + '"last"')
    response.headers["Link"] = ", ".join(links)
