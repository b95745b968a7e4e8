"""The topics positions fall into over a corpus (BBC 2004-5, Reuters 1987): how many, and the largest.

Positions are extracted article by article and their topic keys grouped with ``TopicIndex``, the same
rule ingest applies against stored topics, so the report shows what ``/topics`` would list after
seeding the corpus: an article whose text was seen before is skipped, as ingest stores it once (the
BBC corpus repeats 100 of its 2,225 articles word for word, Reuters 230 of 19,043), and the largest
topics are those argued in the most articles, the order ``/topics`` lists by default. There is no
gold: the largest topics are printed with member claims to be read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.extraction.parallel import extract_parallel
from app.extraction.topics import TopicIndex
from app.sources import SourceDocument, SourceError, content_hash, read_jsonl_lines

TopicSize = Literal["articles", "positions"]
CLAIMS_SHOWN = 8
"""Member claims listed per topic: a topic reads as a real issue when its label names one and at least
half of its first eight claims are about it, so the report shows those eight."""


@dataclass
class TopicMembers:
    positions: list[tuple[str, str, str]] = field(default_factory=list)
    """(actor, stance, claim) in reading order."""
    articles: set[int] = field(default_factory=set)
    keys: Counter[str] = field(default_factory=Counter)
    concept: bool = False
    """Made from a concept's key (``models.Topic.concept``)."""

    def rank(self, size: TopicSize) -> tuple[int, int, int, int]:
        """Largest first, as ``/topics`` sorts: by articles, ties by concepts before head phrases, then
        by actors and then positions (``-articles``, the default), or by positions alone
        (``-positions``); then by label. As there, a topic argued by one actor alone counts as one
        article (``models.Topic.argued_in``)."""
        if size == "articles":
            actors = len({actor for actor, _, _ in self.positions})
            articles = len(self.articles) if actors > 1 else min(len(self.articles), 1)
            return -articles, -self.concept, -actors, -len(self.positions)
        return -len(self.positions), 0, 0, 0


def _read_part(path: Path, offset: int, limit: int | None) -> tuple[list[SourceDocument], int]:
    """``limit`` articles after the first ``offset`` (bad lines are not counted), and how many of them
    repeat an earlier one's text."""
    documents: list[SourceDocument] = []
    seen: set[str] = set()
    read = repeated = skipped = 0
    with path.open("rb") as handle:
        for item in read_jsonl_lines(handle, str(path)):
            if isinstance(item, SourceError):
                continue
            if skipped < offset:
                skipped += 1
                continue
            read += 1
            digest = content_hash(item)
            if digest in seen:
                repeated += 1
            else:
                seen.add(digest)
                documents.append(item)
            if limit is not None and read >= limit:
                break
    return documents, repeated


def topic_report(
    path: Path,
    model: str,
    limit: int | None,
    top: int,
    processes: int,
    offset: int = 0,
    size: TopicSize = "articles",
) -> str:
    """The report on ``limit`` articles after the first ``offset``, the largest topics by ``size``."""
    documents, repeated = _read_part(path, offset, limit)
    index = TopicIndex()
    members: dict[int, TopicMembers] = {}
    n_positions = 0
    facts_stream = extract_parallel(model, (d.fields() for d in documents), processes=processes)
    for number, facts in enumerate(facts_stream):
        for p in facts.positions:
            n_positions += 1
            topic = index.assign(p.topic_key, p.topic_label, p.topic_concept)
            found = members.setdefault(topic, TopicMembers(concept=index.concepts[topic]))
            found.positions.append((facts.actors[p.actor].name, p.stance, p.claim.text))
            found.articles.add(number)
            found.keys[p.topic_key] += 1
    shared = sum(1 for m in members.values() if len(m.articles) > 1)
    lines = [
        f"Topics in {path.name}: {len(documents)} articles"
        f"{f' after the first {offset}' if offset else ''}"
        f"{f' ({repeated} repeated texts skipped)' if repeated else ''}, {n_positions} positions, "
        f"{len(index.keys)} topics ({shared} in more than one article, "
        f"{len(index.keys) - sum(1 for m in members.values() if len(m.positions) > 1)} with one position)",
        f"  the {top} largest by {size} (positions, articles, label [keys merged]: member claims):",
    ]
    order = sorted(members.items(), key=lambda item: (*item[1].rank(size), index.labels[item[0]], item[0]))
    ranked = order[:top]
    for topic, found in ranked:
        keys = ", ".join(k for k, _ in found.keys.most_common(4))
        lines.append(f"  {len(found.positions):4d} {len(found.articles):4d}  {index.labels[topic]}  [{keys}]")
        for actor, stance, claim in found.positions[:CLAIMS_SHOWN]:
            lines.append(f"             {actor} {stance}: {claim[:90]!r}")
    return "\n".join(lines)
