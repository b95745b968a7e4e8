"""The seed command end to end with the real language model: files in, facts in the database, API out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import Settings, get_settings

SEEDS = Path(__file__).parents[2] / "seeds"

pytestmark = pytest.mark.slow


@pytest.fixture
def seed_env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    monkeypatch.setenv("NEWSFACTS_DATABASE_URL", database_url)
    monkeypatch.setenv("NEWSFACTS_SEEDS_DIR", str(seeds))
    get_settings.cache_clear()
    yield seeds
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_seed_twice_changes_nothing(seed_env: Path) -> None:
    code, out, _ = run("seed", "--processes", "1")
    assert code == 0
    assert out.startswith("articles: 1 new, 0 unchanged, 0 failed; quotes: 13, actors: 13, positions:")
    code, out, _ = run("seed", "--processes", "1")
    assert code == 0
    assert out.startswith("articles: 0 new, 1 unchanged, 0 failed; quotes: 0, actors: 0, positions: 0")


def test_unreadable_file_is_named_and_the_rest_load(seed_env: Path) -> None:
    (seed_env / "broken.txt").write_bytes(b"no header here\nbody\n")
    (seed_env / "more.jsonl").write_text(
        '{"title": "Minister speaks", "body": "The minister said the plan would work.", '
        '"date": "2025-03-01"}\n'
        "[]\n"
    )
    code, out, err = run("seed", "--processes", "1")
    assert code == 1
    assert out.startswith("articles: 2 new, 0 unchanged, 2 failed;")
    assert f"error: {seed_env / 'broken.txt'}: line 1: expected the header ' date YYYY-MM-DD SECTION'" in err
    assert f"error: {seed_env / 'more.jsonl'}:2: expected a JSON object, got list" in err


def test_seeded_article_through_the_api(seed_env: Path, database_url: str) -> None:
    assert run("seed", "--processes", "1")[0] == 0
    with TestClient(create_app(Settings(database_url=database_url, load_model_on_startup=False))) as client:
        articles = client.get("/articles").json()
        assert [a["title"] for a in articles["items"]] == [
            "Any plan to send European troops to Ukraine 'unacceptable': Russia"
        ]
        direct = client.get(
            "/quotes", params={"speaker": "dmitry-peskov", "kind": "direct", "limit": 50}
        ).json()
        assert [q["content"]["text"] for q in direct["items"]] == [
            "This causes concern for us, because we're talking about sending military contingents - "
            "about the possible, eventual sending of military contingents from NATO countries to Ukraine,",
            "This takes on a completely different meaning from the point of view of our security",
            "We're monitoring this very closely.",
        ]
        body = client.get(f"/articles/{articles['items'][0]['id']}").json()["body"]
        for quote in direct["items"]:
            assert body[quote["content"]["start"] : quote["content"]["end"]] == quote["content"]["text"]
        names = {a["name"]: a["kind"] for a in client.get("/actors", params={"limit": 100}).json()["items"]}
        assert {
            "Dmitry Peskov": "person",
            "Keir Starmer": "person",
            "Sergey Lavrov": "person",
            "Donald Trump": "person",
            "Russia": "country",
            "Ukraine": "country",
            "United Kingdom": "country",
            "NATO": "organization",
            "Kremlin": "organization",
        }.items() <= names.items()
        peskov = client.get("/actors/dmitry-peskov").json()
        assert peskov["aliases"] == ["Dmitry Peskov", "Peskov"]
        assert [r["title"] for r in peskov["roles"]] == ["Kremlin spokesman", "Kremlin spokesperson"]
        assert (peskov["country"]["name"], peskov["affiliation"]["name"]) == ("Russia", "Kremlin")
        topics = client.get("/topics").json()["items"]
        assert {t["label"] for t in topics} == {"foreign troops in Ukraine", "Ukraine's NATO membership"}
