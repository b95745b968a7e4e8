"""Request ids, one access log line per request, Prometheus metrics, 500s as problems."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.builders import peskov_article


def test_a_request_id_is_made_or_kept(client: TestClient) -> None:
    made = client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    given = "4f6c3c1e9d2b4a7f8e5d6c7b8a9f0e1d"
    assert client.get("/health", headers={"X-Request-ID": given}).headers["x-request-id"] == given
    # Whatever a client sends is not echoed blindly into logs and headers.
    forged = client.get("/health", headers={"X-Request-ID": "evil value; drop"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)
    assert client.get("/nowhere").headers["x-request-id"]


def test_one_access_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="newsfacts.access"):
        response = client.get("/articles/12345", headers={"X-Request-ID": "a" * 32})
    records = [r for r in caplog.records if r.name == "newsfacts.access"]
    assert len(records) == 1
    record = records[0]
    assert response.status_code == 404
    assert (record.method, record.path, record.route, record.status) == (  # type: ignore[attr-defined]
        "GET",
        "/articles/12345",
        "/articles/{article}",
        404,
    )
    assert record.duration_ms >= 0  # type: ignore[attr-defined]
    assert record.client == "testclient"  # type: ignore[attr-defined]


def test_the_json_log_line(settings: Settings) -> None:
    import logging.config

    import orjson

    from app.observability import logging_config

    config = logging_config(settings)
    logging.config.dictConfig(config)
    try:
        handler = logging.getLogger().handlers[0]
        record = logging.LogRecord("newsfacts.access", logging.INFO, __file__, 1, "GET / 200", None, None)
        record.method, record.status = "GET", 200
        handler.filter(record)
        line = orjson.loads(handler.format(record))
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
        logging.getLogger().handlers.clear()
    assert line["level"] == "INFO"
    assert line["logger"] == "newsfacts.access"
    assert line["message"] == "GET / 200"
    assert (line["method"], line["status"]) == ("GET", 200)
    assert "request_id" in line


def test_metrics_count_requests_by_route_and_ingest(client: TestClient) -> None:
    client.get("/quotes/999999")
    client.get("/quotes/999998")
    text = client.get("/metrics").text
    assert re.search(
        r'newsfacts_http_requests_total\{method="GET",route="/quotes/\{quote_id\}",status="404"\} \d', text
    )
    assert (
        'newsfacts_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/quotes/{quote_id}"}'
        in text
    )
    assert "newsfacts_ingest_articles_total" in text
    assert "/quotes/999999" not in text


def test_an_unexpected_error_is_a_500_problem_with_the_request_id(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "The server failed to answer."
    assert response.headers["x-request-id"]


def test_ready_is_green_with_data(client: TestClient, engine: object) -> None:
    peskov_article(engine)  # type: ignore[arg-type]
    client.app.state.model_loaded = True  # type: ignore[attr-defined]
    assert client.get("/ready").json()["status"] == "ready"
