from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import app.extraction as extraction
from app.extraction import EXTRACTOR_VERSION, Extractor

PACKAGE = Path(extraction.__file__).parent


def test_pure_library_imports() -> None:
    allowed = set(sys.stdlib_module_names) | {"spacy", "pycountry", "__future__"}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.startswith("app.extraction") or name.split(".")[0] in allowed, (path.name, name)


def test_data_tables_load() -> None:
    from app.extraction.lexicon import load_lexicon

    lexicon = load_lexicon()
    assert lexicon.country("UK") == "United Kingdom"
    assert lexicon.country("Russian Federation") == "Russia"
    assert lexicon.capitals["kyiv"] == "Ukraine"
    assert lexicon.demonyms["british"] == "United Kingdom"
    assert "say" in lexicon.cue_verbs


@pytest.mark.slow
def test_extract_many_matches_extract(extractor: Extractor) -> None:
    items = [
        {"title": "Russia 'opposes' plan: Kremlin", "body": "Peskov said the plan was unacceptable."},
        {},
        {"body": '"We are ready," Lavrov said.\n\n"We are waiting."'},
        {"standfirst": "", "caption": "Trump speaks in Washington."},
    ]
    many = list(extractor.extract_many(iter(items), batch_size=2))
    assert many == [extractor.extract(item) for item in items]
    assert all(facts.extractor_version == EXTRACTOR_VERSION for facts in many)
    assert many[1].actors == () and many[1].quotes == () and many[1].positions == ()
