from __future__ import annotations

from fastapi.testclient import TestClient


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_reports_a_missing_model(client: TestClient) -> None:
    # The test app does not load the language model, so it must say it is not ready.
    response = client.get("/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] is True
    assert body["schema_revision"] == body["schema_head"]
    assert body["language_model"] is False


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "No route matches /nowhere."


def test_wrong_method_is_a_problem(client: TestClient) -> None:
    response = client.delete("/quotes")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_openapi_has_stable_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation_ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "list_articles",
        "get_article",
        "list_quotes",
        "get_quote",
        "list_actors",
        "get_actor",
        "list_actor_quotes",
        "list_actor_positions",
        "list_actor_articles",
        "list_related_actors",
        "list_positions",
        "list_topics",
        "get_topic",
        "health",
        "ready",
    } <= operation_ids


def test_openapi_documents_search_lists_and_problems(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    search = spec["paths"]["/search"]["get"]
    assert search["operationId"] == "search"
    q = next(p for p in search["parameters"] if p["name"] == "q")
    assert q["required"] is True
    assert q["description"] and q["schema"]["examples"]
    assert "application/problem+json" in search["responses"]["422"]["content"]
    assert "total_exact" in spec["components"]["schemas"]["HitGroup_ArticleHit_"]["properties"]
    articles = spec["paths"]["/articles"]["get"]
    names = {p["name"]: p for p in articles["parameters"]}
    assert {"q", "cursor", "facets", "format", "page", "limit", "sort"} <= set(names)
    for name in ("q", "cursor", "facets", "format"):
        assert names[name]["description"], name
    content = articles["responses"]["200"]["content"]
    assert {"application/json", "text/csv", "application/x-ndjson"} <= set(content)
    assert "next_cursor" in spec["components"]["schemas"]["FacetedPage_ArticleSummary_"]["properties"]
    assert "text/csv" in spec["paths"]["/quotes"]["get"]["responses"]["200"]["content"]
