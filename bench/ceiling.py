"""The reference ceiling: a minimal FastAPI ``async def`` endpoint serving the same 20-row article page
with the standard library's sqlite3 and orjson, no ORM, no validation.

    NEWSFACTS_BENCH_DB=bench/data/bench.db uvicorn bench.ceiling:app --port 8101
"""

from __future__ import annotations

import os
import sqlite3

import orjson
from fastapi import FastAPI
from fastapi.responses import Response

COLUMNS = ("id", "slug", "title", "standfirst", "section", "published_on", "source", "url", "word_count")
QUERY = (
    f"SELECT {', '.join(COLUMNS)} FROM article "
    "ORDER BY published_on DESC NULLS LAST, id DESC LIMIT 20 OFFSET ?"
)

connection = sqlite3.connect(
    os.environ.get("NEWSFACTS_BENCH_DB", "bench/data/bench.db"), check_same_thread=False
)
app = FastAPI()


@app.get("/articles")
async def articles(page: int = 1) -> Response:
    rows = connection.execute(QUERY, ((page - 1) * 20,)).fetchall()
    total = connection.execute("SELECT count(*) FROM article").fetchone()[0]
    items = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    return Response(orjson.dumps({"items": items, "total": total, "page": page, "limit": 20}))
