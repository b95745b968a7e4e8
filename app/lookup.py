"""Path and filter identifiers: a numeric id or a slug, bounded so no database sees an overflow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from app.db import prepared
from app.errors import InvalidParameter, NotFound

MAX_ID = 2**31 - 1


@prepared
def _lookup(model: Any, by_slug: bool) -> Select[Any]:
    return select(model.id).where((model.slug if by_slug else model.id) == bindparam("ident"))


def id_or_slug(model: Any, session: Session, ident: str) -> int | None:
    if ident.isdigit():
        number = int(ident)
        if number > MAX_ID:
            return None
        found = session.connection().execute(_lookup(model, False), {"ident": number}).scalar()
    else:
        found = session.connection().execute(_lookup(model, True), {"ident": ident}).scalar()
    return None if found is None else int(found)


def get_id_or_404(model: Any, session: Session, ident: str, noun: str) -> int:
    found = id_or_slug(model, session, ident)
    if found is None:
        raise NotFound(f"No {noun} with id or slug '{ident}'.")
    return found


def filter_id(model: Any, session: Session, ident: str | None, parameter: str) -> int | None:
    """A filter naming a record that does not exist is the caller's mistake: 422, not an empty page."""
    if ident is None:
        return None
    found = id_or_slug(model, session, ident)
    if found is None:
        raise InvalidParameter(f"Parameter '{parameter}': no record with id or slug '{ident}'.")
    return found
