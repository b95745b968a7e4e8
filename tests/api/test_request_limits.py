"""Bounds on requests: query string length, page size, search text; each a clear problem."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_query_string_too_long_is_422(client: TestClient) -> None:
    response = client.get("/articles", params={"section": "x" * 5000})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "The query string has 5008 characters; the limit is 4096."


def test_page_sizes_are_clamped_then_refused(client: TestClient) -> None:
    assert client.get("/articles", params={"limit": 500}).json()["limit"] == 100
    response = client.get("/articles", params={"limit": 10_001})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_search_text_too_long_or_with_nul_is_422(client: TestClient) -> None:
    assert client.get("/articles", params={"q": "x" * 201}).status_code == 422
    assert client.get("/quotes", params={"q": "a\x00b"}).status_code == 422


def test_a_huge_id_is_404_not_500(client: TestClient) -> None:
    assert client.get(f"/articles/{2**63}").status_code == 404
    assert client.get("/actors", params={"country": str(2**40)}).status_code == 422
