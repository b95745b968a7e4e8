"""ETags and 304s, Cache-Control, CORS and compression."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.http_cache import etag_matches
from app.main import create_app
from app.settings import Settings
from tests.builders import make_article


def test_get_has_an_etag_and_if_none_match_answers_304(client: TestClient, engine: Engine) -> None:
    make_article(engine, title="First")
    first = client.get("/articles")
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and etag.endswith('"')
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get("/articles", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=60"
    assert client.get("/articles", headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
    assert client.get("/articles", headers={"If-None-Match": '"other"'}).status_code == 200
    make_article(engine, title="Second")
    changed = client.get("/articles", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_every_json_get_has_an_etag(client: TestClient, engine: Engine) -> None:
    article_id = make_article(engine)
    for path in ("/articles", f"/articles/{article_id}", "/quotes", "/actors", "/topics", "/positions"):
        assert client.get(path).headers["etag"].startswith('W/"'), path
    assert client.get("/search", params={"q": "body"}).headers["etag"].startswith('W/"')


def test_problems_and_operations_are_not_cached(client: TestClient) -> None:
    missing = client.get("/articles/999")
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    assert "cache-control" not in missing.headers
    assert client.get("/health").headers["cache-control"] == "no-store"
    assert "etag" not in client.get("/health").headers


def test_exports_stream_without_an_etag(client: TestClient, engine: Engine) -> None:
    make_article(engine)
    response = client.get("/articles", params={"format": "ndjson"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"


def test_weak_comparison() -> None:
    assert etag_matches('W/"abc"', 'W/"abc"')
    assert etag_matches('"abc"', 'W/"abc"')
    assert etag_matches("*", 'W/"abc"')
    assert not etag_matches('W/"abd"', 'W/"abc"')


def test_cors_allows_any_origin_by_default_and_exposes_headers(client: TestClient) -> None:
    response = client.get("/articles", headers={"Origin": "https://news.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = {name.strip() for name in response.headers["access-control-expose-headers"].split(",")}
    assert {"Link", "ETag", "RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-ID"} <= exposed
    preflight = client.options(
        "/articles",
        headers={
            "Origin": "https://news.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


@pytest.fixture
def strict_client(settings: Settings) -> Iterator[TestClient]:
    strict = settings.model_copy(update={"cors_origins": ["https://ok.example"], "cache_max_age": 0})
    with TestClient(create_app(strict)) as test_client:
        yield test_client


def test_cors_origins_and_max_age_are_settings(strict_client: TestClient) -> None:
    allowed = strict_client.get("/articles", headers={"Origin": "https://ok.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
    assert allowed.headers["cache-control"] == "no-cache"
    other = strict_client.get("/articles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_cors_origins_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFACTS_CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]
    monkeypatch.setenv("NEWSFACTS_CORS_ORIGINS", "")
    assert Settings().cors_origins == []


def test_large_answers_are_gzipped(client: TestClient, engine: Engine) -> None:
    for n in range(30):
        make_article(engine, title=f"A rather long title for article number {n}")
    response = client.get("/articles", params={"limit": 100}, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["items"]) == 30
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
