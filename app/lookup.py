"""Path and filter identifiers: a numeric id or a slug, bounded so no database sees an overflow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from app.db import prepared, run_prepared
from app.errors import InvalidParameter, NotFound

MAX_ID = 2**31 - 1


@prepared
def _lookup(model: Any, by_slug: bool) -> Select[Any]:
    return select(model.id).where((model.slug if by_slug else model.id) == bindparam("ident"))


def parse_ident(ident: str) -> tuple[bool, int | str] | None:
    """``(by_slug, value)`` for a numeric id or a slug; None for an id no record can have."""
    if ident.isdigit():
        number = int(ident)
        return None if number > MAX_ID else (False, number)
    return True, ident


def id_or_slug(model: Any, session: Session, ident: str) -> int | None:
    parsed = parse_ident(ident)
    if parsed is None:
        return None
    by_slug, value = parsed
    found = run_prepared(session.connection(), _lookup(model, by_slug), {"ident": value}).scalar()
    return None if found is None else int(found)


def not_found(noun: str, ident: str) -> NotFound:
    return NotFound(f"No {noun} with id or slug '{ident}'.")


def get_id_or_404(model: Any, session: Session, ident: str, noun: str) -> int:
    found = id_or_slug(model, session, ident)
    if found is None:
        raise not_found(noun, ident)
    return found


def filter_id(model: Any, session: Session, ident: str | None, parameter: str) -> int | None:
    """A filter naming a record that does not exist is the caller's mistake: 422, not an empty page."""
    if ident is None:
        return None
    found = id_or_slug(model, session, ident)
    if found is None:
        raise InvalidParameter(f"Parameter '{parameter}': no record with id or slug '{ident}'.")
    return found
