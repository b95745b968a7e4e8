"""Rate limits: per client address or per key, RateLimit headers, 429 problems with Retry-After."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.main import create_app
from app.settings import Settings


def limited(settings: Settings, **changes: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update={"rate_limit_read": "3/minute", **changes})))


def test_reads_carry_the_headers_then_get_429(settings: Settings) -> None:
    with limited(settings) as client:
        remaining = []
        for _ in range(3):
            response = client.get("/articles")
            assert response.status_code == 200
            assert response.headers["ratelimit-policy"] == '"read";q=3;w=60'
            found = re.fullmatch(r'"read";r=(\d+);t=(\d+)', response.headers["ratelimit"])
            assert found is not None
            assert 0 < int(found[2]) <= 60
            remaining.append(int(found[1]))
        assert remaining == [2, 1, 0]

        refused = client.get("/quotes")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.headers["ratelimit"].startswith('"read";r=0;')
        assert refused.json()["title"] == "Too many requests"

        # Probes and metrics are never limited.
        assert client.get("/health").status_code == 200
        assert client.get("/metrics").status_code == 200


def test_clients_are_counted_apart(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"rate_limit_read": "1/minute"}))
    with TestClient(app, client=("10.0.0.1", 1)) as one, TestClient(app, client=("10.0.0.2", 1)) as two:
        assert one.get("/articles").status_code == 200
        assert one.get("/articles").status_code == 429
        assert two.get("/articles").status_code == 200


def test_a_valid_key_has_its_own_quota_and_a_wrong_one_does_not(settings: Settings) -> None:
    with limited(settings, rate_limit_read="1/minute", api_keys=[SecretStr("good")]) as client:
        assert client.get("/articles").status_code == 200
        assert client.get("/articles", headers={"X-API-Key": "made-up"}).status_code == 429
        assert client.get("/articles", headers={"Authorization": "Bearer good"}).status_code == 200
        assert client.get("/articles", headers={"X-API-Key": "good"}).status_code == 429


def test_writes_have_their_own_quota(settings: Settings) -> None:
    with limited(settings, rate_limit_read="1/minute", rate_limit_write="2/minute") as client:
        assert client.get("/articles").status_code == 200
        assert client.post("/articles", json={}).status_code == 403
        assert client.post("/articles", json={}).headers["ratelimit-policy"] == '"write";q=2;w=60'
        assert client.post("/articles", json={}).status_code == 429


def test_rate_limiting_can_be_turned_off(settings: Settings) -> None:
    with limited(settings, rate_limit_enabled=False) as client:
        for _ in range(5):
            response = client.get("/articles")
            assert response.status_code == 200
            assert "ratelimit" not in response.headers


def test_the_spec_declares_429_on_limited_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "Retry-After" in paths["/quotes"]["get"]["responses"]["429"]["headers"]
    assert "429" not in paths["/health"]["get"]["responses"]
