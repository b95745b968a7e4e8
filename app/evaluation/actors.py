"""Actor records over a real corpus: how many, the most mentioned, and the pairs that look like one actor.

There is no gold for a corpus, so the figures are the ones a reader of ``/actors`` would check first:
the record count, the top of the list by mentions, and suspected duplicates among the most mentioned
records. A pair is suspect when one name is contained in the other word by word ("Blair" / "Tony
Blair", "Labour" / "Labour Party"), when one is the initials of the other ("US" / "United States"), or
when they differ only in spelling ("TimeWarner" / "Time Warner", "Kiev" / "Kyiv" is not caught: two
letters). The counts come from the database the real ingest path wrote, so they are what the service
would store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import models
from app.naming import normalize_name

_WORD = re.compile(r"[a-z0-9]+")
_INITIALS_SKIP = frozenset({"of", "the", "and", "for", "&"})


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    kind: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class Duplicate:
    first: Record
    second: Record
    why: str


@dataclass
class CorpusReport:
    source: str
    articles: int
    records: int
    by_kind: dict[str, int]
    top: list[Record]
    duplicates: list[Duplicate] = field(default_factory=list)
    window: int = 200

    def render(self, top: int = 50) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.by_kind.items()))
        lines = [
            f"corpus {self.source}: articles {self.articles}, actor records {self.records} ({kinds})",
            f"  top {min(top, len(self.top))} by mentions:",
        ]
        for rank, r in enumerate(self.top[:top], start=1):
            lines.append(f"    {rank:3d}. {r.name} ({r.kind}): {r.mentions} mentions, {r.articles} articles")
        lines.append(f"  suspected duplicates among the top {self.window}: {len(self.duplicates)}")
        for d in self.duplicates:
            lines.append(
                f"    {d.first.name} ({d.first.kind}, {d.first.mentions}) ~ "
                f"{d.second.name} ({d.second.kind}, {d.second.mentions}): {d.why}"
            )
        return "\n".join(lines)


def _words(name: str) -> list[str]:
    return _WORD.findall(normalize_name(name))


def _contained(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w not in _INITIALS_SKIP)


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


def duplicate_reason(first: str, second: str) -> str | None:
    """Why two actor names look like one actor, or None. Symmetric."""
    a, b = _words(first), _words(second)
    if not a or not b or a == b:
        return "same name" if a and a == b else None
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if _contained(short, long):
        return "contained"
    if len(short) == 1 and len(long) >= 2 and len(short[0]) >= 2 and short[0] == _initials(long):
        return "initials"
    squashed_a, squashed_b = "".join(a), "".join(b)
    if squashed_a == squashed_b:
        return "spacing"
    if min(len(squashed_a), len(squashed_b)) >= 5 and _within_one_edit(squashed_a, squashed_b):
        return "spelling"
    return None


def suspected_duplicates(records: list[Record]) -> list[Duplicate]:
    found = []
    for x, y in combinations(records, 2):
        why = duplicate_reason(x.name, y.name)
        if why is not None:
            found.append(Duplicate(x, y, why))
    return found


def corpus_report(session: Session, source: str, top: int = 50, window: int = 200) -> CorpusReport:
    mentions = func.count(models.Mention.id)
    rows = session.execute(
        select(
            models.Actor.name,
            models.Actor.kind,
            mentions.label("mentions"),
            func.count(func.distinct(models.Mention.article_id)).label("articles"),
        )
        .join(models.Mention, models.Mention.actor_id == models.Actor.id)
        .group_by(models.Actor.id, models.Actor.name, models.Actor.kind)
        .order_by(mentions.desc(), models.Actor.name)
        .limit(max(top, window))
    ).all()
    ranked = [Record(r.name, r.kind, r.mentions, r.articles) for r in rows]
    by_kind = {
        str(kind): int(n)
        for kind, n in session.execute(select(models.Actor.kind, func.count()).group_by(models.Actor.kind))
    }
    return CorpusReport(
        source=source,
        articles=session.execute(select(func.count()).select_from(models.Article)).scalar_one(),
        records=sum(by_kind.values()),
        by_kind=by_kind,
        top=ranked[:top],
        duplicates=suspected_duplicates(ranked[:window]),
        window=window,
    )
