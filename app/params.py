"""Query parameters several routers share, typed and bounded."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import Query
from pydantic import BeforeValidator

IdOrSlug = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="A numeric id or a slug.",
        examples=["dmitry-peskov"],
    ),
]


def _iso_date_only(value: object) -> object:
    # Without this, pydantic also reads a number as a Unix time: ?to=0 would mean 1970-01-01.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date like 2025-02-20")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DateFrom = Annotated[
    dt.date | None,
    BeforeValidator(_iso_date_only),
    Query(alias="from", description="Published on or after (YYYY-MM-DD)."),
]
DateTo = Annotated[
    dt.date | None,
    BeforeValidator(_iso_date_only),
    Query(alias="to", description="Published on or before (YYYY-MM-DD)."),
]
SearchText = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00]*$",
        description='Full-text query: words, "exact phrases", OR, -exclusion (syntax: `GET /search`).',
        examples=['troops "peace plan" -nato'],
    ),
]
