"""Bad files through the real ``newsfacts seed``: each is named with its reason, the rest still loads;
wrong settings are named with exit code 2 and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app import models
from app.cli import cli
from app.db import make_engine
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOOD = b' date 2025-02-20 WORLD\nHarbour plan approved\n\n"We will build it," Anna Berg said on Monday.\n'


def newsfacts(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_wrong_setting_is_named_with_exit_code_2() -> None:
    result = newsfacts("serve", env={"NEWSFACTS_PORT": "abc"})
    assert result.returncode == 2
    assert "NEWSFACTS_PORT: Input should be a valid integer" in result.stderr
    assert "'abc'" in result.stderr
    assert "Traceback" not in result.stderr
    result = newsfacts("seed", env={"NEWSFACTS_RATE_LIMIT_READ": "lots", "NEWSFACTS_MAX_BODY_BYTES": "-1"})
    assert result.returncode == 2
    assert "NEWSFACTS_RATE_LIMIT_READ: Value error, 'lots' is not a rate like 600/minute" in result.stderr
    assert "NEWSFACTS_MAX_BODY_BYTES: Input should be greater than or equal to 1024" in result.stderr


@pytest.mark.slow
def test_bad_files_are_named_and_the_rest_loads(tmp_path: Path) -> None:
    files = tmp_path / "in"
    files.mkdir()
    (files / "good.txt").write_bytes(GOOD)
    (files / "bom_crlf.txt").write_bytes(
        b"\xef\xbb\xbf" + GOOD.replace(b"Harbour plan", b"Bridge plan").replace(b"\n", b"\r\n")
    )
    (files / "bad_utf8.txt").write_bytes(GOOD + b"\xff\xfe caf\xe9\n")
    (files / "nul.txt").write_bytes(GOOD.replace(b"Monday", b"Mon\x00day"))
    (files / "empty.txt").write_bytes(b"")
    (files / "blank.txt").write_bytes(b"  \n\n ")
    (files / "no_header.txt").write_bytes(GOOD.split(b"\n", 1)[1])
    (files / "bad_date.txt").write_bytes(GOOD.replace(b"2025-02-20", b"2025-02-30"))
    (files / "title_only.txt").write_bytes(b" date 2025-02-20 WORLD\nJust a title\n")
    with (files / "huge.txt").open("wb") as handle:  # sparse: big on paper, nothing on disk
        handle.truncate(60 * 1024 * 1024)
    lines = [
        orjson.dumps({"title": "A line that loads", "body": '"Fine," Tomas Lind said.'}),
        b"[1, 2, 3]",
        b'"just a string"',
        b"{not json",
        orjson.dumps({"title": "No body"}),
        orjson.dumps({"title": "Bad date", "body": "Text.", "date": "next Tuesday"}),
        orjson.dumps({"title": "NUL", "body": "a\u0000b"}),
        orjson.dumps({"title": 7, "body": "Text."}),
        orjson.dumps({"title": "Long section", "body": "Text.", "section": "x" * 101}),
        b'{"title": "Latin-1", "body": "caf\xe9"}',
        b"",
    ]
    (files / "corpus.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (tmp_path / "notes.csv").write_text("a,b\n")

    url = f"sqlite:///{tmp_path / 'seed.db'}"
    result = newsfacts(
        "seed", str(files), str(tmp_path / "notes.csv"), str(tmp_path / "missing"),
        env={"NEWSFACTS_DATABASE_URL": url},
    )  # fmt: skip
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error: "))
    corpus = files / "corpus.jsonl"
    assert errors == sorted(
        [
            f"error: {files / 'bad_date.txt'}: line 1: date '2025-02-30' is not an ISO date like 2025-02-20",
            f"error: {files / 'bad_utf8.txt'}: not valid UTF-8 (byte 92)",
            f"error: {files / 'blank.txt'}: empty file",
            f"error: {corpus}:2: expected a JSON object, got list",
            f"error: {corpus}:3: expected a JSON object, got str",
            f"error: {corpus}:4: not valid JSON (unexpected character, expected a string key: "
            "line 1 column 2 (char 1))",
            f"error: {corpus}:5: field 'body' is missing or empty",
            f"error: {corpus}:6: field 'date': date 'next Tuesday' is not an ISO date like 2025-02-20",
            f"error: {corpus}:7: field 'body' contains a NUL character",
            f"error: {corpus}:8: field 'title' must be a string",
            f"error: {corpus}:9: field 'section' is longer than 100 characters",
            f"error: {corpus}:10: not valid UTF-8 (byte 33)",
            f"error: {files / 'empty.txt'}: empty file",
            f"error: {files / 'huge.txt'}: file is 62914560 bytes; the limit is 52428800",
            f"error: {files / 'no_header.txt'}: line 1: expected the header ' date YYYY-MM-DD SECTION'",
            f"error: {files / 'nul.txt'}: contains a NUL character",
            f"error: {files / 'title_only.txt'}: needs at least a title line and a body after the header",
            f"error: {tmp_path / 'notes.csv'}: unsupported file type .csv: use .txt or .jsonl",
            f"error: {tmp_path / 'missing'}: no such file or folder",
        ]
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "articles: 3 new, 0 unchanged, 19 failed" in result.stdout

    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        titles = set(connection.execute(select(models.Article.title)).scalars())
        quotes = connection.execute(select(func.count()).select_from(models.Quote)).scalar_one()
    engine.dispose()
    assert titles == {"Harbour plan approved", "Bridge plan approved", "A line that loads"}
    assert quotes >= 2


@pytest.mark.parametrize(
    "args",
    [
        ["eval", "quotes", "--gold", "missing/polnear.jsonl"],
        ["eval", "positions", "--gwsd", "missing/GWSD.tsv"],
        ["eval", "positions", "--corpus", "missing/bbc.jsonl"],
        ["eval", "actors", "--corpus", "missing/bbc.jsonl"],
    ],
)
def test_eval_names_a_missing_input_file_before_any_work(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert f"'{args[-1]}' does not exist" in result.stderr
