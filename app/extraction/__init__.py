"""Facts from news text: quotes, actors and positions with offsets.

A pure library: it imports the standard library, spaCy and pycountry only.
"""

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
