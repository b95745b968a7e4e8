"""``newsfacts extract``: JSONL in, one JSON line per article out, bad lines on standard error."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import cli

pytestmark = pytest.mark.slow

INPUT = (
    '{"id": "a1", "title": "Budget row", '
    '"body": "\\"We will not back this budget,\\" Maria Lopez said on Monday.", "date": "2025-03-01"}\n'
    "not json at all\n"
    '{"id": 2, "title": "Weather", "body": "Rain fell across the north of the country on Tuesday."}\n'
)


def run(*args: str, stdin: str) -> tuple[int, list[dict], str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["extract", *args], input=stdin)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_extract_from_stdin() -> None:
    code, records, err = run("--processes", "1", stdin=INPUT)
    assert code == 1
    assert "error: <stdin>:2: not valid JSON" in err
    assert "extracted 2 articles, 1 bad lines" in err
    assert [r["id"] for r in records] == ["a1", "2"]
    first, second = records
    assert first["date"] == "2025-03-01"
    assert [
        (q["kind"], q["content"]["text"], q["cue"]["text"], q["speaker"]["name"]) for q in first["quotes"]
    ] == [("direct", "We will not back this budget,", "said", "Maria Lopez")]
    quote = first["quotes"][0]
    assert first["body"][quote["content"]["start"] : quote["content"]["end"]] == quote["content"]["text"]
    assert [a["name"] for a in first["actors"]] == ["Maria Lopez"]
    assert set(first["actors"][0]) >= {"name", "slug", "kind", "aliases", "roles", "country", "affiliation"}
    assert second["quotes"] == []


def test_processes_give_the_same_output() -> None:
    one = run("--processes", "1", stdin=INPUT)
    two = run("--processes", "2", "--batch-size", "1", stdin=INPUT)
    assert one == two
