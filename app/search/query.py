"""The search query language, parsed here so that no user text ever reaches FTS5 ``MATCH`` as is.

Words, ``"exact phrases"``, ``OR`` between two of them, and ``-`` before a word or phrase to exclude it::

    peskov "foreign troops" -nato        peskov AND the phrase AND NOT nato
    troops OR soldiers ukraine           (troops OR soldiers) AND ukraine

``OR`` binds tighter than the implicit AND, as in web search engines and PostgreSQL's
``websearch_to_tsquery``. Only letters and digits are searched: punctuation inside a word splits it
into a phrase (``far-right`` is the phrase ``"far right"``), other punctuation is ignored. A query that
cannot be read (an unclosed quote, a dangling ``OR``, nothing but exclusions) raises ``InvalidParameter``,
which the API answers with a 422 problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import InvalidParameter

MAX_PHRASES = 16
MAX_WORDS_PER_PHRASE = 12

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One or more words that must appear next to each other, in this order."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """``required``: every clause must match, a clause matches if any of its phrases does.
    ``excluded``: no phrase may match."""

    required: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]

    @property
    def positive_phrases(self) -> list[Phrase]:
        return [phrase for clause in self.required for phrase in clause]

    def fts5(self) -> str:
        """An FTS5 MATCH expression. Every phrase is a double-quoted string of letters and digits."""

        def quoted(phrase: Phrase) -> str:
            return '"' + phrase.text.replace('"', '""') + '"'

        clauses = ["(" + " OR ".join(quoted(p) for p in clause) + ")" for clause in self.required]
        expression = "(" + " AND ".join(clauses) + ")"
        for phrase in self.excluded:
            expression = f"({expression} NOT {quoted(phrase)})"
        return expression


def _invalid(detail: str) -> InvalidParameter:
    return InvalidParameter(f"Parameter 'q': {detail}", parameter="q")


def _phrase(text: str) -> Phrase | None:
    words = tuple(_WORD.findall(text))
    if not words:
        return None
    if len(words) > MAX_WORDS_PER_PHRASE:
        raise _invalid(f"a phrase may hold at most {MAX_WORDS_PER_PHRASE} words.")
    return Phrase(words)


_OR = object()


def _items(text: str) -> list[tuple[bool, Phrase] | object]:
    """Tokens: (excluded, phrase) pairs and the ``_OR`` marker."""
    items: list[tuple[bool, Phrase] | object] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        negated = char == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise _invalid("a quote is not closed.")
            raw, i = text[i + 1 : close], close + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] != '"':
                i += 1
            raw = text[start:i]
            if raw == "OR" and not negated:
                items.append(_OR)
                continue
        phrase = _phrase(raw)
        if phrase is not None:
            items.append((negated, phrase))
    return items


def parse_query(text: str) -> SearchQuery:
    if "\x00" in text:
        raise _invalid("NUL characters are not allowed.")
    items = _items(text)
    required: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    pending_or = False
    for index, item in enumerate(items):
        if item is _OR:
            previous = items[index - 1] if index else None
            if previous is None or previous is _OR or previous[0]:  # type: ignore[index]
                raise _invalid("OR must stand between two words or phrases.")
            pending_or = True
            continue
        negated, phrase = item  # type: ignore[misc]
        if negated:
            if pending_or:
                raise _invalid("OR must stand between two words or phrases.")
            excluded.append(phrase)
        elif pending_or:
            required[-1].append(phrase)
        else:
            required.append([phrase])
        pending_or = False
    if pending_or:
        raise _invalid("OR must stand between two words or phrases.")
    if not required:
        if excluded:
            raise _invalid("a query needs at least one word that is not excluded.")
        raise _invalid("no word to search for (only letters and digits are searched).")
    if sum(len(clause) for clause in required) + len(excluded) > MAX_PHRASES:
        raise _invalid(f"at most {MAX_PHRASES} words or phrases.")
    return SearchQuery(tuple(tuple(clause) for clause in required), tuple(excluded))
