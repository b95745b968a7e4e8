"""The list pages that walk a whole result: offset or keyset cursor, totals, ``Link``, ``next_cursor``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.cursors import KeyColumn, cursor_after, decode_cursor, kinds
from app.errors import InvalidParameter
from app.export import ExportFormat, negotiate, stream
from app.pagination import PageParams, link_header
from app.search.sql import TOTAL_CAP

T = TypeVar("T")

Fetch = Callable[[int, int, tuple[Any, ...] | None], list[T]]


def keyset_page(
    request: Request,
    response: Response,
    params: PageParams,
    *,
    cursor: str | None,
    sort: str,
    keys: Sequence[KeyColumn],
    fetch: Fetch[T],
    count: Callable[[], int],
    full_text: bool,
) -> dict[str, Any]:
    """The envelope fields of one page. ``fetch(offset, limit, after_key)`` reads rows; one row more
    than asked tells whether a next page exists, so ``next_cursor`` is null exactly at the end."""
    if cursor is not None and params.page != 1:
        raise InvalidParameter("Parameters 'cursor' and 'page' cannot be combined.", parameter="cursor")
    after_key = decode_cursor(cursor, sort, kinds(keys)) if cursor is not None else None
    rows = fetch(0 if cursor is not None else params.offset, params.limit + 1, after_key)
    items = rows[: params.limit]
    next_cursor = cursor_after(sort, keys, items[-1]) if len(rows) > params.limit else None
    total = count()
    link_header(request, response, params, total, keyset=True, next_cursor=next_cursor)
    return {
        "items": items,
        "total": total,
        "page": params.page,
        "limit": params.limit,
        "next_cursor": next_cursor,
        "total_exact": not (full_text and total >= TOTAL_CAP),
    }


@dataclass(frozen=True, slots=True)
class ListSource:
    """What a list endpoint reads: its sort keys, a page fetcher, a counter, and its export columns.

    ``fetch(session, offset, limit, after_key)`` reads rows in the sort order of ``keys``.
    """

    name: str
    keys: Sequence[KeyColumn]
    fetch: Callable[[Session, int, int, tuple[Any, ...] | None], list[Any]]
    count: Callable[[Session], int]
    columns: list[str]
    to_row: Callable[[Any], dict[str, Any]]


def list_or_export(
    request: Request,
    response: Response,
    session: Session,
    params: PageParams,
    source: ListSource,
    *,
    sort: str,
    cursor: str | None,
    output_format: ExportFormat | None,
    full_text: bool,
) -> dict[str, Any] | StreamingResponse:
    """One page as envelope fields, or, for ``format=csv|ndjson`` (or that ``Accept``), the whole
    result streamed."""
    output = negotiate(request, output_format)
    if output is not ExportFormat.json:
        return stream(
            request,
            output,
            source.name,
            source.keys,
            lambda s, limit, key: source.fetch(s, 0, limit, key),
            source.columns,
            source.to_row,
        )
    return keyset_page(
        request,
        response,
        params,
        cursor=cursor,
        sort=sort,
        keys=source.keys,
        fetch=lambda offset, limit, key: source.fetch(session, offset, limit, key),
        count=lambda: source.count(session),
        full_text=full_text,
    )


def offset_page(items: list[Any], total: int, params: PageParams) -> dict[str, Any]:
    """The fields of ``Page`` for a list paged by offset only, in its order."""
    return {
        "items": items,
        "total": total,
        "page": params.page,
        "limit": params.limit,
        "next_cursor": None,
        "total_exact": True,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(content: dict[str, Any]) -> Response:
    """Plain data already shaped like the endpoint's documented model, as JSON.

    Returned as a ``Response``, it skips FastAPI's validation of every row against
    ``response_model``, which still documents the shape (and the contract tests check the answers
    against that document). ``OPT_UTC_Z`` writes UTC times as pydantic does (``...Z``).
    """
    body = orjson.dumps(content, default=_jsonable, option=orjson.OPT_UTC_Z)
    return Response(body, media_type="application/json")


def json_page(response: Response, page: dict[str, Any]) -> Response:
    """A page of plain rows as JSON (``json_response``), with the headers already set on
    ``response`` (``Link``)."""
    answer = json_response(page)
    answer.raw_headers.extend(
        (name, value)
        for name, value in response.raw_headers
        if name not in (b"content-length", b"content-type")
    )
    return answer
