from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.builders import PESKOV_BODY, make_article, peskov_article


def test_empty_list(client: TestClient) -> None:
    response = client.get("/articles")
    assert response.status_code == 200
    assert response.json() == {
        "items": [],
        "total": 0,
        "page": 1,
        "limit": 20,
        "next_cursor": None,
        "total_exact": True,
        "facets": None,
    }


def test_list_newest_first_with_total_and_link(client: TestClient, engine: Engine) -> None:
    for day in (1, 3, 2):
        make_article(engine, title=f"Day {day}", published_on=dt.date(2025, 1, day))
    response = client.get("/articles", params={"limit": 2})
    body = response.json()
    assert [item["title"] for item in body["items"]] == ["Day 3", "Day 2"]
    assert body["total"] == 3
    assert body["limit"] == 2
    link = response.headers["link"]
    assert 'rel="next"' in link and "page=2" in link and 'rel="prev"' not in link
    second = client.get("/articles", params={"limit": 2, "page": 2}).json()
    assert [item["title"] for item in second["items"]] == ["Day 1"]


def test_sort_and_date_filters(client: TestClient, engine: Engine) -> None:
    for day in (1, 2, 3):
        make_article(engine, title=f"Day {day}", published_on=dt.date(2025, 1, day))
    oldest = client.get("/articles", params={"sort": "published_on"}).json()
    assert [item["title"] for item in oldest["items"]] == ["Day 1", "Day 2", "Day 3"]
    window = client.get("/articles", params={"from": "2025-01-02", "to": "2025-01-02"}).json()
    assert [item["title"] for item in window["items"]] == ["Day 2"]


def test_section_filter_ignores_case(client: TestClient, engine: Engine) -> None:
    make_article(engine, title="World news", section="WORLD")
    make_article(engine, title="Sport news", section="SPORT")
    found = client.get("/articles", params={"section": "world"}).json()
    assert [item["title"] for item in found["items"]] == ["World news"]


def test_limit_is_clamped(client: TestClient, engine: Engine) -> None:
    make_article(engine)
    assert client.get("/articles", params={"limit": 5000}).json()["limit"] == 100


def test_detail_by_id_and_slug_with_facts(client: TestClient, engine: Engine) -> None:
    article_id = peskov_article(engine)
    plain = client.get(f"/articles/{article_id}").json()
    assert plain["body"] == PESKOV_BODY
    assert plain["quotes"] is None
    assert plain["ingested_at"].endswith("Z") or plain["ingested_at"].endswith("+00:00")
    by_slug = client.get(f"/articles/{plain['slug']}").json()
    assert by_slug["id"] == article_id
    full = client.get(
        f"/articles/{article_id}",
        params=[("include", "quotes"), ("include", "actors"), ("include", "positions")],
    ).json()
    assert [q["content"]["text"] for q in full["quotes"]] == ["This causes concern for us,"]
    assert sorted(a["name"] for a in full["actors"]) == ["Dmitry Peskov", "Russia", "Ukraine"]
    assert [(p["actor"]["name"], p["stance"]) for p in full["positions"]] == [("Russia", "oppose")]


def test_article_fact_lists(client: TestClient, engine: Engine) -> None:
    article_id = peskov_article(engine)
    quotes = client.get(f"/articles/{article_id}/quotes").json()
    assert quotes["total"] == 1
    quote = quotes["items"][0]
    assert quote["speaker"]["slug"] == "dmitry-peskov"
    assert PESKOV_BODY[quote["cue"]["start"] : quote["cue"]["end"]] == "told"
    actors = client.get(f"/articles/{article_id}/actors").json()
    assert [a["name"] for a in actors["items"]] == ["Dmitry Peskov", "Russia", "Ukraine"]
    positions = client.get(f"/articles/{article_id}/positions").json()
    assert positions["items"][0]["claim"]["text"] == "sending troops to Ukraine"


def test_actor_and_topic_filters(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    make_article(engine, title="Unrelated")
    by_actor = client.get("/articles", params={"actor": "dmitry-peskov"}).json()
    assert by_actor["total"] == 1
    by_topic = client.get("/articles", params={"topic": "foreign-troops-in-ukraine"}).json()
    assert by_topic["total"] == 1


def test_unknown_article_is_a_problem(client: TestClient) -> None:
    response = client.get("/articles/999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert problem["title"] == "Not found"
    assert problem["detail"] == "No article with id or slug '999999'."


def test_huge_id_is_404_not_500(client: TestClient) -> None:
    assert client.get(f"/articles/{2**63}").status_code == 404
