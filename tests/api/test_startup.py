"""Start-up: reads answer before the language model is in; /ready and writes say where the load is."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app import nlp
from app.main import create_app
from app.settings import Settings

KEY = "startup-key"
ARTICLE = {"title": "Port reopens", "body": "The harbour master said the port would reopen on Monday."}


def _wait_for_load(seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while any(thread.name == "newsfacts-model" for thread in threading.enumerate()):
        assert time.monotonic() < deadline, "the model load did not finish"
        time.sleep(0.02)


def test_the_api_imports_without_spacy() -> None:
    # spaCy's import is a second of the start; reads must not wait for it.
    code = "import sys, app.main; sys.exit(1 if 'spacy' in sys.modules else 0)"
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_reads_answer_while_the_model_loads_and_ready_follows(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def held_load(model: str) -> object:
        release.wait(10)
        return object()

    monkeypatch.setattr("app.main.get_extractor", held_load)
    started = settings.model_copy(update={"load_model_on_startup": True})
    with TestClient(create_app(started)) as client:
        assert client.get("/articles").status_code == 200
        loading = client.get("/ready")
        assert loading.status_code == 503
        assert loading.json()["language_model"] is False
        release.set()
        _wait_for_load()
        ready = client.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["language_model"] is True


def test_the_real_model_loads_in_the_background(settings: Settings) -> None:
    started = settings.model_copy(update={"load_model_on_startup": True})
    with TestClient(create_app(started)) as client:
        _wait_for_load()
        assert client.get("/ready").json()["language_model"] is True
        assert nlp.is_loaded(started.spacy_model)


def test_a_model_that_is_not_installed_stops_the_start(settings: Settings) -> None:
    missing = settings.model_copy(update={"load_model_on_startup": True, "spacy_model": "no_such_model_pkg"})
    with (
        pytest.raises(RuntimeError, match="'no_such_model_pkg' is not installed"),
        TestClient(create_app(missing)),
    ):
        pass


def test_a_model_that_fails_to_load_keeps_ready_red_and_writes_503(
    settings: Settings, tmp_path: Path
) -> None:
    # A folder is taken for a model, but this one has no config: the load fails in the background.
    broken = settings.model_copy(
        update={
            "load_model_on_startup": True,
            "spacy_model": str(tmp_path),
            "api_keys": [SecretStr(KEY)],
            "rate_limit_enabled": False,
        }
    )
    with TestClient(create_app(broken)) as client:
        _wait_for_load()
        ready = client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["language_model"] is False
        assert client.get("/articles").status_code == 200
        write = client.post("/articles", json=ARTICLE, headers={"Authorization": f"Bearer {KEY}"})
        assert write.status_code == 503
        assert write.headers["content-type"] == "application/problem+json"
        assert "could not be loaded" in write.json()["detail"]
        assert "Nothing was stored" in write.json()["detail"]
        assert client.get("/articles").json()["total"] == 0


def test_concurrent_first_uses_load_the_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.extraction as extraction

    loads: list[str] = []

    def slow_load(model: str) -> object:
        loads.append(model)
        time.sleep(0.2)
        return object()

    class FakeExtractor:
        def __init__(self, pipeline: Any) -> None:
            self.pipeline = pipeline

    monkeypatch.setattr(extraction, "load_pipeline", slow_load)
    monkeypatch.setattr(extraction, "Extractor", FakeExtractor)
    monkeypatch.setattr(nlp, "_extractors", {})
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(nlp.get_extractor("m"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == ["m"]
    assert len(got) == 4 and all(extractor is got[0] for extractor in got)
    assert nlp.is_loaded("m")
