from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.builders import make_article, peskov_article


def test_quote_shape(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    page = client.get("/quotes").json()
    assert page["total"] == 1
    quote = page["items"][0]
    assert quote["kind"] == "direct"
    assert quote["content"] == {"field": "body", "start": 1, "end": 28, "text": "This causes concern for us,"}
    assert quote["cue"]["text"] == "told"
    assert quote["speaker_mention"]["text"] == "Peskov"
    assert quote["speaker"] == {
        "id": quote["speaker"]["id"],
        "slug": "dmitry-peskov",
        "name": "Dmitry Peskov",
        "kind": "person",
    }
    assert client.get(f"/quotes/{quote['id']}").json() == quote


def test_filters(client: TestClient, engine: Engine) -> None:
    peskov_article(engine, published_on=dt.date(2025, 1, 1))
    peskov_article(engine, published_on=dt.date(2025, 3, 1))
    make_article(engine)
    assert client.get("/quotes", params={"speaker": "dmitry-peskov"}).json()["total"] == 2
    assert client.get("/quotes", params={"kind": "indirect"}).json()["total"] == 0
    assert client.get("/quotes", params={"from": "2025-02-01"}).json()["total"] == 1
    assert client.get("/quotes", params={"q": "CONCERN"}).json()["total"] == 2
    assert client.get("/quotes", params={"q": "100%"}).json()["total"] == 0


def test_unknown_speaker_filter_is_422(client: TestClient) -> None:
    response = client.get("/quotes", params={"speaker": "nobody-at-all"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Parameter 'speaker': no record with id or slug 'nobody-at-all'."


def test_bad_kind_is_422_with_field(client: TestClient) -> None:
    response = client.get("/quotes", params={"kind": "rumour"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["loc"] == ["query", "kind"]


def test_missing_quote(client: TestClient) -> None:
    assert client.get("/quotes/12345").status_code == 404
    assert client.get(f"/quotes/{2**40}").status_code == 422


def test_min_confidence(client: TestClient, engine: Engine) -> None:
    peskov_article(engine)
    assert client.get("/quotes", params={"min_confidence": 0.9}).json()["total"] == 1
    assert client.get("/quotes", params={"min_confidence": 0.95}).json()["total"] == 0
    assert (
        client.get("/quotes", params={"min_confidence": 0.95, "speaker": "dmitry-peskov"}).json()["total"]
        == 0
    )
    assert client.get("/quotes", params={"min_confidence": 0.95, "format": "csv"}).text.count("\n") == 1
    response = client.get("/quotes", params={"min_confidence": 1.5})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "min_confidence"]
