"""Whole results as CSV or NDJSON, streamed in constant memory.

Rows are read in batches by keyset (the same sort keys as the list pages), in a session of the stream's
own that lives as long as the stream, and written out as they come: no cap, no offset scans.

CSV is written for spreadsheets: UTF-8 with a byte order mark (so Excel reads it as UTF-8), a header
row, RFC 4180 quoting, CRLF line ends, and text cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) prefixed with an apostrophe.
Numbers and dates are written as they are.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from app.articles.schemas import ArticleSummary
from app.cursors import KeyColumn

BATCH = 500
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
NDJSON_MEDIA_TYPE = "application/x-ndjson"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    ndjson = "ndjson"


FormatParam = Annotated[
    ExportFormat | None,
    Query(
        alias="format",
        description=(
            "`json` (default): one page. `csv` or `ndjson`: the whole result (every page, no cap), "
            "streamed; `page`, `limit`, `cursor` and `facets` are then ignored. `Accept: text/csv` or "
            "`Accept: application/x-ndjson` choose the same."
        ),
        examples=["csv"],
    ),
]


def export_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the other media types a list answers with."""
    return {
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "id,slug,title\r\n1,a-slug,A title\r\n",
                },
                NDJSON_MEDIA_TYPE: {"schema": {"type": "string"}, "example": '{"id":1}\n{"id":2}\n'},
            },
            "description": "A page as JSON, or the whole result as CSV or NDJSON (`format`).",
        }
    }


def negotiate(request: Request, requested: ExportFormat | None) -> ExportFormat:
    if requested is not None:
        return requested
    accept = request.headers.get("accept", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    if first == "text/csv":
        return ExportFormat.csv
    if first in (NDJSON_MEDIA_TYPE, "application/ndjson", "application/jsonl"):
        return ExportFormat.ndjson
    return ExportFormat.json


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def article_row(item: dict[str, Any]) -> dict[str, Any]:
    return item


def quote_row(item: dict[str, Any]) -> dict[str, Any]:
    """A ``quote_json`` dict (app/quotes/service.py) as one flat row."""
    article, speaker = item["article"], item["speaker"]
    mention, cue, content = item["speaker_mention"], item["cue"], item["content"]
    return {
        "id": item["id"],
        "article_id": article["id"],
        "article_slug": article["slug"],
        "article_title": article["title"],
        "published_on": article["published_on"],
        "kind": item["kind"],
        "speaker_id": speaker["id"] if speaker else None,
        "speaker_slug": speaker["slug"] if speaker else None,
        "speaker_name": speaker["name"] if speaker else None,
        "speaker_text": mention["text"] if mention else None,
        "cue": cue["text"] if cue else None,
        "content": content["text"],
        "field": content["field"],
        "start": content["start"],
        "end": content["end"],
        "confidence": item["confidence"],
    }


ARTICLE_COLUMNS = list(ArticleSummary.model_fields)
QUOTE_COLUMNS = [
    "id",
    "article_id",
    "article_slug",
    "article_title",
    "published_on",
    "kind",
    "speaker_id",
    "speaker_slug",
    "speaker_name",
    "speaker_text",
    "cue",
    "content",
    "field",
    "start",
    "end",
    "confidence",
]


def _batches(
    request: Request,
    keys: Sequence[KeyColumn],
    fetch: Callable[[Session, int, tuple[Any, ...] | None], list[dict[str, Any]]],
) -> Iterator[list[dict[str, Any]]]:
    # One session, and so on SQLite one read transaction: the export is a snapshot.
    with request.app.state.sessionmaker() as session:
        after_key: tuple[Any, ...] | None = None
        while True:
            items = fetch(session, BATCH, after_key)
            if items:
                yield items
            if len(items) < BATCH:
                return
            after_key = tuple(key.read(items[-1]) for key in keys)
            session.expunge_all()


def _csv(
    batches: Iterator[list[Any]], columns: list[str], to_row: Callable[[Any], dict[str, Any]]
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    for items in batches:
        buffer.seek(0)
        buffer.truncate()
        for item in items:
            writer.writerow({name: safe_cell(value) for name, value in to_row(item).items()})
        yield buffer.getvalue().encode("utf-8")


def _json_line(item: dict[str, Any]) -> bytes:
    return orjson.dumps(item, option=orjson.OPT_APPEND_NEWLINE)


def _ndjson(batches: Iterator[list[Any]]) -> Iterator[bytes]:
    for items in batches:
        yield b"".join(_json_line(item) for item in items)


def stream(
    request: Request,
    output: ExportFormat,
    name: str,
    keys: Sequence[KeyColumn],
    fetch: Callable[[Session, int, tuple[Any, ...] | None], list[Any]],
    columns: list[str],
    to_row: Callable[[Any], dict[str, Any]],
) -> StreamingResponse:
    """``fetch(session, limit, after_key)`` reads one batch in the list's sort order.

    The first batch is read before the answer starts, so that a query refused when its statement is
    built (``q`` with no word in it) is a problem answer, not a 200 whose stream breaks off.
    """
    pending = _batches(request, keys, fetch)
    first = next(pending, None)
    batches = pending if first is None else itertools.chain([first], pending)
    if output is ExportFormat.csv:
        body, media_type, extension = _csv(batches, columns, to_row), CSV_MEDIA_TYPE, "csv"
    else:
        body, media_type, extension = _ndjson(batches), NDJSON_MEDIA_TYPE, "ndjson"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{extension}"'}
    return StreamingResponse(body, media_type=media_type, headers=headers)
