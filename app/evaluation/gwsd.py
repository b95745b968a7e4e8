"""Stance polarity on GWSD: news sentences rated by 8 people for their stance toward "climate change
is a serious concern" (agrees / neutral / disagrees).

The gold label of a sentence is the raters' plurality; a tie between agree and disagree, or a tie
involving neutral, counts as neutral (the raters did not settle on a side). Our label comes from
``stance_toward`` with the climate terms below: rules and lexicons only, no training.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

LABELS = ("agree", "neutral", "disagree")
CLIMATE_TERMS = (
    "climate change",
    "global warming",
    "climate",
    "warming",
    "greenhouse gas",
    "greenhouse gases",
    "carbon emissions",
    "carbon dioxide",
    "co2",
    "emissions",
    "carbon",
    "fossil fuels",
    "sea level",
    "sea levels",
    "sea",
    "seas",
    "ice",
    "glaciers",
    "temperatures",
)
_RATING = {"agrees": "agree", "neutral": "neutral", "disagrees": "disagree"}


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Report:
    confusion: dict[tuple[str, str], int]
    """(gold, predicted) -> count."""
    total: int

    def scores(self, label: str) -> tuple[float, float, float]:
        tp = self.confusion.get((label, label), 0)
        predicted = sum(n for (_, p), n in self.confusion.items() if p == label)
        gold = sum(n for (g, _), n in self.confusion.items() if g == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def macro_f1(self) -> float:
        return sum(self.scores(label)[2] for label in LABELS) / len(LABELS)

    @property
    def accuracy(self) -> float:
        return sum(self.confusion.get((label, label), 0) for label in LABELS) / self.total


def majority(ratings: Iterable[str]) -> str:
    votes = Counter(_RATING[r] for r in ratings if r in _RATING)
    ranked = votes.most_common()
    if not ranked:
        return "neutral"
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return "neutral"
    return ranked[0][0]


def read_sentences(path: Path, limit: int | None = None) -> list[Sentence]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    sentences = [
        Sentence(row["guid"], row["sentence"], majority(row[f"worker_{i}"] for i in range(8))) for row in rows
    ]
    return sentences[:limit] if limit else sentences


def evaluate(sentences: Sequence[Sentence], classify: Callable[[list[str]], list[str]]) -> Report:
    predicted = classify([s.text for s in sentences])
    confusion = Counter(zip((s.label for s in sentences), predicted, strict=True))
    return Report(dict(confusion), len(sentences))


def format_report(report: Report) -> str:
    lines = [
        f"GWSD stance toward 'climate change is a serious concern': {report.total} sentences "
        "(gold: plurality of 8 raters, ties neutral)",
        f"  {'class':<10}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}",
    ]
    for label in LABELS:
        p, r, f = report.scores(label)
        gold = sum(n for (g, _), n in report.confusion.items() if g == label)
        pred = sum(n for (_, q), n in report.confusion.items() if q == label)
        lines.append(f"  {label:<10}{p:7.3f}{r:7.3f}{f:7.3f}{gold:7d}{pred:7d}")
    lines.append(f"  macro-F1 {report.macro_f1:.3f}, accuracy {report.accuracy:.3f}")
    lines.append("  confusion (rows gold, columns predicted):")
    lines.append("  " + " " * 10 + "".join(f"{label:>10}" for label in LABELS))
    for gold in LABELS:
        row = "".join(f"{report.confusion.get((gold, p), 0):10d}" for p in LABELS)
        lines.append(f"  {gold:<10}{row}")
    return "\n".join(lines)
