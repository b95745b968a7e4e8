"""A made-up corpus for the crash and concurrency tests: a few hundred short articles with quotes,
reported speech and stances, written from the sentences below (no real article text)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import orjson

PEOPLE = [
    ("Anna Berg", "Finance Minister"),
    ("Tomas Lind", "opposition leader"),
    ("Maria Okafor", "Trade Minister"),
    ("Jonas Weber", "union spokesman"),
    ("Elena Petrova", "Foreign Minister"),
    ("Samuel Reyes", "city mayor"),
    ("Ingrid Holm", "Health Minister"),
    ("David Mensah", "central bank governor"),
]
COUNTRIES = ["Norway", "Ghana", "Chile", "Portugal", "Canada", "Kenya"]
ISSUES = [
    "the new harbour bridge",
    "higher fuel taxes",
    "the fishing quota",
    "the rail strike",
    "the pension reform",
    "the trade agreement",
]
SENTENCES = [
    '"We cannot accept {issue}," {role} {name} told reporters on {day}.',
    '"This plan will help every family," said {name}, the {role}.',
    "{name} said the government of {country} opposes {issue}.",
    "{country} supports {issue}, {role} {name} said in a statement.",
    '"There is no money left for {issue}," {name} said.',
    "{name} warned that {issue} would raise prices in {country}.",
    "Officials in {country} met on {day} to discuss {issue}.",
    "{name} called for a vote on {issue} before the summer.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_articles(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        issue = rng.choice(ISSUES)
        paragraphs = []
        for _ in range(rng.randint(3, 5)):
            name, role = rng.choice(PEOPLE)
            template = rng.choice(SENTENCES)
            sentence = template.format(
                name=name, role=role, issue=issue, country=rng.choice(COUNTRIES), day=rng.choice(DAYS)
            )
            paragraphs.append(sentence[0].upper() + sentence[1:])
        speaker = rng.choice(PEOPLE)[0]
        articles.append(
            {
                "id": f"a{number}",
                "title": f"{speaker} on {issue}, report {number}",
                "body": "\n\n".join(paragraphs),
                "date": (dt.date(2025, 1, 1) + dt.timedelta(days=number % 300)).isoformat(),
                "section": rng.choice(["WORLD", "BUSINESS", "POLITICS"]),
                "source": "Test Wire",
            }
        )
    return articles


def write_corpus(path: Path, count: int) -> Path:
    path.write_bytes(b"".join(orjson.dumps(article) + b"\n" for article in make_articles(count)))
    return path
