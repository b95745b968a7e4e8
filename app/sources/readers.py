"""The seed text format and JSONL (see ARCHITECTURE.md, "The seed text format")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from app.sources.document import SourceDocument, SourceError, parse_date

SUPPORTED_SUFFIXES = (".txt", ".jsonl")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FIELD_CHARS = 1_000_000

_HEADER = re.compile(r"^\s*date\s+(?P<date>\S+)(?:\s+(?P<section>.*?))?\s*$")
# "... closely."\u00a0 / Photo: Reuters": the credit closes the caption line.
_CREDIT = re.compile(r"[\s\u00a0]*/[\s\u00a0]*Photo:\s*(?P<credit>[^/]*?)\s*$")
_TEXT_FIELDS = ("title", "body", "standfirst", "caption", "section", "url", "source")
# The database columns' sizes: a longer value is the file's mistake, reported here, not a database error.
_SHORT_FIELDS = {"section": 100, "url": 2000, "source": 200}


def iter_paths(paths: Iterable[Path]) -> Iterator[Path | SourceError]:
    """Files named, and the readable files below folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUPPORTED_SUFFIXES)
            yield from found
        elif path.is_file():
            if path.suffix in SUPPORTED_SUFFIXES:
                yield path
            else:
                yield SourceError(
                    str(path), f"unsupported file type {path.suffix or '(none)'}: use .txt or .jsonl"
                )
        else:
            yield SourceError(str(path), "no such file or folder")


def read_path(path: Path) -> Iterator[SourceDocument | SourceError]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.suffix != ".jsonl":
            yield SourceError(str(path), f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
            return
        if path.suffix == ".jsonl":
            with path.open("rb") as handle:
                yield from read_jsonl_lines(handle, str(path))
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield SourceError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    yield read_seed_text(raw, str(path))


def _decode(raw: bytes, origin: str) -> str | SourceError:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SourceError(origin, f"not valid UTF-8 (byte {exc.start})")
    if "\x00" in text:
        return SourceError(origin, "contains a NUL character")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_seed_text(raw: bytes, origin: str) -> SourceDocument | SourceError:
    text = _decode(raw, origin)
    if isinstance(text, SourceError):
        return text
    lines = text.split("\n")
    if not text.strip():
        return SourceError(origin, "empty file")
    header = _HEADER.match(lines[0])
    if header is None:
        return SourceError(origin, "line 1: expected the header ' date YYYY-MM-DD SECTION'")
    try:
        published_on = parse_date(header["date"])
    except ValueError as exc:
        return SourceError(origin, f"line 1: {exc}")

    if header["section"] and len(header["section"]) > _SHORT_FIELDS["section"]:
        return SourceError(
            origin, f"line 1: the section is longer than {_SHORT_FIELDS['section']} characters"
        )

    rest = [line.rstrip() for line in lines[1:]]
    nonblank = [i for i, line in enumerate(rest) if line.strip()]
    if len(nonblank) < 2:
        return SourceError(origin, "needs at least a title line and a body after the header")
    title = rest[nonblank[0]].strip()
    after_title = [rest[i].strip() for i in nonblank[1:]]
    standfirst, caption, credit = "", "", None
    # The standfirst and the caption are both optional; a line is the caption only if it carries a
    # photo credit, and a lone line after the title is body rather than standfirst.
    first_credit = _CREDIT.search(after_title[0])
    second_credit = _CREDIT.search(after_title[1]) if len(after_title) > 1 else None
    if first_credit:
        caption, credit, body_from = after_title[0][: first_credit.start()], first_credit["credit"], 1
    elif second_credit:
        standfirst = after_title[0]
        caption, credit, body_from = after_title[1][: second_credit.start()], second_credit["credit"], 2
    elif len(after_title) > 1:
        standfirst, body_from = after_title[0], 1
    else:
        body_from = 0

    paragraphs = after_title[body_from:]
    if not paragraphs:
        return SourceError(origin, "no body text after the title, standfirst and caption")
    body = "\n\n".join(paragraphs)
    return SourceDocument(
        title=title,
        standfirst=standfirst,
        caption=caption.rstrip(" \u00a0"),
        photo_credit=credit or None,
        body=body,
        published_on=published_on,
        section=(header["section"] or None),
        origin=origin,
    )


def read_jsonl_lines(lines: Iterable[bytes], origin: str) -> Iterator[SourceDocument | SourceError]:
    """One article per line; a bad line is reported with its number and the others still load."""
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if not raw.strip():
            continue
        text = _decode(raw, where)
        if isinstance(text, SourceError):
            yield text
            continue
        try:
            record = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield SourceError(where, f"not valid JSON ({exc})")
            continue
        yield document_from_record(record, where)


def document_from_record(record: Any, origin: str) -> SourceDocument | SourceError:
    if not isinstance(record, dict):
        return SourceError(origin, f"expected a JSON object, got {type(record).__name__}")
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return SourceError(origin, f"field '{name}' must be a string")
        if isinstance(value, str) and len(value) > _SHORT_FIELDS.get(name, MAX_FIELD_CHARS):
            limit = _SHORT_FIELDS.get(name, MAX_FIELD_CHARS)
            return SourceError(origin, f"field '{name}' is longer than {limit} characters")
        if isinstance(value, str) and "\x00" in value:
            return SourceError(origin, f"field '{name}' contains a NUL character")
    title = (record.get("title") or "").strip()
    body = (record.get("body") or "").replace("\r\n", "\n").strip()
    if not title:
        return SourceError(origin, "field 'title' is missing or empty")
    if not body:
        return SourceError(origin, "field 'body' is missing or empty")
    try:
        published_on = parse_date(record.get("date"))
    except ValueError as exc:
        return SourceError(origin, f"field 'date': {exc}")
    external_id = record.get("id")
    return SourceDocument(
        title=title,
        body=body,
        standfirst=(record.get("standfirst") or "").strip(),
        caption=(record.get("caption") or "").strip(),
        published_on=published_on,
        section=record.get("section") or None,
        url=record.get("url") or None,
        source=record.get("source") or None,
        external_id=None if external_id is None else str(external_id),
        origin=origin,
    )
