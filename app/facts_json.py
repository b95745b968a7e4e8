"""Extracted facts as JSON-ready dicts, in the shapes the API uses (for ``newsfacts extract``).

There are no database ids here: actors are referred to by slug, and a quote or position names its
actor with ``{slug, name, kind}`` just as the API's ``ActorRef`` does, less the id.
"""

from __future__ import annotations

from typing import Any

from app.extraction.types import Actor, ArticleFacts, Span
from app.naming import actor_slug, slugify


def span(value: Span | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"field": value.field, "start": value.start, "end": value.end, "text": value.text}


def _ref(actor: Actor) -> dict[str, Any]:
    return {"slug": actor_slug(actor.name, actor.kind), "name": actor.name, "kind": actor.kind}


def _named(name: str | None, kind: str) -> dict[str, Any] | None:
    return None if name is None else {"slug": actor_slug(name, kind), "name": name}


def facts_to_json(facts: ArticleFacts) -> dict[str, Any]:
    actors = facts.actors
    return {
        "extractor_version": facts.extractor_version,
        "quotes": [
            {
                "kind": q.kind,
                "content": span(q.content),
                "cue": span(q.cue),
                "speaker_mention": span(q.speaker_mention),
                "speaker": None if q.speaker is None else _ref(actors[q.speaker]),
                "confidence": q.confidence,
            }
            for q in facts.quotes
        ],
        "actors": [
            {
                "name": a.name,
                "slug": actor_slug(a.name, a.kind),
                "kind": a.kind,
                "aliases": sorted(set(a.aliases)),
                "roles": [{"title": r.title, "span": span(r.span)} for r in a.roles],
                "country": _named(a.country, "country"),
                "affiliation": _named(
                    a.affiliation, "country" if a.affiliation == a.country else "organization"
                ),
                "mentions": [span(m) for m in a.mentions],
            }
            for a in actors
        ],
        "positions": [
            {
                "actor": _ref(actors[p.actor]),
                "stance": p.stance,
                "claim": span(p.claim),
                "topic": {"slug": slugify(p.topic_label), "label": p.topic_label, "key": p.topic_key},
                "evidence": span(p.evidence),
                "quote": p.quote,
                "confidence": p.confidence,
            }
            for p in facts.positions
        ],
    }
