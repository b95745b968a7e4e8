from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.sources import SourceDocument, SourceError, content_hash, iter_paths, read_path, read_seed_text

SEED = Path(__file__).parents[2] / "seeds" / "000_48d938ff19edc6c5.txt"

SMALL = (
    " date 2025-03-01 POLITICS\n"
    "Minister backs plan\n"
    "The standfirst sums it up.\n"
    "A minister at a podium.\u00a0 / Photo: AP\n"
    "First paragraph.\n"
    "\n"
    "A subheading\n"
    "\n"
    "Second paragraph.\n"
)


def test_seed_article_fields() -> None:
    document = read_seed_text(SEED.read_bytes(), str(SEED))
    assert isinstance(document, SourceDocument)
    assert document.published_on == dt.date(2025, 2, 20)
    assert document.section == "WORLD"
    assert document.title == "Any plan to send European troops to Ukraine 'unacceptable': Russia"
    assert document.standfirst.startswith("Russia also opposes NATO troops")
    assert document.caption.endswith('which is "monitoring this very closely."')
    assert document.photo_credit == "Reuters"
    assert document.body.startswith("The Kremlin has said that any plan")
    assert "\n\nUK to deploy troops in Ukraine\n\n" in document.body
    assert document.body.count("\n\n") == 9


def test_small_file_with_all_parts() -> None:
    document = read_seed_text(SMALL.encode(), "small.txt")
    assert isinstance(document, SourceDocument)
    assert (document.title, document.standfirst, document.caption, document.photo_credit) == (
        "Minister backs plan",
        "The standfirst sums it up.",
        "A minister at a podium.",
        "AP",
    )
    assert document.body == "First paragraph.\n\nA subheading\n\nSecond paragraph."


def test_missing_caption_crlf_and_bom_are_accepted() -> None:
    text = "\ufeff date 2025-03-01 POLITICS\r\nTitle here\r\nStandfirst here.\r\nBody here.\r\n"
    document = read_seed_text(text.encode(), "crlf.txt")
    assert isinstance(document, SourceDocument)
    assert (document.title, document.standfirst, document.caption, document.body) == (
        "Title here",
        "Standfirst here.",
        "",
        "Body here.",
    )


def test_crlf_copy_hashes_like_the_original() -> None:
    original = read_seed_text(SMALL.encode(), "a.txt")
    crlf = read_seed_text(SMALL.replace("\n", "\r\n").encode(), "b.txt")
    assert isinstance(original, SourceDocument) and isinstance(crlf, SourceDocument)
    assert content_hash(original) == content_hash(crlf)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty file"),
        (b"Title\nBody.\n", "line 1: expected the header ' date YYYY-MM-DD SECTION'"),
        (
            b" date 2025-13-45 WORLD\nTitle\nBody.\n",
            "line 1: date '2025-13-45' is not an ISO date like 2025-02-20",
        ),
        (b" date 2025-01-01 WORLD\nTitle only\n", "needs at least a title line and a body after the header"),
        (b" date 2025-01-01 WORLD\nT\xff\xfe\nBody.\n", "not valid UTF-8 (byte 24)"),
        (b" date 2025-01-01 WORLD\nTitle\x00\nBody.\n", "contains a NUL character"),
    ],
)
def test_bad_seed_files_are_named_with_a_reason(raw: bytes, reason: str) -> None:
    assert read_seed_text(raw, "bad.txt") == SourceError("bad.txt", reason)


def test_jsonl_bad_lines_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(
        b'{"title": "One", "body": "First body.", "date": "2025-01-02", "id": 7}\n'
        b"not json\n"
        b"[1, 2]\n"
        b"\n"
        b'{"title": "Two", "body": ""}\n'
        b'{"title": "Three", "body": "Third body.", "date": "yesterday"}\n'
        b'{"title": "Four", "body": "Fourth body.", "date": "2025-01-03T10:00:00Z", "section": "UK"}\n'
    )
    results = list(read_path(path))
    errors = [str(r) for r in results if isinstance(r, SourceError)]
    documents = [r for r in results if isinstance(r, SourceDocument)]
    assert [d.title for d in documents] == ["One", "Four"]
    assert documents[0].external_id == "7"
    assert documents[1].published_on == dt.date(2025, 1, 3)
    assert errors == [
        f"{path}:2: not valid JSON (invalid literal, expected 'null': line 1 column 1 (char 0))",
        f"{path}:3: expected a JSON object, got list",
        f"{path}:5: field 'body' is missing or empty",
        f"{path}:6: field 'date': date 'yesterday' is not an ISO date like 2025-02-20",
    ]


def test_iter_paths_names_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "notes.md").write_text("x")
    found = list(iter_paths([tmp_path, tmp_path / "missing.txt", tmp_path / "notes.md"]))
    assert found == [
        tmp_path / "a.jsonl",
        tmp_path / "b.txt",
        SourceError(str(tmp_path / "missing.txt"), "no such file or folder"),
        SourceError(str(tmp_path / "notes.md"), "unsupported file type .md: use .txt or .jsonl"),
    ]
