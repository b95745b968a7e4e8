from __future__ import annotations

import pytest

from app.extraction.quotes import find_marks
from app.extraction.text import split_blocks


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "we are ready" on Monday.', ["we are ready"]),
        ("He said \u201cwe are ready\u201d on Monday.", ["we are ready"]),
        ("Any plan is 'unacceptable': Russia", ["unacceptable"]),
        ("He called it \u2018reckless\u2019 and left.", ["reckless"]),
        ("We're sure Russia's plan won't work.", []),
        ('"It\'s over," she said. "We\'re done."', ["It's over,", "We're done."]),
        ('"This runs to the end of the paragraph', ["This runs to the end of the paragraph"]),
        ("She said \"it was 'unacceptable' to us\" today.", ["it was 'unacceptable' to us"]),
    ],
)
def test_find_marks(text: str, quoted: list[str]) -> None:
    found = [text[a + 1 : len(text) if z is None else z] for a, z in find_marks(text)]
    assert found == quoted


def test_split_blocks_paragraphs_and_subheadings() -> None:
    body = "First paragraph ends here.\n\nSecond one, also.\n\nUK to deploy troops\n\nThird paragraph.\n"
    blocks = split_blocks({"title": "A title", "body": body, "caption": ""})
    assert [(b.field, b.text, b.heading) for b in blocks] == [
        ("title", "A title", False),
        ("body", "First paragraph ends here.", False),
        ("body", "Second one, also.", False),
        ("body", "UK to deploy troops", True),
        ("body", "Third paragraph.", False),
    ]
    for block in blocks:
        source = {"title": "A title", "body": body}[block.field]
        assert source[block.start : block.start + len(block.text)] == block.text


def test_split_blocks_subheading_after_single_newline() -> None:
    body = "Opening paragraph.\nA subheading\nNext paragraph."
    assert [(b.text, b.heading) for b in split_blocks({"body": body})] == [
        ("Opening paragraph.", False),
        ("A subheading", True),
        ("Next paragraph.", False),
    ]
