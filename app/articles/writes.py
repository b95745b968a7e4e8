"""From a ``POST /articles`` body to a ``SourceDocument``, by the same rules as a line of a JSONL file."""

from __future__ import annotations

import re

from app.articles.schemas import ArticleIn
from app.errors import InvalidParameter
from app.sources import SourceDocument, SourceError
from app.sources.readers import document_from_record

_FIELD = re.compile(r"field '(\w+)'")
_TEXT_FIELDS = ("title", "body", "standfirst", "caption")


def _invalid(field: str, message: str) -> InvalidParameter:
    return InvalidParameter(
        f"Field '{field}': {message}.",
        errors=[{"loc": ["body", field], "msg": message, "type": "value_error"}],
    )


def document_from_input(article: ArticleIn, max_text_chars: int) -> SourceDocument:
    record = article.model_dump()
    for field in _TEXT_FIELDS:
        value = record.get(field)
        if value is not None and len(value) > max_text_chars:
            raise _invalid(field, f"longer than this server's limit of {max_text_chars} characters")
    document = document_from_record(record, "POST /articles")
    if isinstance(document, SourceError):
        found = _FIELD.search(document.reason)
        field = found.group(1) if found else "body"
        reason = document.reason.split(": ", 1)[1] if found and ": " in document.reason else document.reason
        raise _invalid(field, reason)
    return document
