"""``newsfacts serve`` refuses to start without its language model, and says why."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.settings import get_settings


def test_serve_names_a_model_that_is_not_installed(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("NEWSFACTS_DATABASE_URL", database_url)
    monkeypatch.setenv("NEWSFACTS_SPACY_MODEL", "no_such_model_pkg")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", "8765"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "The language model 'no_such_model_pkg' is not installed" in result.stderr
    assert result.stdout == ""
