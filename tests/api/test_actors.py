from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.extraction.types import Role
from tests.builders import actor, find, make_article, peskov_article


def test_one_record_per_actor_across_articles(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 1))
    peskov_article(engine, published_on=dt.date(2025, 3, 1))
    page = client.get("/actors", params={"sort": "name"}).json()
    assert [a["name"] for a in page["items"]] == ["Dmitry Peskov", "Kremlin", "Russia", "Ukraine"]
    peskov = client.get("/actors/dmitry-peskov").json()
    assert peskov["counts"] == {"articles": 2, "quotes": 2, "positions": 0, "mentions": 4}
    assert peskov["aliases"] == ["Dmitry Peskov", "Peskov"]
    assert peskov["roles"] == [
        {"title": "Kremlin spokesman", "first_seen": "2025-01-01", "last_seen": "2025-03-01", "articles": 2}
    ]
    assert peskov["country"]["name"] == "Russia"
    assert peskov["affiliation"]["name"] == "Kremlin"


def test_prefix_search_on_names_and_aliases(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    assert [a["name"] for a in client.get("/actors", params={"q": "pes"}).json()["items"]] == [
        "Dmitry Peskov"
    ]
    assert [a["name"] for a in client.get("/actors", params={"q": "Dmi"}).json()["items"]] == [
        "Dmitry Peskov"
    ]
    assert client.get("/actors", params={"q": "%"}).json()["total"] == 0


def test_prefix_search_takes_like_wildcards_literally(client: TestClient, engine: Engine) -> None:
    names = ("a_b Group", "axb Group", "a/b Partners", "50% Club", "500 Club")
    body = " and ".join(names) + " met."
    make_article(
        engine,
        body=body,
        actors=tuple(actor(name, "organization", mentions=(find(body, name),)) for name in names),
    )
    for q, expected in (
        ("a_", ["a_b Group"]),
        ("a/", ["a/b Partners"]),
        ("50%", ["50% Club"]),
        ("ax", ["axb Group"]),
    ):
        found = client.get("/actors", params={"q": q}).json()
        assert ([a["name"] for a in found["items"]], found["total"]) == (expected, 1)


def test_kind_and_country_filters(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    countries = client.get("/actors", params={"kind": "country", "sort": "name"}).json()
    assert [a["name"] for a in countries["items"]] == ["Russia", "Ukraine"]
    russians = client.get("/actors", params={"country": "russia"}).json()
    assert [a["name"] for a in russians["items"]] == ["Dmitry Peskov"]


def test_actor_sub_lists(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    assert client.get("/actors/dmitry-peskov/quotes").json()["total"] == 1
    assert client.get("/actors/dmitry-peskov/articles").json()["total"] == 1
    assert client.get("/actors/russia/positions").json()["total"] == 1
    related = client.get("/actors/dmitry-peskov/related").json()
    assert [(r["actor"]["name"], r["articles"]) for r in related["items"]] == [("Russia", 1), ("Ukraine", 1)]


def test_unknown_actor(client: TestClient) -> None:
    response = client.get("/actors/nobody")
    assert response.status_code == 404
    assert response.json()["detail"] == "No actor with id or slug 'nobody'."


def test_a_surname_article_counts_for_the_full_name(client: TestClient, engine: Engine) -> None:
    bare = "Blair said nothing."
    make_article(engine, body=bare, actors=(actor("Blair", mentions=(find(bare, "Blair"),)),))
    full = "Prime Minister Tony Blair spoke."
    make_article(
        engine,
        body=full,
        published_on=dt.date(2005, 5, 1),
        actors=(
            actor(
                "Tony Blair",
                mentions=(find(full, "Tony Blair"),),
                roles=(Role("Prime Minister", find(full, "Prime Minister")),),
            ),
        ),
    )
    assert [a["slug"] for a in client.get("/actors", params={"q": "blair"}).json()["items"]] == ["tony-blair"]
    blair = client.get("/actors/tony-blair").json()
    assert blair["counts"]["articles"] == 2
    assert blair["aliases"] == ["Blair", "Tony Blair"]
    assert blair["roles"] == [
        {"title": "Prime Minister", "first_seen": "2005-05-01", "last_seen": "2005-05-01", "articles": 1}
    ]
