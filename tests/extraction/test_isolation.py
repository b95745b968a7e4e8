"""One article the rules fail on is reported, and the articles around it still come out."""

from __future__ import annotations

import pytest
from spacy.language import Language

from app.extraction import ExtractionError, Extractor
from app.extraction.quotes import QuoteFinder

GOOD = {"title": "Budget", "body": '"We will not back this budget," Maria Lopez said.'}
BAD = {"title": "Broken", "body": "This one breaks the quote rules."}


@pytest.fixture
def failing_extractor(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> Extractor:
    original = QuoteFinder.find

    def find(self, fields, blocks, table):  # type: ignore[no-untyped-def]
        if "breaks" in fields.get("body", ""):
            raise ValueError("rule failure for the test")
        return original(self, fields, blocks, table)

    monkeypatch.setattr(QuoteFinder, "find", find)
    return Extractor(nlp)


def test_a_failing_article_does_not_stop_the_batch(failing_extractor: Extractor) -> None:
    results = list(failing_extractor.extract_many([GOOD, BAD, GOOD]))
    assert [r.error for r in results] == [None, "ValueError: rule failure for the test", None]
    assert [len(r.quotes) for r in results] == [1, 0, 1]
    assert results[1].actors == results[1].positions == ()


def test_extract_raises_for_a_failing_article(failing_extractor: Extractor) -> None:
    with pytest.raises(ExtractionError, match="rule failure for the test"):
        failing_extractor.extract(BAD)
