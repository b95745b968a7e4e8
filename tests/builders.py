"""Small builders for test data: hand-made facts stored through the real ingest path."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import Engine

from app.db import write_session
from app.extraction.types import Actor, ArticleFacts, Position, Quote, Role, Span
from app.ingest import Pending, store_article
from app.sources import SourceDocument, content_hash

_counter = itertools.count(1)


def find(text: str, part: str, field: str = "body", occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    return Span(field, start, start + len(part), part)  # type: ignore[arg-type]


def actor(
    name: str,
    kind: str = "person",
    *,
    mentions: tuple[Span, ...] = (),
    aliases: tuple[str, ...] = (),
    roles: tuple[Role, ...] = (),
    country: str | None = None,
    affiliation: str | None = None,
) -> Actor:
    return Actor(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        aliases=aliases or (name,),
        roles=roles,
        country=country,
        affiliation=affiliation,
        mentions=mentions,
    )


def pending(
    *,
    body: str | None = None,
    title: str | None = None,
    published_on: dt.date | None = dt.date(2025, 2, 20),
    section: str | None = "WORLD",
    actors: tuple[Actor, ...] = (),
    quotes: tuple[Quote, ...] = (),
    positions: tuple[Position, ...] = (),
) -> Pending:
    """An article and its facts, as ingest hands them to be stored."""
    number = next(_counter)
    document = SourceDocument(
        title=title or f"Article number {number}",
        body=body or f"Body of article {number}.",
        published_on=published_on,
        section=section,
        origin=f"test-{number}",
    )
    facts = ArticleFacts(actors=actors, quotes=quotes, positions=positions, extractor_version="test")
    return document, content_hash(document), facts


def make_article(engine: Engine, **article: Any) -> int:
    """Store one article (see ``pending``) in its own transaction; its id."""
    document, digest, facts = pending(**article)
    with write_session(engine) as session:
        return store_article(session, document, facts, digest).id


def troops_position(
    body: str, stance: str, evidence: str, actor: int = 0, quote: int | None = None
) -> Position:
    """A position on sending troops to Ukraine, a phrase ``body`` holds, with ``evidence`` from it."""
    return Position(
        actor=actor,
        stance=stance,  # type: ignore[arg-type]
        claim=find(body, "sending troops to Ukraine"),
        topic_key="troops|ukraine",
        topic_label="foreign troops in Ukraine",
        evidence=find(body, evidence),
        quote=quote,
        confidence=0.8,
        topic_concept=True,
    )


PESKOV_BODY = (
    '"This causes concern for us," Peskov told reporters. Russia opposes sending troops to Ukraine, '
    "Kremlin spokesman Dmitry Peskov said."
)


def peskov_article(
    engine: Engine, published_on: dt.date | None = dt.date(2025, 2, 20), stance: str = "oppose"
) -> int:
    """One quote by Peskov, one position of Russia, three actors."""
    document, digest, facts = peskov_pending(published_on, stance)
    with write_session(engine) as session:
        return store_article(session, document, facts, digest).id


def peskov_pending(
    published_on: dt.date | None = dt.date(2025, 2, 20), stance: str = "oppose", quoted: bool = False
) -> Pending:
    """The facts of ``peskov_article``; ``quoted`` makes Russia's position come from Peskov's quote."""
    body = PESKOV_BODY
    peskov = actor(
        "Dmitry Peskov",
        mentions=(find(body, "Peskov"), find(body, "Dmitry Peskov")),
        aliases=("Dmitry Peskov", "Peskov"),
        roles=(Role("Kremlin spokesman", find(body, "Kremlin spokesman")),),
        country="Russia",
        affiliation="Kremlin",
    )
    russia = actor("Russia", "country", mentions=(find(body, "Russia"),))
    ukraine = actor("Ukraine", "country", mentions=(find(body, "Ukraine"),))
    quote = Quote(
        kind="direct",
        content=find(body, "This causes concern for us,"),
        cue=find(body, "told"),
        speaker_mention=find(body, "Peskov"),
        speaker=0,
        confidence=0.9,
    )
    position = troops_position(
        body, stance, "Russia opposes sending troops to Ukraine", actor=1, quote=0 if quoted else None
    )
    return pending(
        body=body,
        title=f"Kremlin on troops {published_on.isoformat() if published_on else 'undated'} {stance}",
        published_on=published_on,
        actors=(peskov, russia, ukraine),
        quotes=(quote,),
        positions=(position,),
    )
