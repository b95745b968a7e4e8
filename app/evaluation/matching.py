"""Span overlap by word tokens, and one-to-one pairing by largest overlap.

Spans are compared as sets of word-token indices, so quotation marks, a trailing comma or a leading
"that" change nothing unless they add or remove a word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


class Tokens:
    """Word-token boundaries of one text, to turn character ranges into token-index sets."""

    def __init__(self, text: str) -> None:
        matches = list(_WORD.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def of(self, fragments: Sequence[tuple[int, int]]) -> frozenset[int]:
        found: set[int] = set()
        for start, end in fragments:
            # Tokens that overlap [start, end) at all count as covered.
            first = bisect.bisect_right(self.ends, start)
            last = bisect.bisect_left(self.starts, end)
            found.update(range(first, last))
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Counts:
    correct: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.correct + other.correct, self.predicted + other.predicted, self.gold + other.gold)


def pair_by_overlap(
    predicted: Sequence[frozenset[int]], gold: Sequence[frozenset[int]]
) -> list[tuple[int, int]]:
    """Pairs (predicted index, gold index) sharing at least one token, largest overlap first, one-to-one."""
    candidates = []
    for i, p in enumerate(predicted):
        if not p:
            continue
        for j, g in enumerate(gold):
            shared = len(p & g)
            if shared:
                candidates.append((-shared, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs
