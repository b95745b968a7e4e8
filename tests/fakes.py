"""A stand-in for the language pipeline where the test is about storage or HTTP, not about extraction.

It finds ``"…," First Last said.`` sentences: one direct quote each, spoken by a person actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from app.extraction.types import Actor, ArticleFacts, ExtractionError, Quote, Span

_SAID = re.compile(r'"(?P<content>[^"]+?),?" (?P<speaker>[A-Z][a-z]+ [A-Z][a-z]+) (?P<cue>said|told)')


class FakeExtractor:
    version = "fake"

    def extract(self, fields: Mapping[str, str]) -> ArticleFacts:
        body = fields.get("body", "")
        if "EXPLODE" in body:
            raise RuntimeError("the fake pipeline was told to fail")
        if "UNPROCESSABLE" in body:
            raise ExtractionError("ValueError: the fake rules were told to fail")
        names: list[str] = []
        mentions: dict[str, list[Span]] = {}
        quotes = []
        for found in _SAID.finditer(body):
            name = found["speaker"]
            if name not in names:
                names.append(name)
            speaker = Span("body", found.start("speaker"), found.end("speaker"), name)
            mentions.setdefault(name, []).append(speaker)
            quotes.append(
                Quote(
                    kind="direct",
                    content=Span("body", found.start("content"), found.end("content"), found["content"]),
                    cue=Span("body", found.start("cue"), found.end("cue"), found["cue"]),
                    speaker_mention=speaker,
                    speaker=names.index(name),
                    confidence=0.9,
                )
            )
        actors = tuple(
            Actor(
                name=name,
                kind="person",
                aliases=(name,),
                roles=(),
                country=None,
                affiliation=None,
                mentions=tuple(mentions[name]),
            )
            for name in names
        )
        return ArticleFacts(actors=actors, quotes=tuple(quotes), positions=(), extractor_version=self.version)

    def extract_many(
        self, items: Iterable[Mapping[str, str]], batch_size: int = 32
    ) -> Iterator[ArticleFacts]:
        for fields in items:
            try:
                yield self.extract(fields)
            except ExtractionError as exc:
                yield ArticleFacts((), (), (), self.version, error=str(exc))
