"""The language pipeline, built once per process on first use and shared (never at import time)."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.extraction import Extractor

_extractors: dict[str, Extractor] = {}
# One load at a time: a write that arrives while the server loads the model in the background waits
# for that load instead of starting a second one (half a second and some 100 MB each).
_loading = threading.Lock()


def get_extractor(model: str) -> Extractor:
    extractor = _extractors.get(model)
    if extractor is not None:
        return extractor
    with _loading:
        extractor = _extractors.get(model)
        if extractor is None:
            # Imported here so that the API, the CLI's help and the tests that need no model never pay
            # for spaCy.
            from app.extraction import Extractor, load_pipeline

            extractor = _extractors[model] = Extractor(load_pipeline(model))
        return extractor


def is_loaded(model: str) -> bool:
    return model in _extractors


def model_installed(model: str) -> bool:
    """Whether spaCy could find the model, without importing spaCy: an installed package or a folder."""
    if Path(model).is_dir():
        return True
    try:
        return importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        return False
