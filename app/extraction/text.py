"""Cutting article fields into the blocks that are parsed, and mapping tokens back to field offsets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.extraction.types import FIELDS, Field, Span

_BLANK_LINES = re.compile(r"\n[ \t\u00a0\r]*\n")
_FINAL_PUNCTUATION = ".!?:;\"'\u201d\u2019)\u2026"
_SUBHEADING_MAX_WORDS = 12


@dataclass(slots=True)
class Block:
    """A paragraph, a subheading or a short field, parsed as one spaCy Doc.

    Parsing paragraphs separately stops the parser gluing a closing quote mark to the next paragraph
    (seed article: '..."We're monitoring this very closely."' ran into the subheading after it).
    """

    field: Field
    start: int
    text: str
    heading: bool
    doc: Doc | None = None

    def char(self, token: Token) -> int:
        return self.start + token.idx

    def char_end(self, token: Token) -> int:
        return self.start + token.idx + len(token.text)


def split_blocks(fields: Mapping[str, str]) -> list[Block]:
    """Blocks in reading order: title, standfirst, caption, then body paragraphs.

    A body line that is short and ends without punctuation is a subheading ("UK to deploy troops in
    Ukraine") and becomes its own block even when only a single newline separates it.
    """
    blocks: list[Block] = []
    for name in FIELDS:
        text = fields.get(name) or ""
        pos = 0
        for match in [*_BLANK_LINES.finditer(text), None]:
            end = match.start() if match else len(text)
            _add_paragraph(blocks, name, text, pos, end)
            if match:
                pos = match.end()
    return blocks


def _add_paragraph(blocks: list[Block], name: Field, text: str, start: int, end: int) -> None:
    lines: list[tuple[int, int]] = []
    line_start = start
    for i in range(start, end + 1):
        if i == end or text[i] == "\n":
            lines.append((line_start, i))
            line_start = i + 1
    pending: tuple[int, int] | None = None
    for a, b in lines:
        a, b = _strip(text, a, b)
        if a >= b:
            continue
        line = text[a:b]
        heading = name == "body" and _is_subheading(line)
        if heading:
            if pending:
                blocks.append(Block(name, pending[0], text[pending[0] : pending[1]], False))
                pending = None
            blocks.append(Block(name, a, line, True))
        else:
            pending = (pending[0], b) if pending else (a, b)
    if pending:
        blocks.append(Block(name, pending[0], text[pending[0] : pending[1]], False))


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _is_subheading(line: str) -> bool:
    return len(line.split()) <= _SUBHEADING_MAX_WORDS and line[-1] not in _FINAL_PUNCTUATION


def make_span(fields: Mapping[str, str], name: Field, start: int, end: int) -> Span:
    return Span(name, start, end, fields[name][start:end])


def token_span(fields: Mapping[str, str], block: Block, first: Token, last: Token) -> Span:
    return make_span(fields, block.field, block.char(first), block.char_end(last))
