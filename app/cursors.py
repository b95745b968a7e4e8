"""Opaque keyset cursors: the sort key of the last row seen, so a walk is stable under inserts.

A cursor is URL-safe base64 of the JSON ``[version, sort, key]``. It is opaque to clients but not
secret: it holds only values the client has already been sent. It names the sort it was made for;
anything that does not decode to a key of the expected shape is a 422, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Query
from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, false, literal, or_, tuple_

from app.errors import InvalidParameter
from app.lookup import MAX_ID

VERSION = 1
MAX_TEXT = 2000
INT_BOUND = 2**31 - 1

CursorParam = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=4096,
        pattern=r"^[A-Za-z0-9_-]+$",
        description=(
            'Opaque keyset cursor from `next_cursor` (or the `Link: rel="next"` header) of the previous '
            "page, with the same `sort`. Walks a whole result without gaps or repeats while rows are "
            "added; `page` is then ignored."
        ),
        examples=["WzEsIi1wdWJsaXNoZWRfb24iLFsiMjAyNS0wMi0yMCIsMTJdXQ"],
    ),
]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def encode_cursor(sort: str, key: Sequence[Any]) -> str:
    raw = orjson.dumps([VERSION, sort, [_plain(value) for value in key]])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _bad(detail: str) -> InvalidParameter:
    return InvalidParameter(f"Parameter 'cursor': {detail}", parameter="cursor")


def _check(value: Any, kind: str) -> Any:
    """kinds: id, int, float, text, date; a trailing ``?`` allows null."""
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    if kind in ("id", "int"):
        low = 1 if kind == "id" else -INT_BOUND
        high = MAX_ID if kind == "id" else INT_BOUND
        if type(value) is int and low <= value <= high:
            return value
    elif kind == "float":
        if type(value) in (int, float) and abs(value) <= 1e300:
            return float(value)
    elif kind == "text":
        if isinstance(value, str) and len(value) <= MAX_TEXT and "\x00" not in value:
            return value
    elif kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad("not a cursor of this list.")


def decode_cursor(token: str, sort: str, kinds: Sequence[str]) -> tuple[Any, ...]:
    try:
        padded = token + "=" * (-len(token) % 4)
        decoded = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise _bad("not a cursor of this list.") from exc
    if not (isinstance(decoded, list) and len(decoded) == 3 and decoded[0] == VERSION):
        raise _bad("not a cursor of this list.")
    _, made_for, key = decoded
    if made_for != sort:
        raise _bad(f"made for sort={made_for!s:.50}, not sort={sort}.")
    if not (isinstance(key, list) and len(key) == len(kinds)):
        raise _bad("not a cursor of this list.")
    return tuple(_check(value, kind) for value, kind in zip(key, kinds, strict=True))


@dataclass(frozen=True, slots=True)
class KeyColumn:
    """One column of a sort order. NULLs sort last in both directions; the last column is unique."""

    column: Any
    kind: str
    read: Callable[[Any], Any]
    descending: bool = False
    nullable: bool = False


def order_by(keys: Sequence[KeyColumn]) -> list[Any]:
    return [
        (key.column.desc() if key.descending else key.column.asc()).nulls_last()
        if key.nullable
        else (key.column.desc() if key.descending else key.column.asc())
        for key in keys
    ]


def after(keys: Sequence[KeyColumn], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows that come strictly after the row whose sort key is ``values``, in the order of ``keys``.

    The exact condition is a nest of ORs that planners answer by scanning from the first row; the
    leading keys that share a direction and are never NULL also give a row-value bound, which the
    sort index answers as a range, so a deep cursor costs what the first page does.
    """
    exact = _after(keys, values)
    lead = []
    for key, value in zip(keys, values, strict=True):
        if key.nullable or value is None or key.descending != keys[0].descending:
            break
        lead.append((key.column, value))
    if not lead:
        return exact
    columns = tuple_(*(column for column, _ in lead))
    bound = tuple_(*(value if isinstance(value, BindParameter) else literal(value) for _, value in lead))
    return and_(columns <= bound if keys[0].descending else columns >= bound, exact)


def _after(keys: Sequence[KeyColumn], values: Sequence[Any]) -> ColumnElement[bool]:
    key, value = keys[0], values[0]
    rest = _after(keys[1:], values[1:]) if len(keys) > 1 else None
    if value is None:
        return and_(key.column.is_(None), rest) if rest is not None else false()
    beyond = key.column < value if key.descending else key.column > value
    parts: list[ColumnElement[bool]] = [beyond]
    if rest is not None:
        parts.append(and_(key.column == value, rest))
    if key.nullable:
        parts.append(key.column.is_(None))
    return or_(*parts)


def key_parameters(keys: Sequence[KeyColumn]) -> list[BindParameter[Any]]:
    """Bind parameters ``key_0``, ``key_1``, ... for ``after``, to prepare a statement for any cursor of a
    sort whose keys are never null (a null key changes the condition's shape)."""
    return [bindparam(f"key_{i}", type_=key.column.type) for i, key in enumerate(keys)]


def key_values(after_key: Sequence[Any]) -> dict[str, Any]:
    return {f"key_{i}": value for i, value in enumerate(after_key)}


def kinds(keys: Sequence[KeyColumn]) -> list[str]:
    return [key.kind + ("?" if key.nullable else "") for key in keys]


def cursor_after(sort: str, keys: Sequence[KeyColumn], item: Any) -> str:
    return encode_cursor(sort, [key.read(item) for key in keys])
