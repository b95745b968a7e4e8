"""Full-text ``q`` with the other filters, keyset cursors, facets and exports on /articles and /quotes."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from urllib.parse import quote_plus

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app import export
from app.articles import service as articles_service
from app.db import write_session
from app.ingest import delete_article
from tests.builders import make_article, peskov_article


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["items"]]


@pytest.mark.parametrize("probe", [False, True], ids=["listed", "probed"])
def test_q_combines_with_every_article_filter(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, probe: bool
) -> None:
    # The plan for words in most articles, and the one for the others.
    monkeypatch.setattr(articles_service, "dense_article_match", lambda session, query: probe)
    peskov_article(engine, published_on=dt.date(2025, 1, 10))
    peskov_article(engine, published_on=dt.date(2025, 3, 10), stance="support")
    make_article(engine, title="Troops home", section="SPORT", published_on=dt.date(2025, 3, 11))
    make_article(engine, title="Nothing here", published_on=dt.date(2025, 3, 12))

    def titles(**params: str) -> list[str]:
        return [item["title"] for item in client.get("/articles", params=params).json()["items"]]

    assert titles(q="troops") == [
        "Troops home",
        "Kremlin on troops 2025-03-10 support",
        "Kremlin on troops 2025-01-10 oppose",
    ]
    assert titles(q="troops", section="world") == [
        "Kremlin on troops 2025-03-10 support",
        "Kremlin on troops 2025-01-10 oppose",
    ]
    assert titles(q="troops", **{"from": "2025-02-01", "to": "2025-03-10"}) == [
        "Kremlin on troops 2025-03-10 support"
    ]
    assert titles(q="troops", actor="dmitry-peskov", sort="published_on") == [
        "Kremlin on troops 2025-01-10 oppose",
        "Kremlin on troops 2025-03-10 support",
    ]
    assert titles(q="troops -home", topic="foreign-troops-in-ukraine") == [
        "Kremlin on troops 2025-03-10 support",
        "Kremlin on troops 2025-01-10 oppose",
    ]
    assert titles(q='"troops home"') == ["Troops home"]
    assert titles(q="zanzibar") == []


def test_q_combines_with_every_quote_filter(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 10))
    peskov_article(engine, published_on=dt.date(2025, 3, 10))

    def total(**params: str) -> int:
        return int(client.get("/quotes", params=params).json()["total"])

    assert total(q="concern") == 2
    assert total(q="concerns") == 2
    assert total(q='"causes concern"') == 2
    assert total(q='"concern causes"') == 0
    assert total(q="concern -us") == 0
    assert total(q="concern", speaker="dmitry-peskov", kind="direct", **{"from": "2025-02-01"}) == 1
    assert total(q="concern", kind="indirect") == 0


def test_cursor_walk_sees_every_row_once_while_rows_are_added(client: TestClient, engine: Engine) -> None:
    original = [
        make_article(engine, title=f"Row {n}", published_on=dt.date(2025, 1, 1 + n // 3)) for n in range(20)
    ]
    older, newer = [], []
    seen: list[int] = []
    page = client.get("/articles", params={"limit": 4}).json()
    while True:
        seen += ids(page)
        # Between pages, rows arrive both ahead of the walk (newer) and behind it (older dates).
        newer.append(make_article(engine, title="Breaking", published_on=dt.date(2026, 1, 1)))
        # Each older row sorts after the previous ones, so it is still ahead of the walk.
        archived_on = dt.date(2024, 12, 31) - dt.timedelta(days=len(older))
        older.append(make_article(engine, title="Archive", published_on=archived_on))
        if page["next_cursor"] is None:
            break
        page = client.get("/articles", params={"limit": 4, "cursor": page["next_cursor"]}).json()
    assert len(seen) == len(set(seen))
    assert set(original) <= set(seen)
    assert set(newer).isdisjoint(seen)
    # Every older row but the one added after the last page was walked over.
    assert set(seen) - set(original) == set(older[:-1])


@pytest.mark.parametrize("sort", ["-published_on", "published_on", "title", "-word_count"])
def test_cursor_walk_matches_offset_pages_for_every_sort(
    client: TestClient, engine: Engine, sort: str
) -> None:
    for n in range(9):
        make_article(
            engine,
            title=f"Title {n % 4}",
            body="word " * (n % 3 + 1),
            published_on=None if n == 4 else dt.date(2025, 1, 1 + n % 2),
        )
    everything = ids(client.get("/articles", params={"sort": sort, "limit": 100}).json())
    walked: list[int] = []
    params = {"sort": sort, "limit": 2}
    while True:
        page = client.get("/articles", params=params).json()
        walked += ids(page)
        if not page["next_cursor"]:
            break
        params = {"sort": sort, "limit": 2, "cursor": page["next_cursor"]}
    assert walked == everything
    assert len(everything) == 9


@pytest.mark.parametrize("sort", ["-published_on", "published_on"])
def test_deep_offset_pages_start_at_their_day(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    # Days across the ends of a month and a year, several articles on some, and undated ones (last).
    days = [dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 1, 31), dt.date(2025, 2, 1)]
    stored = [
        make_article(engine, title=f"Row {n}", published_on=None if n % 5 == 4 else days[n % 4])
        for n in range(14)
    ]
    # The only article of its month: the day's and the month's counts lose it.
    gone = make_article(engine, title="Gone", published_on=dt.date(2025, 3, 3))
    with write_session(engine) as session:
        delete_article(session, gone)
        delete_article(session, stored[6])
    everything = ids(client.get("/articles", params={"sort": sort, "limit": 100}).json())
    assert len(everything) == 13
    anchored = []
    from_day = articles_service._from_day
    monkeypatch.setattr(articles_service, "DAY_SKIP_FROM", 1)
    monkeypatch.setattr(
        articles_service, "_from_day", lambda *args: anchored.append(args[2]) or from_day(*args)
    )
    for limit in (1, 2, 3, 5):
        for page in range(1, 16):
            answer = client.get("/articles", params={"sort": sort, "limit": limit, "page": page}).json()
            start = (page - 1) * limit
            assert ids(answer) == everything[start : start + limit], (limit, page)
            assert answer["total"] == 13
    # Filtered lists and other orders page as before.
    client.get("/articles", params={"sort": sort, "limit": 2, "page": 3, "section": "world"})
    client.get("/articles", params={"sort": "title", "limit": 2, "page": 3})
    assert anchored == [(page - 1) * limit for limit in (1, 2, 3, 5) for page in range(2, 16)]


def test_quote_cursor_walk(client: TestClient, engine: Engine) -> None:
    for day in range(1, 6):
        peskov_article(engine, published_on=dt.date(2025, 1, day))
    for sort in ("-published_on", "published_on", "-confidence"):
        everything = ids(client.get("/quotes", params={"sort": sort}).json())
        walked: list[int] = []
        params = {"sort": sort, "limit": 2}
        while True:
            page = client.get("/quotes", params=params).json()
            walked += ids(page)
            if not page["next_cursor"]:
                break
            params = {"sort": sort, "limit": 2, "cursor": page["next_cursor"]}
        assert walked == everything
        assert len(walked) == 5


def test_next_cursor_is_in_the_link_header(client: TestClient, engine: Engine) -> None:
    for day in (1, 2, 3):
        make_article(engine, title=f"Day {day}", published_on=dt.date(2025, 1, day))
    first = client.get("/articles", params={"limit": 2})
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    assert f'<http://testserver/articles?cursor={cursor}&limit=2>; rel="next"' in first.headers["link"]
    second = client.get("/articles", params={"limit": 2, "cursor": cursor})
    assert [item["title"] for item in second.json()["items"]] == ["Day 1"]
    assert second.json()["next_cursor"] is None
    assert 'rel="next"' not in second.headers["link"]


def _token(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("cursor", "detail"),
    [
        ("not-a-cursor", "Parameter 'cursor': not a cursor of this list."),
        (_token([1, "-published_on", ["2025-01-01"]]), "Parameter 'cursor': not a cursor of this list."),
        (_token([1, "-published_on", ["2025-13-01", 3]]), "Parameter 'cursor': not a cursor of this list."),
        (
            _token([1, "-published_on", ["2025-01-01", 2**40]]),
            "Parameter 'cursor': not a cursor of this list.",
        ),
        (_token([1, "-published_on", [None, "3"]]), "Parameter 'cursor': not a cursor of this list."),
        (_token([1, "title", ["a", 3]]), "Parameter 'cursor': made for sort=title, not sort=-published_on."),
        (_token({"a": 1}), "Parameter 'cursor': not a cursor of this list."),
        (_token([2, "-published_on", [None, 3]]), "Parameter 'cursor': not a cursor of this list."),
    ],
)
def test_bad_cursor_is_a_422_problem(client: TestClient, cursor: str, detail: str) -> None:
    response = client.get("/articles", params={"cursor": cursor})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail


def test_cursor_syntax_page_and_bounds(client: TestClient) -> None:
    assert client.get("/articles", params={"cursor": "abc$"}).status_code == 422
    assert client.get("/quotes", params={"cursor": "x" * 5000}).status_code == 422
    cursor = _token([1, "-published_on", [None, 3]])
    response = client.get("/articles", params={"cursor": cursor, "page": 2})
    assert response.status_code == 422
    assert response.json()["detail"] == "Parameters 'cursor' and 'page' cannot be combined."
    assert client.get("/articles", params={"page": 2**31}).status_code == 422
    assert client.get("/quotes", params={"cursor": _token([1, "-confidence", [1e999, 1]])}).status_code == 422


def test_facets_count_the_whole_filtered_result(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 10))
    peskov_article(engine, published_on=dt.date(2025, 2, 10))
    make_article(engine, title="Troops home", section="SPORT", published_on=dt.date(2025, 2, 11))
    make_article(engine, title="Other", section="SPORT", published_on=None)
    body = client.get("/articles", params={"facets": "section,month,actor,topic", "limit": 1}).json()
    assert len(body["items"]) == 1
    assert body["facets"] == {
        "section": [
            {"value": "SPORT", "label": "SPORT", "count": 2},
            {"value": "WORLD", "label": "WORLD", "count": 2},
        ],
        "month": [
            {"value": "2025-01", "label": "2025-01", "count": 1},
            {"value": "2025-02", "label": "2025-02", "count": 2},
            {"value": None, "label": None, "count": 1},
        ],
        "actor": [
            {"value": "dmitry-peskov", "label": "Dmitry Peskov", "count": 2},
            {"value": "russia", "label": "Russia", "count": 2},
            {"value": "ukraine", "label": "Ukraine", "count": 2},
        ],
        "topic": [{"value": "foreign-troops-in-ukraine", "label": "foreign troops in Ukraine", "count": 2}],
    }
    filtered = client.get(
        "/articles", params={"facets": "section,month", "q": "troops", "from": "2025-02-01"}
    )
    assert filtered.json()["facets"] == {
        "section": [
            {"value": "SPORT", "label": "SPORT", "count": 1},
            {"value": "WORLD", "label": "WORLD", "count": 1},
        ],
        "month": [{"value": "2025-02", "label": "2025-02", "count": 2}],
    }
    assert client.get("/articles", params={"facets": "section,colour"}).status_code == 422


def test_quote_facets(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 10))
    peskov_article(engine, published_on=dt.date(2025, 2, 10))
    body = client.get("/quotes", params={"facets": "speaker,month,kind,topic"}).json()
    assert body["facets"] == {
        "speaker": [{"value": "dmitry-peskov", "label": "Dmitry Peskov", "count": 2}],
        "month": [
            {"value": "2025-01", "label": "2025-01", "count": 1},
            {"value": "2025-02", "label": "2025-02", "count": 1},
        ],
        "kind": [{"value": "direct", "label": "direct", "count": 2}],
        "topic": [],
    }


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content[3:].decode("utf-8"), newline="")))


def test_csv_export_streams_every_row_in_batches(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "BATCH", 50)
    made = [
        make_article(engine, title=f"Row {n}", published_on=dt.date(2025, 1, 1 + n % 28)) for n in range(127)
    ]
    made.append(make_article(engine, title='=HYPERLINK("http://x", "click"), "quoted"', section="@risk"))
    made.append(make_article(engine, title="-2+3", section="WORLD"))
    response = client.get("/articles", params={"format": "csv", "limit": 5, "page": 3})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="articles.csv"'
    assert b"\r\n" in response.content
    rows = _csv_rows(response.content)
    assert len(rows) == 129 > 100  # more than the largest page
    assert sorted(int(row["id"]) for row in rows) == sorted(made)
    assert list(rows[0]) == [
        "id",
        "slug",
        "title",
        "standfirst",
        "section",
        "published_on",
        "source",
        "url",
        "word_count",
    ]
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[made[-2]]["title"] == '\'=HYPERLINK("http://x", "click"), "quoted"'
    assert by_id[made[-2]]["section"] == "'@risk"
    assert by_id[made[-1]]["title"] == "'-2+3"
    assert by_id[made[0]]["published_on"] == "2025-01-01"
    # Same order as the JSON list.
    assert [int(row["id"]) for row in rows[:20]] == ids(client.get("/articles").json())


def test_csv_export_follows_the_filters(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    make_article(engine, title="Troops home", section="SPORT")
    rows = _csv_rows(
        client.get("/articles", params={"format": "csv", "q": "troops", "section": "sport"}).content
    )
    assert [row["title"] for row in rows] == ["Troops home"]
    quotes = _csv_rows(client.get("/quotes", params={"format": "csv"}).content)
    assert len(quotes) == 1
    assert {
        k: quotes[0][k] for k in ("kind", "speaker_slug", "speaker_text", "cue", "content", "start", "end")
    } == {
        "kind": "direct",
        "speaker_slug": "dmitry-peskov",
        "speaker_text": "Peskov",
        "cue": "told",
        "content": "This causes concern for us,",
        "start": "1",
        "end": "28",
    }


def test_ndjson_export_by_accept_header(client: TestClient, engine: Engine) -> None:
    for day in (1, 2, 3):
        peskov_article(engine, published_on=dt.date(2025, 1, day))
    response = client.get("/quotes", headers={"Accept": "application/x-ndjson"})
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = response.text.splitlines()
    assert [json.loads(line) for line in lines] == client.get("/quotes").json()["items"]
    csv_response = client.get("/articles", headers={"Accept": "text/csv"})
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    assert len(_csv_rows(csv_response.content)) == 3
    assert client.get("/articles", params={"format": "xml"}).status_code == 422


def test_empty_export_has_a_header_only(client: TestClient) -> None:
    assert client.get("/articles", params={"format": "csv"}).content == (
        b"\xef\xbb\xbfid,slug,title,standfirst,section,published_on,source,url,word_count\r\n"
    )
    assert client.get("/quotes", params={"format": "ndjson"}).content == b""


@pytest.mark.parametrize("path", ["/articles", "/quotes"])
@pytest.mark.parametrize("output", ["csv", "ndjson"])
def test_export_of_a_query_with_no_word_is_a_422_problem(client: TestClient, path: str, output: str) -> None:
    # Found by the contract test: the query was parsed only once the stream had started, a 500 (or,
    # after a CSV header, a 200 cut short).
    response = client.get(path, params={"format": output, "q": "\x0c"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith("Parameter 'q': no word to search for")


def test_link_header_keeps_the_other_parameters_in_order(client: TestClient, engine: Engine) -> None:
    for day in (1, 2, 3):
        make_article(engine, title=f"Day {day}", section="Middle East", published_on=dt.date(2025, 1, day))
    make_article(engine, title="Elsewhere", section="Sport", published_on=dt.date(2025, 1, 4))
    response = client.get("/articles?limit=1&section=Middle%20East&page=2")
    cursor = response.json()["next_cursor"]
    assert [item["title"] for item in response.json()["items"]] == ["Day 2"]
    base = "http://testserver/articles?section=Middle+East"
    assert response.headers["link"] == (
        f'<{base}&page=1&limit=1>; rel="first", '
        f'<{base}&page=1&limit=1>; rel="prev", '
        f'<{base}&cursor={quote_plus(cursor)}&limit=1>; rel="next", '
        f'<{base}&page=3&limit=1>; rel="last"'
    )
    bare = client.get("/articles?page=9&limit=2")
    assert bare.headers["link"] == (
        '<http://testserver/articles?page=1&limit=2>; rel="first", '
        '<http://testserver/articles?page=2&limit=2>; rel="prev", '
        '<http://testserver/articles?page=2&limit=2>; rel="last"'
    )
