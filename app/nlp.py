"""The language pipeline, built once per process on first use and shared (never at import time)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.extraction import Extractor


@lru_cache(maxsize=2)
def get_extractor(model: str) -> Extractor:
    # Imported here so that the API, the CLI's help and the tests that need no model never pay for spaCy.
    from app.extraction import Extractor, load_pipeline

    return Extractor(load_pipeline(model))
