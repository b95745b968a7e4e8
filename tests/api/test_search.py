from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.search import sql
from app.search.query import parse_query
from tests.builders import PESKOV_BODY, make_article, peskov_article


@pytest.fixture
def corpus(engine: Engine) -> dict[str, int]:
    return {
        "peskov": peskov_article(engine),
        "border": make_article(
            engine,
            title="Troops at the border",
            body="Troops were sent to the border. NATO said nothing about the deployment.",
            section="EUROPE",
            published_on=dt.date(2025, 3, 4),
        ),
        "ceasefire_title": make_article(
            engine, title="Ceasefire talks open", body="Delegations met in Riyadh on Tuesday."
        ),
        "ceasefire_body": make_article(
            engine, title="Markets", body="Shares rose. Some hoped for a ceasefire; analysts were sceptical."
        ),
    }


def titles(group: dict) -> list[str]:
    return [hit["article"]["title"] for hit in group["items"]]


def test_search_answers_every_group_with_totals(client: TestClient, corpus: dict[str, int]) -> None:
    response = client.get("/search", params={"q": "peskov"})
    assert response.status_code == 200
    body = response.json()
    assert body["q"] == "peskov"
    assert (body["articles"]["total"], body["articles"]["total_exact"]) == (1, True)
    assert titles(body["articles"]) == ["Kremlin on troops 2025-02-20 oppose"]
    assert body["quotes"] == {"total": 0, "total_exact": True, "items": []}
    assert body["actors"]["total"] == 1
    actor = body["actors"]["items"][0]
    assert actor["actor"]["slug"] == "dmitry-peskov"
    assert actor["highlights"] == [
        {"field": None, "start": 0, "end": 13, "text": "Dmitry Peskov", "matches": [{"start": 7, "end": 13}]}
    ]


def test_words_are_stemmed_and_all_required(client: TestClient, corpus: dict[str, int]) -> None:
    found = client.get("/search", params={"q": "troop"}).json()["articles"]
    assert sorted(titles(found)) == ["Kremlin on troops 2025-02-20 oppose", "Troops at the border"]
    both = client.get("/search", params={"q": "troops border"}).json()["articles"]
    assert titles(both) == ["Troops at the border"]


def test_phrase_query_and_its_highlight(client: TestClient, corpus: dict[str, int]) -> None:
    found = client.get("/search", params={"q": '"troops to Ukraine"'}).json()["articles"]
    assert found["total"] == 1
    hit = found["items"][0]
    assert hit["article"]["id"] == corpus["peskov"]
    assert hit["highlights"] == [
        {
            "field": "body",
            "start": 0,
            "end": len(PESKOV_BODY),
            "text": PESKOV_BODY,
            "matches": [{"start": 76, "end": 93}],
        }
    ]
    assert PESKOV_BODY[76:93] == "troops to Ukraine"
    # The same words, not next to each other, are not the phrase.
    assert client.get("/search", params={"q": '"ukraine troops"'}).json()["articles"]["total"] == 0


def test_exclusion(client: TestClient, corpus: dict[str, int]) -> None:
    found = client.get("/search", params={"q": "troops -nato"}).json()["articles"]
    assert titles(found) == ["Kremlin on troops 2025-02-20 oppose"]
    phrase = client.get("/search", params={"q": 'troops -"said nothing"'}).json()["articles"]
    assert titles(phrase) == ["Kremlin on troops 2025-02-20 oppose"]


def test_or(client: TestClient, corpus: dict[str, int]) -> None:
    found = client.get("/search", params={"q": "riyadh OR nato"}).json()["articles"]
    assert sorted(titles(found)) == ["Ceasefire talks open", "Troops at the border"]


def test_no_result(client: TestClient, corpus: dict[str, int]) -> None:
    body = client.get("/search", params={"q": "zanzibar"}).json()
    for group in ("articles", "quotes", "actors"):
        assert body[group] == {"total": 0, "total_exact": True, "items": []}


def test_title_match_outranks_body_match(client: TestClient, corpus: dict[str, int]) -> None:
    found = client.get("/search", params={"q": "ceasefire"}).json()["articles"]
    assert titles(found) == ["Ceasefire talks open", "Markets"]
    assert found["items"][0]["score"] > found["items"][1]["score"]


def test_quotes_are_searched_with_highlights_in_article_coordinates(
    client: TestClient, corpus: dict[str, int]
) -> None:
    found = client.get("/search", params={"q": "concern"}).json()["quotes"]
    assert found["total"] == 1
    hit = found["items"][0]
    assert hit["quote"]["content"]["text"] == "This causes concern for us,"
    [highlight] = hit["highlights"]
    assert highlight["field"] == "body"
    assert PESKOV_BODY[highlight["start"] : highlight["end"]] == highlight["text"]
    [match] = highlight["matches"]
    assert highlight["text"][match["start"] : match["end"]] == "concern"


def test_limit_per_group(client: TestClient, engine: Engine) -> None:
    for day in range(1, 6):
        make_article(engine, title=f"Drone report {day}", published_on=dt.date(2025, 1, day))
    found = client.get("/search", params={"q": "drone", "limit": 2}).json()["articles"]
    assert found["total"] == 5
    assert len(found["items"]) == 2


@pytest.mark.parametrize(
    ("q", "detail"),
    [
        ('"troops to', "Parameter 'q': a quote is not closed."),
        ("troops OR", "Parameter 'q': OR must stand between two words or phrases."),
        ("-nato", "Parameter 'q': a query needs at least one word that is not excluded."),
        ("*** ^^^", "Parameter 'q': no word to search for (only letters and digits are searched)."),
    ],
)
def test_malformed_query_is_a_422_problem(client: TestClient, q: str, detail: str) -> None:
    for path in ("/search", "/articles", "/quotes"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 422, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == detail


@pytest.mark.parametrize("q", ["hello AND", "NEAR(", 'a" OR "b', "col:x", "x*", "^start", "a + b", "(x"])
def test_fts_syntax_in_user_text_is_never_a_500(client: TestClient, corpus: dict[str, int], q: str) -> None:
    assert client.get("/search", params={"q": q}).status_code in (200, 422)
    assert client.get("/articles", params={"q": q}).status_code in (200, 422)


def test_nul_and_empty_queries_are_422(client: TestClient) -> None:
    assert client.get("/search", params={"q": "a\x00b"}).status_code == 422
    assert client.get("/search", params={"q": ""}).status_code == 422
    assert client.get("/search").status_code == 422
    assert client.get("/articles", params={"q": "a\x00b"}).status_code == 422


def test_index_follows_updates_and_deletes(
    client: TestClient, engine: Engine, corpus: dict[str, int]
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE article SET title = 'Armistice signed' WHERE id = :id"), {"id": corpus["border"]}
        )
        connection.execute(text("DELETE FROM article WHERE id = :id"), {"id": corpus["peskov"]})
    assert titles(client.get("/search", params={"q": "armistice"}).json()["articles"]) == ["Armistice signed"]
    assert client.get("/search", params={"q": "peskov"}).json()["articles"]["total"] == 0
    # The quote went with its article (ON DELETE CASCADE), and out of the index with it.
    assert client.get("/search", params={"q": "concern"}).json()["quotes"]["total"] == 0


def test_dense_matches(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "DENSE_MINIMUM", 1)
    monkeypatch.setattr(sql, "DENSE_SHARE", 2)  # dense: in at least half the articles
    for title in ("Troops one", "Troops two", "Troops three", "Other"):
        make_article(engine, title=title)
    with Session(engine) as session:
        assert sql.dense_article_match(session, parse_query("troops")) is True
        assert sql.dense_article_match(session, parse_query("other")) is False
