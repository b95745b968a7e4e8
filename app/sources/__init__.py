"""Readers: files in, ``SourceDocument`` out. A file or line that cannot be read becomes a ``SourceError``."""

from app.sources.document import SourceDocument, SourceError, content_hash, parse_date
from app.sources.readers import SUPPORTED_SUFFIXES, iter_paths, read_jsonl_lines, read_path, read_seed_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "SourceDocument",
    "SourceError",
    "content_hash",
    "iter_paths",
    "parse_date",
    "read_jsonl_lines",
    "read_path",
    "read_seed_text",
]
