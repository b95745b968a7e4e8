from __future__ import annotations

import pytest

from app.errors import InvalidParameter
from app.search.highlight import find_matches, snippet, stem
from app.search.query import Phrase, parse_query


@pytest.mark.parametrize(
    ("text", "fts5"),
    [
        ("peskov", '(("peskov"))'),
        ("Peskov troops", '(("Peskov") AND ("troops"))'),
        ('"foreign troops" ukraine', '(("foreign troops") AND ("ukraine"))'),
        ("troops OR soldiers ukraine", '(("troops" OR "soldiers") AND ("ukraine"))'),
        ("troops -nato", '((("troops")) NOT "nato")'),
        ('troops -"peace plan" -nato', '(((("troops")) NOT "peace plan") NOT "nato")'),
        ("far-right", '(("far right"))'),
        ("or and not", '(("or") AND ("and") AND ("not"))'),
        ("NEAR( hello AND * ^col:", '(("NEAR") AND ("hello") AND ("AND") AND ("col"))'),
        ("Sergéy 100%", '(("Sergéy") AND ("100"))'),
        ('a - b ""', '(("a") AND ("b"))'),
    ],
)
def test_queries_become_quoted_fts5_expressions(text: str, fts5: str) -> None:
    assert parse_query(text).fts5() == fts5


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('"unclosed phrase', "a quote is not closed."),
        ("OR troops", "OR must stand between two words or phrases."),
        ("troops OR", "OR must stand between two words or phrases."),
        ("troops OR OR soldiers", "OR must stand between two words or phrases."),
        ("troops OR -nato", "OR must stand between two words or phrases."),
        ("-nato", "a query needs at least one word that is not excluded."),
        ("!!! ???", "no word to search for (only letters and digits are searched)."),
        (" ".join(f"w{i}" for i in range(17)), "at most 16 words or phrases."),
        ("a\x00b", "NUL characters are not allowed."),
    ],
)
def test_malformed_queries_are_invalid_parameters(text: str, detail: str) -> None:
    with pytest.raises(InvalidParameter) as raised:
        parse_query(text)
    assert raised.value.detail == f"Parameter 'q': {detail}"


def test_clauses_and_exclusions() -> None:
    query = parse_query('a OR "b c" d -e')
    assert query.required == ((Phrase(("a",)), Phrase(("b", "c"))), (Phrase(("d",)),))
    assert query.excluded == (Phrase(("e",)),)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("troops", "troop"),
        ("opposes", "oppos"),
        ("opposed", "oppos"),
        ("opposing", "oppos"),
        ("policies", "policy"),
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_matches_cover_stems_and_phrases() -> None:
    text = "Russia opposes sending troops to Ukraine; the troop opposed it."
    phrases = parse_query('oppose "troops to ukraine"').positive_phrases
    assert [text[s:e] for s, e in find_matches(text, phrases)] == [
        "opposes",
        "troops to Ukraine",
        "opposed",
    ]


def test_snippet_is_a_window_with_relative_ranges() -> None:
    text = ("word " * 100) + "ceasefire talks " + ("word " * 100)
    found = snippet(text, parse_query("ceasefire").positive_phrases, size=60)
    assert found is not None
    assert text[found.start : found.end] == found.text
    assert len(found.text) <= 60
    assert [found.text[s:e] for s, e in found.matches] == ["ceasefire"]
    assert snippet(text, parse_query("absent").positive_phrases) is None
