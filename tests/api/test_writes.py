"""POST /articles and DELETE /articles/{id}: keys, idempotence, validation, limits and cascades."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, func, select

from app import models
from app.articles.router import get_request_extractor
from app.main import create_app
from app.settings import Settings
from tests.builders import peskov_article
from tests.fakes import FakeExtractor

KEY = "k-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}

ARTICLE = {
    "title": "Ministers disagree on the harbour plan",
    "body": (
        '"We will not pay for it," Anna Berg said on Monday.\n\n'
        '"It is a good plan," Tomas Lind told reporters.'
    ),
    "date": "2025-03-01",
    "section": "Business",
    "source": "Test Wire",
}


def make_client(settings: Settings, **changes: Any) -> TestClient:
    app = create_app(settings.model_copy(update=changes))
    app.dependency_overrides[get_request_extractor] = FakeExtractor
    return TestClient(app)


@pytest.fixture
def writer(settings: Settings) -> Iterator[TestClient]:
    with make_client(settings, api_keys=[SecretStr("other-key"), SecretStr(KEY)]) as client:
        yield client


def counts(engine: Engine) -> dict[str, int]:
    tables = {
        "article": models.Article,
        "quote": models.Quote,
        "actor": models.Actor,
        "mention": models.Mention,
        "position": models.Position,
        "topic": models.Topic,
        "role": models.ActorRole,
    }
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()
        }


def test_writes_are_off_without_configured_keys(client: TestClient) -> None:
    response = client.post("/articles", json=ARTICLE, headers=AUTH)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "NEWSFACTS_API_KEYS" in response.json()["detail"]
    assert client.delete("/articles/1", headers=AUTH).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"X-API-Key": "nope"}, {"Authorization": f"Basic {KEY}"}],
)
def test_a_missing_or_wrong_key_is_401(writer: TestClient, headers: dict[str, str]) -> None:
    response = writer.post("/articles", json=ARTICLE, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"].endswith("/unauthorized")
    assert writer.delete("/articles/1", headers=headers).status_code == 401


def test_post_stores_the_article_with_its_facts_once(writer: TestClient, engine: Engine) -> None:
    created = writer.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY})
    assert created.status_code == 201
    body = created.json()
    assert created.headers["location"] == f"/articles/{body['id']}"
    assert body["title"] == ARTICLE["title"]
    assert body["published_on"] == "2025-03-01"
    assert sorted((q["content"]["text"], q["speaker"]["name"]) for q in body["quotes"]) == [
        ("It is a good plan", "Tomas Lind"),
        ("We will not pay for it", "Anna Berg"),
    ]
    assert {a["name"] for a in body["actors"]} == {"Anna Berg", "Tomas Lind"}
    assert writer.get(created.headers["location"]).status_code == 200

    # The same text again (other date, CRLF): the stored article, 200, nothing doubled.
    again = dict(ARTICLE, date="2025-03-02", body=ARTICLE["body"].replace("\n", "\r\n"))
    repeated = writer.post("/articles", json=again, headers=AUTH)
    assert repeated.status_code == 200
    assert repeated.json()["id"] == body["id"]
    assert repeated.headers["location"] == created.headers["location"]
    assert counts(engine)["article"] == 1
    assert counts(engine)["quote"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"body": ""}, "body"),
        ({"body": "a\x00b"}, "body"),
        ({"date": "next Tuesday"}, "date"),
        ({"date": "2025-02-30"}, "date"),
        ({"section": "x" * 101}, "section"),
        ({"body": 42}, "body"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(
    writer: TestClient, engine: Engine, change: dict[str, Any], field: str
) -> None:
    response = writer.post("/articles", json=dict(ARTICLE, **change), headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert field in problem["detail"]
    assert any(error["loc"][-1] == field for error in problem["errors"])
    assert counts(engine)["article"] == 0


@pytest.mark.parametrize(
    ("payload", "status"),
    [(b"[1, 2]", 422), (b"not json", 422), (b"", 422), (b'{"title": "a", "body": "\xff\xfe"}', 400)],
)
def test_a_body_that_is_not_a_json_object_is_a_problem(
    writer: TestClient, payload: bytes, status: int
) -> None:
    response = writer.post("/articles", content=payload, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_text_longer_than_the_setting_is_422(settings: Settings) -> None:
    with make_client(settings, api_keys=[SecretStr(KEY)], max_text_chars=1000) as client:
        response = client.post("/articles", json=dict(ARTICLE, body="word " * 300), headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"] == "Field 'body': longer than this server's limit of 1000 characters."


def test_a_body_too_large_is_413(settings: Settings, engine: Engine) -> None:
    with make_client(settings, api_keys=[SecretStr(KEY)], max_body_bytes=4096) as client:
        big = dict(ARTICLE, body="word " * 2000)
        declared = client.post("/articles", json=big, headers=AUTH)
        assert declared.status_code == 413
        assert declared.headers["content-type"] == "application/problem+json"
        assert declared.json()["title"] == "Body too large"

        def chunks() -> Iterator[bytes]:
            yield b'{"title": "t", "body": "'
            for _ in range(100):
                yield b"x" * 100
            yield b'"}'

        streamed = client.post(
            "/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
        )
        assert streamed.status_code == 413
        assert client.post("/articles", json=ARTICLE, headers=AUTH).status_code == 201
    assert counts(engine)["article"] == 1


def test_an_extraction_failure_is_a_500_problem(settings: Settings, engine: Engine) -> None:
    app = create_app(settings.model_copy(update={"api_keys": [SecretStr(KEY)]}))
    app.dependency_overrides[get_request_extractor] = FakeExtractor
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/articles", json=dict(ARTICLE, body="EXPLODE"), headers=AUTH)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"]
    assert counts(engine)["article"] == 0


def test_an_article_the_rules_cannot_process_is_422_and_stores_nothing(
    settings: Settings, engine: Engine
) -> None:
    app = create_app(settings.model_copy(update={"api_keys": [SecretStr(KEY)]}))
    app.dependency_overrides[get_request_extractor] = FakeExtractor
    with TestClient(app) as client:
        response = client.post("/articles", json=dict(ARTICLE, body="UNPROCESSABLE"), headers=AUTH)
    assert response.status_code == 422
    assert response.json()["title"] == "Article could not be processed"
    assert response.json()["detail"] == (
        "The facts of this article could not be extracted: ValueError: the fake rules were told to fail. "
        "Nothing was stored."
    )
    assert counts(engine)["article"] == 0


def test_delete_removes_the_article_its_facts_and_what_nothing_else_uses(
    writer: TestClient, engine: Engine
) -> None:
    first = peskov_article(engine)
    before = counts(engine)
    second = writer.post("/articles", json=ARTICLE, headers=AUTH).json()["id"]

    assert writer.delete(f"/articles/{second}", headers=AUTH).status_code == 204
    assert writer.get(f"/articles/{second}").status_code == 404
    assert counts(engine) == before

    assert writer.delete(f"/articles/{first}", headers=AUTH).status_code == 204
    # Nothing refers to any actor or topic any more: all gone, no orphan left.
    assert counts(engine) == dict.fromkeys(before, 0)
    assert writer.delete(f"/articles/{first}", headers=AUTH).status_code == 404


def test_delete_keeps_actors_other_articles_still_use(writer: TestClient, engine: Engine) -> None:
    kept = peskov_article(engine, stance="oppose")
    removed = peskov_article(engine, stance="support")
    before = counts(engine)
    assert writer.delete(f"/articles/{removed}", headers=AUTH).status_code == 204
    after = counts(engine)
    assert after["article"] == 1
    assert after["actor"] == before["actor"]
    assert after["topic"] == before["topic"] == 1
    assert after["quote"] == before["quote"] - 1
    assert writer.get(f"/articles/{kept}", params={"include": "quotes"}).json()["quotes"]


def test_delete_by_slug(writer: TestClient) -> None:
    slug = writer.post("/articles", json=ARTICLE, headers=AUTH).json()["slug"]
    assert writer.delete(f"/articles/{slug}", headers=AUTH).status_code == 204


def test_the_spec_declares_the_keys_and_the_problems(writer: TestClient) -> None:
    spec = writer.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "`Authorization: Bearer <API key>`",
    }
    assert schemes["apiKeyHeader"]["in"] == "header"
    post = spec["paths"]["/articles"]["post"]
    assert {"bearerKey": []} in post["security"]
    assert {"apiKeyHeader": []} in post["security"]
    assert {"200", "201", "401", "403", "413", "422", "429"} <= set(post["responses"])
    delete = spec["paths"]["/articles/{article}"]["delete"]
    assert {"204", "401", "403", "404", "422", "429"} <= set(delete["responses"])
    assert "security" not in spec["paths"]["/articles"]["get"]
