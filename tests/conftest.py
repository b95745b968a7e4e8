"""Fixtures: a fresh database per test on SQLite (default) or PostgreSQL.

Set ``NEWSFACTS_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/test`` to run the suite on
PostgreSQL. The schema is made once per session by the migrations; each test then starts from empty
tables (a copied SQLite file, or TRUNCATE on PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.db import make_engine, upgrade
from app.main import create_app
from app.models import Base
from app.settings import Settings

PG_URL = os.environ.get("NEWSFACTS_TEST_DATABASE_URL")


def pytest_report_header() -> str:
    return f"database: {'postgresql' if PG_URL else 'sqlite'}"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        engine = make_engine(Settings(database_url=PG_URL))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(Settings(database_url=f"sqlite:///{path}"))
    upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture
def database_url(template_db: str, tmp_path: Path) -> str:
    if PG_URL:
        engine = make_engine(Settings(database_url=PG_URL))
        # The tally rows are made by the migrations, as on an empty database: zeroed, not removed.
        kept = {"tally"}
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name not in kept)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            connection.execute(text("UPDATE tally SET value = 0"))
        engine.dispose()
        return PG_URL
    target = tmp_path / "test.db"
    shutil.copyfile(template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, load_model_on_startup=False)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
