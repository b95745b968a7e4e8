"""Facts from news text: quotes, actors and positions with offsets.

A pure library: it imports the standard library, spaCy and pycountry only.

The names below are loaded on first use (PEP 562): the API imports ``app.extraction.types`` and the
topic matcher on every start, and importing the pipeline here would load spaCy (about a second)
before the server could answer its first read.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.extraction.pipeline import EXTRACTOR_VERSION, Extractor, load_pipeline
    from app.extraction.types import (
        FIELDS,
        Actor,
        ActorKind,
        ArticleFacts,
        ExtractionError,
        Field,
        Position,
        Quote,
        QuoteKind,
        Role,
        Span,
        Stance,
    )

__all__ = [
    "EXTRACTOR_VERSION",
    "FIELDS",
    "Actor",
    "ActorKind",
    "ArticleFacts",
    "ExtractionError",
    "Extractor",
    "Field",
    "Position",
    "Quote",
    "QuoteKind",
    "Role",
    "Span",
    "Stance",
    "load_pipeline",
]
_FROM_PIPELINE = frozenset({"EXTRACTOR_VERSION", "Extractor", "load_pipeline"})


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = "app.extraction.pipeline" if name in _FROM_PIPELINE else "app.extraction.types"
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
