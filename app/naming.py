"""Normalised names and URL slugs, shared by ingest (to resolve) and the services (to search)."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEADING_THE = re.compile(r"^the\s+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents folded, spaces collapsed: "Sergéy  Lavrov’s" → "sergey lavrov's"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", ascii_ish.casefold().replace("\u2019", "'")).strip()


# Ingest normalises every name of every article, and names repeat: "Reagan" thousands of times.
@functools.lru_cache(maxsize=1 << 13)
def normalize_name(name: str) -> str:
    """The key two spellings of one name share: "The Kremlin" and "Kremlin" → "kremlin"."""
    return _LEADING_THE.sub("", fold(name).replace(".", ""))


def slugify(text: str, max_length: int = 80) -> str:
    slug = _NON_WORD.sub("-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "item"


_LEGAL_FORMS = frozenset(
    {"inc", "incorporated", "plc", "ltd", "limited", "corp", "llc", "co", "ag", "sa", "nv"}
)


@functools.lru_cache(maxsize=1 << 13)
def actor_key(name: str, kind: str) -> str:
    """The natural key of an actor within its kind: what two spellings of one actor share.

    "George W. Bush" and "George Bush" → "george bush" (a middle initial goes); a final legal form
    goes ("Yukos Inc" → "yukos"); "The Kremlin" → "kremlin".
    """
    key = normalize_name(name)
    if key.endswith("'s"):
        key = key[:-2]
    words = key.replace(",", " ").split()
    if kind == "person" and len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
    elif kind in {"organization", "group"} and len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words) or key


def actor_slug(name: str, kind: str) -> str:
    """The URL slug an actor is first given: its key, so "George W. Bush" and "George Bush" share one."""
    return slugify(actor_key(name, kind))
