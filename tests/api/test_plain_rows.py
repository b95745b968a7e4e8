"""The hot answers are built as plain dicts (``quote_json``, ``position_json``, ``actor_json``) and sent
without FastAPI's validation against their ``response_model``: each must be exactly what that
documented model sends, byte for byte."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.actors import service as actors
from app.actors.schemas import ActorSummary
from app.articles.schemas import ArticleDetail
from app.extraction.types import Quote
from app.facets import FacetedPage
from app.pagination import Page
from app.positions import service as positions
from app.positions.schemas import PositionOut
from app.quotes import service as quotes
from app.quotes.schemas import QuoteOut
from app.topics.schemas import TopicDetail
from tests.builders import find, make_article, peskov_article

BARE_BODY = 'Officials said the plan was "premature". Nobody else spoke.'


def bare_quote_article(engine: Engine) -> int:
    """An undated article whose one quote has no cue, no speaker mention and no speaker."""
    quote = Quote(
        kind="mixed",
        content=find(BARE_BODY, 'the plan was "premature"'),
        cue=None,
        speaker_mention=None,
        speaker=None,
        confidence=1.0,
    )
    return make_article(engine, body=BARE_BODY, published_on=None, quotes=(quote,))


def facts(engine: Engine) -> None:
    # Two stances of Russia on one topic, so that the second position has a previous stance.
    peskov_article(engine, published_on=dt.date(2025, 1, 1), stance="support")
    peskov_article(engine, published_on=dt.date(2025, 3, 1), stance="oppose")
    bare_quote_article(engine)


def documented(model: type[BaseModel], data: Any) -> bytes:
    return model.model_validate(data).model_dump_json().encode()


def test_quote_json_is_the_model_dump_of_the_same_row(engine: Engine) -> None:
    facts(engine)
    with Session(engine) as session:
        rows = session.execute(quotes._base().order_by(quotes.models.Quote.id)).all()
    assert len(rows) == 3
    for row in rows:
        plain = quotes.quote_json(row)
        assert orjson.dumps(plain) == quotes.to_quote(row).model_dump_json().encode()
        assert orjson.dumps(plain) == documented(QuoteOut, plain)
    bare = quotes.quote_json(rows[-1])
    assert (bare["cue"], bare["speaker_mention"], bare["speaker"]) == (None, None, None)
    assert bare["article"]["published_on"] is None


def test_position_and_actor_json_are_their_model_dumps(engine: Engine) -> None:
    facts(engine)
    with Session(engine) as session:
        position_rows = session.execute(positions._base().order_by(positions.models.Position.id)).all()
        actor_rows = session.execute(actors._base().order_by(actors.models.Actor.id)).all()
    plain_positions = [positions.position_json(row) for row in position_rows]
    assert [(p["previous_stance"], p["stance_changed"]) for p in plain_positions] == [
        (None, False),
        ("support", True),
    ]
    for plain in plain_positions:
        assert orjson.dumps(plain) == documented(PositionOut, plain)
    plain_actors = [actors.actor_json(row) for row in actor_rows]
    assert any(actor["country"] is not None for actor in plain_actors)
    for plain in plain_actors:
        assert orjson.dumps(plain) == documented(ActorSummary, plain)


def test_quote_pages_are_their_documented_model(client: TestClient, engine: Engine) -> None:
    facts(engine)
    for params in ({}, {"facets": "speaker,month,topic,kind"}, {"sort": "-confidence", "limit": 1}):
        response = client.get("/quotes", params=params)
        assert response.content == documented(FacetedPage[QuoteOut], response.json())


def test_article_detail_is_its_documented_model(client: TestClient, engine: Engine) -> None:
    facts(engine)
    article_id = peskov_article(engine, published_on=dt.date(2025, 5, 1))
    for include in ([], ["quotes"], ["quotes", "actors", "positions"]):
        response = client.get(f"/articles/{article_id}", params=[("include", name) for name in include])
        body = response.json()
        assert response.content == documented(ArticleDetail, body)
        assert body["ingested_at"].endswith("Z")
        assert [name for name in ("quotes", "actors", "positions") if body[name] is not None] == include
    bare = client.get(f"/articles/{bare_quote_article(engine)}", params={"include": "quotes"})
    assert bare.content == documented(ArticleDetail, bare.json())


def test_actor_pages_are_their_documented_model(client: TestClient, engine: Engine) -> None:
    facts(engine)
    for params in ({}, {"q": "pes"}, {"q": "r", "kind": "country", "limit": 1, "page": 2}):
        response = client.get("/actors", params=params)
        assert response.content == documented(Page[ActorSummary], response.json())
    assert [actor["name"] for actor in client.get("/actors", params={"q": "pes"}).json()["items"]] == [
        "Dmitry Peskov"
    ]


def test_topic_detail_is_its_documented_model(client: TestClient, engine: Engine) -> None:
    facts(engine)
    for params in ({}, {"actors": 1}, {"timeline": "actor"}):
        response = client.get("/topics/foreign-troops-in-ukraine", params=params)
        assert response.content == documented(TopicDetail, response.json())
        assert response.json()["stances"]
