"""The facts extraction returns: frozen dataclasses with offsets, and no spaCy objects.

Offsets are Python string indices (code points) into one field of the article, so
``article[span.field][span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Field = Literal["title", "standfirst", "caption", "body"]
FIELDS: tuple[Field, ...] = ("title", "standfirst", "caption", "body")

ActorKind = Literal["person", "organization", "country", "group"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Stance = Literal["support", "oppose", "demand", "propose", "warn", "neutral"]


@dataclass(frozen=True, slots=True)
class Span:
    field: Field
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Role:
    """A title seen next to a name: "Kremlin spokesman" in "Kremlin spokesman Dmitry Peskov"."""

    title: str
    span: Span


@dataclass(frozen=True, slots=True)
class Actor:
    """One real-world actor as this article names it; ``mentions`` are every place it is named."""

    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]
    country: str | None
    affiliation: str | None
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    kind: QuoteKind
    content: Span
    cue: Span | None
    speaker_mention: Span | None
    speaker: int | None
    """Index into ``ArticleFacts.actors``; None when nobody can be resolved."""
    confidence: float


@dataclass(frozen=True, slots=True)
class Position:
    actor: int
    """Index into ``ArticleFacts.actors``."""
    stance: Stance
    claim: Span
    topic_key: str
    """Normalised signature of the issue, equal for claims about the same issue across articles."""
    topic_label: str
    evidence: Span
    quote: int | None
    """Index into ``ArticleFacts.quotes`` when the position comes from a quote."""
    confidence: float
    topic_concept: bool = False
    """Whether ``topic_key`` is a concept of ``data/topics.json`` (an issue by construction) rather
    than the claim's head phrase: among topics argued in as many articles, concepts rank first."""


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    actors: tuple[Actor, ...]
    quotes: tuple[Quote, ...]
    positions: tuple[Position, ...]
    extractor_version: str
    error: str | None = None
    """Set, with no facts, when the rules failed on this article: one bad article must not stop a
    batch, and its caller decides what a failure means (ingest counts it and stores nothing)."""


class ExtractionError(Exception):
    """Raised by ``Extractor.extract`` for an article the rules could not process."""
