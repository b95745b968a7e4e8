"""Nothing lost, nothing doubled: the real ``newsfacts seed`` with the real model, killed, raced, read.

Each test seeds databases of its own (SQLite files, or scratch PostgreSQL databases named after the
test database) with a corpus made up in tests/corpus.py, and compares stored facts by natural keys
(content hash, normalised names, topic keys), since ids may differ between runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import aliased

from app import models
from app.db import make_engine, upgrade
from app.main import create_app
from app.settings import Settings
from tests.conftest import PG_URL
from tests.corpus import write_corpus

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 300


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", ARTICLES)


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Makes empty databases: SQLite files, or ``<test database>_<name>`` on PostgreSQL."""
    made: list[str] = []
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT") if PG_URL else None

    def make(name: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / name}.db"
        url = make_url(PG_URL)
        database = f"{url.database}_{name}"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        made.append(database)
        return url.set(database=database).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for database in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def start_seed(url: str, corpus: Path, *options: str) -> subprocess.Popen[str]:
    # ``python -m app`` runs this checkout's code; a session of its own lets a kill reach the workers too.
    return subprocess.Popen(
        [sys.executable, "-m", "app", "seed", str(corpus), *options],
        cwd=ROOT,
        env={**os.environ, "NEWSFACTS_DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run_seed(url: str, corpus: Path, *options: str) -> str:
    process = start_seed(url, corpus, *options)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


def article_count(engine: Engine) -> int:
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(models.Article)).scalar_one())
    except Exception:
        return 0  # the schema is not there yet


def snapshot(engine: Engine, *, links: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored fact by natural keys. ``links=False`` leaves out what depends on the order in which
    articles were stored (slugs, an actor's first-seen country and affiliation)."""
    a = models.Article
    actor = models.Actor
    country, affiliation = aliased(models.Actor), aliased(models.Actor)
    key = (actor.kind, actor.normalized_name)
    with engine.connect() as c:

        def rows(statement: Any) -> list[tuple[Any, ...]]:
            return sorted((tuple(row) for row in c.execute(statement)), key=repr)

        actor_columns = [*key, actor.name]
        if links:
            actor_columns += [actor.slug, country.normalized_name, affiliation.normalized_name]
        return {
            "articles": rows(
                select(a.content_hash, a.title, a.body, a.published_on, *([a.slug] if links else []))
            ),
            "quotes": rows(
                select(a.content_hash, models.Quote.seq, *key, models.Quote.content, models.Quote.start)
                .join(a, models.Quote.article_id == a.id)
                .outerjoin(actor, models.Quote.speaker_id == actor.id)
            ),
            "actors": rows(
                select(*actor_columns)
                .outerjoin(country, actor.country_id == country.id)
                .outerjoin(affiliation, actor.affiliation_id == affiliation.id)
            ),
            "mentions": rows(
                select(a.content_hash, *key, models.Mention.field, models.Mention.start)
                .join(a, models.Mention.article_id == a.id)
                .join(actor, models.Mention.actor_id == actor.id)
            ),
            "roles": rows(
                select(a.content_hash, *key, models.ActorRole.title)
                .join(a, models.ActorRole.article_id == a.id)
                .join(actor, models.ActorRole.actor_id == actor.id)
            ),
            "topics": rows(select(models.Topic.key, models.Topic.label)),
            "positions": rows(
                select(a.content_hash, models.Position.seq, *key, models.Topic.key, models.Position.stance)
                .join(a, models.Position.article_id == a.id)
                .join(actor, models.Position.actor_id == actor.id)
                .join(models.Topic, models.Position.topic_id == models.Topic.id)
            ),
        }


def assert_no_duplicates(facts: dict[str, list[tuple[Any, ...]]]) -> None:
    for name in ("articles", "quotes", "topics", "positions"):
        assert len(set(facts[name])) == len(facts[name]), name
    actor_keys = [row[:2] for row in facts["actors"]]
    assert len(set(actor_keys)) == len(actor_keys)


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    """The facts of one uninterrupted run (on the suite's database kind)."""
    if PG_URL:
        url = make_url(PG_URL)
        database = f"{url.database}_reference"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        target = url.set(database=database).render_as_string(hide_password=False)
    else:
        admin = None
        target = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'reference.db'}"
    out = run_seed(target, corpus)
    assert f"articles: {ARTICLES} new, 0 unchanged, 0 failed" in out
    engine = make_engine(Settings(database_url=target))
    facts = snapshot(engine)
    engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
    assert len(facts["articles"]) == ARTICLES
    assert facts["quotes"] and facts["positions"] and facts["actors"]
    assert_no_duplicates(facts)
    return facts


def test_a_seed_killed_mid_corpus_then_rerun_equals_an_uninterrupted_one(
    corpus: Path, reference: dict[str, list[tuple[Any, ...]]], new_database: Callable[[str], str]
) -> None:
    url = new_database("killed")
    engine = make_engine(Settings(database_url=url))
    killed_at = []
    for target in (40, 150):
        process = start_seed(url, corpus, "--batch-size", "4")
        deadline = time.monotonic() + 120
        while article_count(engine) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the seed ended before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        killed_at.append(article_count(engine))
        # What a kill leaves is whole articles: each has exactly the facts the reference has for it.
        partial = snapshot(engine)
        stored = {row[0] for row in partial["articles"]}
        for name in ("quotes", "mentions", "roles", "positions"):
            assert partial[name] == [row for row in reference[name] if row[0] in stored], name
    assert 0 < killed_at[0] < killed_at[1] < ARTICLES, killed_at

    out = run_seed(url, corpus)
    assert f"articles: {ARTICLES - killed_at[1]} new, {killed_at[1]} unchanged, 0 failed" in out
    assert snapshot(engine) == reference
    assert "0 new, 300 unchanged" in run_seed(url, corpus)
    engine.dispose()


def test_reads_go_on_while_a_seed_writes(
    corpus: Path, reference: dict[str, list[tuple[Any, ...]]], new_database: Callable[[str], str]
) -> None:
    url = new_database("reads")
    # The schema first, so that readers have tables from the start.
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    settings = Settings(database_url=url, load_model_on_startup=False, rate_limit_enabled=False)
    failures: list[str] = []
    seen: dict[int, int] = {}
    reads = [0]
    stop = threading.Event()

    def reader(client: TestClient) -> None:
        while not stop.is_set():
            listing = client.get("/articles", params={"limit": 20, "sort": "-published_on"})
            if listing.status_code != 200:
                failures.append(f"/articles {listing.status_code} {listing.text[:200]}")
                continue
            for item in listing.json()["items"][:5]:
                detail = client.get(f"/articles/{item['id']}", params={"include": "quotes"})
                if detail.status_code != 200:
                    failures.append(f"/articles/{item['id']} {detail.status_code} {detail.text[:200]}")
                    continue
                seen[item["id"]] = len(detail.json()["quotes"])
            for path in ("/quotes", "/actors", "/topics", "/positions"):
                response = client.get(path)
                if response.status_code != 200:
                    failures.append(f"{path} {response.status_code} {response.text[:200]}")
            reads[0] += 1

    # Three threads on one app and one event loop, as in one server process. (Apps on separate event
    # loops in one process, which the server never has, race FastAPI's lazy set-up of the route
    # objects they share.)
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    client.__enter__()
    threads = [threading.Thread(target=reader, args=(client,)) for _ in range(3)]
    process = start_seed(url, corpus, "--batch-size", "4")
    for thread in threads:
        thread.start()
    try:
        _, err = process.communicate(timeout=300)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        client.__exit__(None, None, None)
    assert process.returncode == 0, err
    assert "database is locked" not in err
    assert failures == []
    assert reads[0] > 10
    # A reader never saw an article before all its quotes: what it saw is what is there now.
    with engine.connect() as connection:
        final = dict(
            connection.execute(
                select(models.Article.id, func.count(models.Quote.id))
                .outerjoin(models.Quote, models.Quote.article_id == models.Article.id)
                .group_by(models.Article.id)
            ).all()
        )
    assert seen
    assert {article: final[article] for article in seen} == seen
    assert snapshot(engine) == reference
    engine.dispose()


def test_two_seeds_on_one_corpus_store_each_article_once(
    corpus: Path, reference: dict[str, list[tuple[Any, ...]]], new_database: Callable[[str], str]
) -> None:
    url = new_database("race")
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    processes = [start_seed(url, corpus, "--batch-size", "8", "--processes", "1") for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    new = [int(out.split("articles: ")[1].split(" new")[0]) for out, _ in outputs]
    assert sum(new) == ARTICLES
    facts = snapshot(engine, links=False)
    assert_no_duplicates(facts)
    expected = {
        name: sorted({row[: len(facts[name][0])] for row in rows}, key=repr) if facts[name] else rows
        for name, rows in reference.items()
    }
    assert facts["articles"] == sorted(((r[0], r[1], r[2], r[3]) for r in reference["articles"]), key=repr)
    for name in ("quotes", "mentions", "roles", "topics", "positions"):
        assert facts[name] == expected[name], name
    assert sorted(row[:3] for row in facts["actors"]) == sorted(row[:3] for row in reference["actors"])
    engine.dispose()
