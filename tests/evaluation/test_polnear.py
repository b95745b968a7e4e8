from __future__ import annotations

from app.evaluation.matching import Tokens
from app.evaluation.polnear import gold_attributions, predicted_attributions, score
from app.extraction.types import ArticleFacts, Quote, Span

TEXT = '"The talks were useful," Mr Harris said. "We meet again in May."\n\n"No comment," she said.'


def span(text: str, start: int = 0) -> Span:
    at = TEXT.index(text, start)
    return Span("body", at, at + len(text), text)


def quote(content: Span, cue: Span | None, speaker: Span | None) -> Quote:
    return Quote("direct", content, cue, speaker, None, 0.9)


def test_quote_split_around_its_cue_is_one_attribution() -> None:
    harris, said = span("Mr Harris"), span("said")
    she, said_again = span("she"), span("said", TEXT.index("she"))
    facts = ArticleFacts(
        actors=(),
        quotes=(
            quote(span("The talks were useful,"), said, harris),
            quote(span("We meet again in May."), None, harris),
            quote(span("No comment,"), said_again, she),
        ),
        positions=(),
        extractor_version="test",
    )
    tokens = Tokens(TEXT)
    predicted = predicted_attributions(tokens, facts, TEXT)
    assert len(predicted) == 2
    gold = gold_attributions(
        tokens,
        [
            {
                "content": {"start": 1, "end": 64, "fragments": [[1, 23], [42, 63]]},
                "source": {"start": harris.start, "end": harris.end},
                "cue": {"start": said.start, "end": said.end},
            },
            {
                "content": {"start": she.start - 14, "end": she.start - 3},
                "source": {"start": she.start, "end": she.end},
                "cue": {"start": said_again.start, "end": said_again.end},
            },
        ],
    )
    counts = score(predicted, gold)
    assert (counts["content_overlap"].correct, counts["speaker_overlap"].correct) == (2, 2)
    assert counts["content_exact"].correct == 2
