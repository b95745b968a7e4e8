"""Where the words of a query occur in a text, as character ranges: what a page needs to mark a match.

The databases match stemmed words (Porter on SQLite, Snowball English on PostgreSQL); this module
approximates them with a light suffix stripper so that ``troop`` marks "troops" and ``oppose`` marks
"opposed" and "opposing". It misses irregular forms ("said" for ``say``) and the rarer suffixes the
real stemmers remove ("-ation", "-ness"): such a match is still found and ranked, just not marked.
Ranges are Python string indices, like every offset in the API.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from app.search.query import Phrase

_WORD = re.compile(r"[^\W_]+")

SNIPPET_CHARS = 200


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    word = _fold(word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Snippet:
    start: int
    end: int
    text: str
    matches: tuple[tuple[int, int], ...]


def find_matches(text: str, phrases: list[Phrase]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) ranges of ``text`` where one of the phrases occurs."""
    wanted = {tuple(stem(word) for word in phrase.words) for phrase in phrases}
    # A stem is its word with a suffix cut (and "ies" made "y"), so all but its last letter begin the
    # word: a plain ASCII word that begins with none of those prefixes stems to no wanted word, and is
    # not stemmed at all. Stemming every word of 20 article bodies took most of a search's time
    # (25 of 33 ms for "said").
    prefixes = tuple({word[:-1] for words in wanted for word in words})
    if all(len(words) == 1 for words in wanted) and all(_WORD.fullmatch(prefix) for prefix in prefixes):
        # One-word phrases (most queries) need no word's neighbours: only the candidates are read, found
        # by one regular expression instead of a loop over every word (the loop was most of a search).
        ranges = [
            (match.start(), match.end())
            for match in _candidates(tuple(sorted(prefixes))).finditer(text)
            if (stem(match.group()),) in wanted
        ]
        return _merged(ranges)
    tokens: list[tuple[int, int, str | None]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        candidate = not lower.isascii() or lower.startswith(prefixes)
        tokens.append((match.start(), match.end(), stem(word) if candidate else None))
    stems = [token[2] for token in tokens]
    ranges: list[tuple[int, int]] = []
    for index, (_, _, first) in enumerate(tokens):
        if first is None:
            continue
        for words in wanted:
            if first == words[0] and tuple(stems[index : index + len(words)]) == words:
                ranges.append((tokens[index][0], tokens[index + len(words) - 1][1]))
    return _merged(ranges)


@functools.lru_cache(maxsize=256)
def _candidates(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """The words ``find_matches`` stems: those that begin with one of ``prefixes`` in any case, and
    those with a letter outside ASCII (whose folded stem may begin otherwise). At least every word
    the loop there would stem, each as a whole ``_WORD``."""
    alternatives = "|".join(re.escape(prefix) for prefix in prefixes)
    return re.compile(rf"(?<![^\W_])(?:(?i:{alternatives})[^\W_]*|[^\W_]*[^\W_\x00-\x7f][^\W_]*)")


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, phrases: list[Phrase], size: int = SNIPPET_CHARS) -> Snippet | None:
    """A window of about ``size`` characters around the first match, cut at spaces; None without a match.

    ``start``/``end`` place the window in ``text``; ``matches`` are relative to the window's own text.
    """
    matches = find_matches(text, phrases)
    if not matches:
        return None
    if len(text) <= size:
        start, end = 0, len(text)
    else:
        first = matches[0][0]
        start = max(0, first - size // 4)
        if start > 0:
            space = text.rfind(" ", 0, start)
            start = 0 if space < 0 else space + 1
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > matches[0][1] else end
    inside = tuple((s - start, e - start) for s, e in matches if s >= start and e <= end)
    return Snippet(start=start, end=end, text=text[start:end], matches=inside)
