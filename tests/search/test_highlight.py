"""Highlights: where a query's words occur, stemmed and folded as the search matched them."""

from __future__ import annotations

import pytest

from app.search.highlight import find_matches
from app.search.query import Phrase

TEXT = "Café owners said the parties' résumés were ignored; the party said RÉSUMÉ. Partisans partied."


@pytest.mark.parametrize(
    ("words", "marked"),
    [
        (("party",), ["parties", "party"]),
        # Accented words are folded before they are stemmed, whatever their case.
        (("resume",), ["résumés", "RÉSUMÉ"]),
        (("cafe", "owner"), ["Café owners"]),
        (("said", "the"), ["said the"]),
        (("parliament",), []),
    ],
)
def test_find_matches_marks_stemmed_and_folded_words(words: tuple[str, ...], marked: list[str]) -> None:
    assert [TEXT[start:end] for start, end in find_matches(TEXT, [Phrase(words)])] == marked


def test_find_matches_merges_overlapping_phrases() -> None:
    found = find_matches(TEXT, [Phrase(("the", "party")), Phrase(("party", "said"))])
    assert [TEXT[start:end] for start, end in found] == ["the parties", "the party said"]


@pytest.mark.parametrize(
    ("phrases", "marked"),
    [
        # One-word phrases are found without walking every word: in any case, folded, and each as
        # the whole word it is part of.
        ((("cafe",),), ["Café"]),
        ((("said",), ("partisan",)), ["said", "said", "Partisans"]),
        ((("PARTIED",),), ["partied"]),
        ((("part",),), []),
        ((("résumé",),), ["résumés", "RÉSUMÉ"]),
    ],
)
def test_one_word_phrases_are_marked_as_whole_words(
    phrases: tuple[tuple[str, ...], ...], marked: list[str]
) -> None:
    found = find_matches(TEXT, [Phrase(words) for words in phrases])
    assert [TEXT[start:end] for start, end in found] == marked
