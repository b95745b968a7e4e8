from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SourceDocument:
    title: str
    body: str
    standfirst: str = ""
    caption: str = ""
    photo_credit: str | None = None
    published_on: dt.date | None = None
    section: str | None = None
    url: str | None = None
    source: str | None = None
    external_id: str | None = None
    origin: str = field(default="", compare=False)
    """Where it was read from, for messages: ``seeds/a.txt`` or ``corpus.jsonl:12``."""

    def fields(self) -> dict[str, str]:
        return {
            "title": self.title,
            "standfirst": self.standfirst,
            "caption": self.caption,
            "body": self.body,
        }


@dataclass(frozen=True, slots=True)
class SourceError:
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def content_hash(document: SourceDocument) -> str:
    """Hash of the text alone, blind to line endings, Unicode forms and runs of white space.

    Re-reading the same article from a CRLF copy, or with a different date or URL, finds the same hash.
    """
    parts = (document.title, document.standfirst, document.caption, document.body)
    normal = "\x1f".join(_SPACES.sub(" ", unicodedata.normalize("NFC", p)).strip() for p in parts)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def parse_date(value: object) -> dt.date | None:
    """Accepts ``YYYY-MM-DD`` or an ISO 8601 date-time (its date is kept); raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"date must be a string like 2025-02-20, not {type(value).__name__}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"date {value!r} is not an ISO date like 2025-02-20") from None
