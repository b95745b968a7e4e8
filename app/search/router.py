"""``GET /search``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.db import SessionDep, read_endpoint
from app.errors import problem_responses
from app.search import service
from app.search.schemas import SearchResults
from app.search.sql import RANK_CANDIDATES, TOTAL_CAP

router = APIRouter(tags=["search"])

QUERY_SYNTAX = """
**Query syntax**: words (all must match, stemmed: `troop` finds "troops"); `"an exact phrase"`;
`OR` between two words or phrases (`troops OR soldiers`; binds tighter than the implicit AND);
`-word` or `-"a phrase"` to exclude. Case and accents are ignored; punctuation inside a word makes a
phrase (`far-right`). A query with an unclosed quote, a dangling `OR` or only exclusions is a 422
problem.
"""


@router.get(
    "/search",
    response_model=SearchResults,
    operation_id="search",
    summary="Search articles, quotes and actors",
    description=(
        "One query over article titles, standfirsts and bodies, quoted words, and actor names and aliases. "
        "Each group answers its best `limit` results with highlighted excerpts (plain text and character "
        "ranges, never HTML) and its total.\n\n"
        f"**Ranking** is bm25 (SQLite) or ts_rank (PostgreSQL) over the {RANK_CANDIDATES} most recently "
        "ingested matches, so that a common word costs no more than a rare one; for every match in date "
        "order use `GET /articles?q=` or `GET /quotes?q=`. Totals count up to "
        f"{TOTAL_CAP:,} (`total_exact` is false beyond).\n" + QUERY_SYNTAX
    ),
    responses=problem_responses(422),
)
@read_endpoint
def search(
    session: SessionDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            pattern=r"^[^\x00]*$",
            description="The query; see the syntax above.",
            examples=['peskov "foreign troops" -nato'],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="Results per group.")] = 10,
) -> SearchResults:
    return service.search(session, q, limit)
