"""Grouping topic keys across articles: one issue, one topic, however it was worded.

A position's ``topic_key`` is "<concept words>|<entity>" ("troops|ukraine", "interest rates",
"cash bid|lse"). Two keys name the same topic when they are equal, or when they share the head word
of their concept and the Jaccard similarity of their term sets (the concept's words plus the entity
as one term) is above ``THRESHOLD``: "budget deficit|greece" joins "budget deficit", but
"troops|ukraine" and "troops|russia" stay apart, and so do "takeover|mci" and "takeover": with one
concept word, the entity is half the key, and a bare "takeover" topic joined by every company's
takeover gathered deals that had nothing to do with each other. The choice is deterministic: the most similar
existing topic wins, the oldest on a tie, and a topic once made keeps its number and label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

THRESHOLD = 0.5


def topic_terms(key: str) -> frozenset[str]:
    concept, _, entity = key.partition("|")
    return frozenset([*concept.split(), *([entity] if entity else [])])


def head_term(key: str) -> str:
    """The concept's last word ("rates" in "interest rates|united states"): what candidates must share."""
    concept = key.partition("|")[0].split()
    return concept[-1] if concept else key


def similarity(a: str, b: str) -> float:
    left, right = topic_terms(a), topic_terms(b)
    return len(left & right) / len(left | right) if left | right else 0.0


def best_match(key: str, candidates: Iterable[tuple[int, str]]) -> int | None:
    """The id of the candidate (id, key) that ``key`` joins, or None for a new topic."""
    best: tuple[float, int] | None = None
    head = head_term(key)
    for topic_id, other in candidates:
        if other == key:
            return topic_id
        if head_term(other) != head:
            continue
        score = similarity(key, other)
        if score > THRESHOLD and (best is None or (-score, topic_id) < (-best[0], best[1])):
            best = (score, topic_id)
    return None if best is None else best[1]


@dataclass
class TopicIndex:
    """Topics grouped in memory, as ingest groups them in the database (for batch reports)."""

    labels: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    concepts: list[bool] = field(default_factory=list)
    """Whether each topic was made from a concept's key, as ingest stores ``topic.concept``."""
    _by_key: dict[str, int] = field(default_factory=dict)
    """Only the keys topics were made with: a merged key is matched afresh each time, as in ingest."""
    _by_head: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def assign(self, key: str, label: str, concept: bool = False) -> int:
        found = self._by_key.get(key)
        if found is None:
            found = best_match(key, self._by_head.get(head_term(key), []))
        if found is None:
            found = len(self.keys)
            self.keys.append(key)
            self.labels.append(label)
            self.concepts.append(concept)
            self._by_key[key] = found
            self._by_head.setdefault(head_term(key), []).append((found, key))
        return found
