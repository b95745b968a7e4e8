"""Quote extraction scored against PolNeAR's human-annotated attributions.

Each article's ``text`` (title line, blank line, body) is given to the extractor as the body, so
predicted offsets and PolNeAR's character offsets index the same string. Matching follows the
"Measure it" rules of the quotes work: a prediction matches a gold attribution when their content
spans share a word token, pairs taken one-to-one by largest overlap; the speaker (cue) of a pair is
right when the predicted speaker mention (cue) shares a token with the gold source (cue); a gold
attribution with no source counts the speaker right when no speaker mention is predicted either.
"Exact" asks for the same set of word tokens instead. Precision is over all predictions, recall over
all gold attributions. The quoted subset keeps gold attributions whose ``derived_quote_style`` is
direct or mixed and predictions of kind direct or mixed, and pairs them afresh. A quote split around
its cue ('"A," he said. "B."') is one PolNeAR attribution but two extracted quotes; the two are
scored as one prediction (see ``predicted_attributions``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from app.evaluation.matching import Counts, Tokens, pair_by_overlap
from app.extraction.types import ArticleFacts, Quote

METRICS = (
    "content_overlap",
    "content_exact",
    "speaker_overlap",
    "speaker_exact",
    "cue_overlap",
    "cue_exact",
)
QUOTED = frozenset({"direct", "mixed"})

Extract = Callable[[Iterable[Mapping[str, str]]], Iterator[ArticleFacts]]


@dataclass(frozen=True, slots=True)
class Attribution:
    content: frozenset[int]
    source: frozenset[int] | None
    cue: frozenset[int] | None
    quoted: bool


@dataclass
class Scores:
    counts: dict[str, Counts] = field(default_factory=lambda: {m: Counts(0, 0, 0) for m in METRICS})

    def add(self, other: dict[str, Counts]) -> None:
        for metric, value in other.items():
            self.counts[metric] = self.counts[metric] + value


@dataclass
class PolnearReport:
    articles: int = 0
    words: int = 0
    seconds: float = 0.0
    overall: Scores = field(default_factory=Scores)
    quoted: Scores = field(default_factory=Scores)
    agreement_overall: Scores = field(default_factory=Scores)
    agreement_quoted: Scores = field(default_factory=Scores)
    agreement_articles: int = 0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def _fragments(span: Mapping[str, Any] | None) -> list[tuple[int, int]] | None:
    if not span:
        return None
    return [(int(s), int(e)) for s, e in span.get("fragments") or [(span["start"], span["end"])]]


def gold_attributions(tokens: Tokens, attributions: Sequence[Mapping[str, Any]]) -> list[Attribution]:
    found = []
    for record in attributions:
        content = _fragments(record.get("content"))
        if not content:
            continue
        source = _fragments(record.get("source"))
        cue = _fragments(record.get("cue"))
        found.append(
            Attribution(
                content=tokens.of(content),
                source=tokens.of(source) if source else None,
                cue=tokens.of(cue) if cue else None,
                quoted=record.get("derived_quote_style") in QUOTED,
            )
        )
    return found


def predicted_attributions(tokens: Tokens, facts: ArticleFacts, text: str) -> list[Attribution]:
    """The extractor's quotes as attributions, one per quote except for quotes split around their cue.

    PolNeAR annotates '"A," Husted said. "B."' as one attribution whose content has two fragments;
    the extractor gives one quote per quoted stretch (the seed gold's convention), the second with
    no cue of its own and the first one's speaker mention. A quote that shares its speaker mention
    (the same words) with the quote just before it, has no cue or the same cue, and follows it in
    the same paragraph is therefore scored as another fragment of that quote.
    """
    found: list[Attribution] = []
    previous: Quote | None = None
    for quote in facts.quotes:
        if quote.content.field != "body":
            continue
        speaker = quote.speaker_mention
        cue = quote.cue
        content = tokens.of([(quote.content.start, quote.content.end)])
        if (
            previous is not None
            and speaker is not None
            and speaker == previous.speaker_mention
            and (cue is None or cue == previous.cue)
            and "\n" not in text[previous.content.end : quote.content.start]
            and previous.content.end <= quote.content.start
        ):
            last = found[-1]
            found[-1] = Attribution(
                content=last.content | content,
                source=last.source,
                cue=last.cue,
                quoted=last.quoted or quote.kind in QUOTED,
            )
            previous = quote
            continue
        found.append(
            Attribution(
                content=content,
                source=tokens.of([(speaker.start, speaker.end)])
                if speaker and speaker.field == "body"
                else None,
                cue=tokens.of([(cue.start, cue.end)]) if cue and cue.field == "body" else None,
                quoted=quote.kind in QUOTED,
            )
        )
        previous = quote
    return found


def _agrees(predicted: frozenset[int] | None, gold: frozenset[int] | None, exact: bool) -> bool:
    if not predicted or not gold:
        return not predicted and not gold
    return predicted == gold if exact else bool(predicted & gold)


def score(predicted: Sequence[Attribution], gold: Sequence[Attribution]) -> dict[str, Counts]:
    pairs = pair_by_overlap([p.content for p in predicted], [g.content for g in gold])
    n_p, n_g = len(predicted), len(gold)
    matched = [(predicted[i], gold[j]) for i, j in pairs]
    return {
        "content_overlap": Counts(len(matched), n_p, n_g),
        "content_exact": Counts(sum(p.content == g.content for p, g in matched), n_p, n_g),
        "speaker_overlap": Counts(sum(_agrees(p.source, g.source, False) for p, g in matched), n_p, n_g),
        "speaker_exact": Counts(sum(_agrees(p.source, g.source, True) for p, g in matched), n_p, n_g),
        "cue_overlap": Counts(sum(_agrees(p.cue, g.cue, False) for p, g in matched), n_p, n_g),
        "cue_exact": Counts(sum(_agrees(p.cue, g.cue, True) for p, g in matched), n_p, n_g),
    }


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    records = []
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                records.append(orjson.loads(line))
                if limit is not None and len(records) >= limit:
                    break
    return records


def evaluate(records: Sequence[Mapping[str, Any]], extract: Extract) -> PolnearReport:
    report = PolnearReport()
    started = time.perf_counter()
    all_facts = list(extract({"body": record["text"]} for record in records))
    report.seconds = time.perf_counter() - started
    for record, facts in zip(records, all_facts, strict=True):
        text = record["text"]
        tokens = Tokens(text)
        gold = gold_attributions(tokens, record["attributions"])
        predicted = predicted_attributions(tokens, facts, text)
        report.articles += 1
        report.words += len(text.split())
        report.overall.add(score(predicted, gold))
        report.quoted.add(score([p for p in predicted if p.quoted], [g for g in gold if g.quoted]))
        for other in record.get("other_annotations") or ():
            # A second annotator's reading of the same article, scored like a system: the human ceiling.
            second = gold_attributions(tokens, other.get("attributions") or ())
            report.agreement_articles += 1
            report.agreement_overall.add(score(second, gold))
            report.agreement_quoted.add(score([s for s in second if s.quoted], [g for g in gold if g.quoted]))
    return report


def format_report(report: PolnearReport) -> str:
    lines = [
        f"PolNeAR: {report.articles} articles, {report.words} words, {report.seconds:.1f} s "
        f"({report.words_per_second:,.0f} words/s)",
        "",
        f"{'subset':<10} {'metric':<16} {'P':>6} {'R':>6} {'F1':>6}   correct/predicted/gold",
    ]

    def rows(name: str, scores: Scores) -> None:
        for metric in METRICS:
            c = scores.counts[metric]
            lines.append(
                f"{name:<10} {metric:<16} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}   "
                f"{c.correct}/{c.predicted}/{c.gold}"
            )

    rows("all", report.overall)
    rows("quoted", report.quoted)
    if report.agreement_articles:
        lines += ["", f"Human agreement (second annotator vs first, {report.agreement_articles} articles):"]
        rows("all", report.agreement_overall)
        rows("quoted", report.agreement_quoted)
    return "\n".join(lines)
