"""The schema comes only from the migrations: empty → head → base → head, and models agree with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app.db import alembic_config, make_engine, schema_revisions, upgrade
from app.extraction.types import Position
from app.models import ArticleDay, ArticleMonth, Base, Topic
from app.search.sql import include_object
from app.settings import Settings
from tests.builders import actor, find, make_article, peskov_article
from tests.conftest import PG_URL


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    if not PG_URL:
        engine = make_engine(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
        yield engine
        engine.dispose()
        return
    # A database of its own, so that dropping everything cannot disturb the suite's shared one.
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    url = make_url(PG_URL)
    scratch = f"{url.database}_migrations"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    url = url.set(database=scratch)
    engine = make_engine(Settings(database_url=url.render_as_string(hide_password=False)))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    current, head = schema_revisions(empty_engine)
    assert current == head is not None
    with empty_engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_object}), Base.metadata
        )
    assert differences == []


def test_downgrade_to_empty_and_back(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_engine)
    assert {"article", "quote", "actor", "position", "topic"} <= set(inspect(empty_engine).get_table_names())


def test_upgrade_twice_is_a_no_op(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert schema_revisions(empty_engine)[0] == schema_revisions(empty_engine)[1]


def test_article_counts_per_day_and_month_are_filled_from_the_stored_articles(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    for day in (dt.date(2025, 1, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 1), None):
        make_article(empty_engine, title=f"On {day}", published_on=day)
    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        days = connection.execute(select(ArticleDay.sort_date, ArticleDay.article_count)).all()
        months = connection.execute(select(ArticleMonth.month, ArticleMonth.article_count)).all()
    assert sorted(days) == [(dt.date(1, 1, 1), 1), (dt.date(2025, 1, 31), 2), (dt.date(2025, 2, 1), 1)]
    assert sorted(months) == [(dt.date(1, 1, 1), 1), (dt.date(2025, 1, 1), 2), (dt.date(2025, 2, 1), 1)]


def test_topics_made_from_concepts_are_told_from_their_keys(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    peskov_article(empty_engine)
    body = "The Treasury warned against a cash bid for the LSE."
    bid = Position(
        0,
        "warn",
        find(body, "a cash bid for the LSE"),
        "cash bid|lse",
        "cash bid (LSE)",
        find(body, body),
        None,
        0.8,
    )
    treasury = actor("Treasury", "organization", mentions=(find(body, "Treasury"),))
    make_article(empty_engine, body=body, actors=(treasury,), positions=(bid,))
    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0012")
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        kinds = {key: concept for key, concept in connection.execute(select(Topic.key, Topic.concept))}
    assert kinds == {"troops|ukraine": True, "cash bid|lse": False}
