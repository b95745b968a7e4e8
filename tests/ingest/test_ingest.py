"""The ingest loop: what it stores, what it counts, and what it refuses to store."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import app.counts
import app.ingest
from app import models
from app.ingest import ingest
from app.sources import SourceDocument, SourceError
from tests.fakes import FakeExtractor


def document(body: str, title: str = "Title") -> SourceDocument:
    return SourceDocument(title=title, body=body, origin=f"test:{title}")


def test_failures_are_counted_named_and_store_nothing(engine: Engine) -> None:
    documents = [
        document('"We are ready," Maria Lopez said.', "one"),
        SourceError("corpus.jsonl:2", "not valid JSON"),
        document("UNPROCESSABLE text", "two"),
        document('"Not now," Tom Berg told reporters.', "three"),
    ]
    summary = ingest(engine, documents, model="unused", extractor=FakeExtractor())  # type: ignore[arg-type]
    assert (summary.new, summary.unchanged, summary.failed, summary.quotes) == (2, 0, 2, 2)
    assert summary.errors == [
        "corpus.jsonl:2: not valid JSON",
        "test:two: extraction failed (ValueError: the fake rules were told to fail)",
    ]
    with engine.connect() as connection:
        titles = connection.execute(select(models.Article.title).order_by(models.Article.id)).scalars().all()
        assert titles == ["one", "three"]
        assert connection.execute(select(func.count()).select_from(models.Quote)).scalar_one() == 2


def test_a_rerun_stores_nothing_new(engine: Engine) -> None:
    documents = [document('"We are ready," Maria Lopez said.', "one")]
    ingest(engine, documents, model="unused", extractor=FakeExtractor())  # type: ignore[arg-type]
    again = ingest(engine, documents, model="unused", extractor=FakeExtractor())  # type: ignore[arg-type]
    assert (again.new, again.unchanged, again.failed) == (0, 1, 0)


def refuse(monkeypatch: pytest.MonkeyPatch, title: str, times: int) -> None:
    """The database refuses the article titled ``title`` the first ``times`` times it is stored: after
    its rows are written, a statement breaks a primary key, as a value the database rejects would."""
    real = app.ingest.store_rows
    left = [times]

    def refusing(session: Session, document: SourceDocument, *args: Any) -> app.ingest.StoredArticle:
        stored = real(session, document, *args)
        if document.title == title and left[0] > 0:
            left[0] -= 1
            session.execute(insert(models.Tally).values(name="article", value=0))
        return stored

    monkeypatch.setattr(app.ingest, "store_rows", refusing)


def stored_titles_and_tallies(engine: Engine) -> tuple[list[str], dict[str, int]]:
    with engine.connect() as connection:
        titles = connection.execute(select(models.Article.title).order_by(models.Article.id)).scalars()
        tallies = dict(connection.execute(select(models.Tally.name, models.Tally.value)).all())
        return list(titles), tallies


GROUP = [
    document('"We are ready," Maria Lopez said.', "one"),
    document('"Never," Ann Smith said. "Not once," Tom Berg told us.', "refused"),
    document('"Not now," Tom Berg told reporters.', "three"),
]


def test_an_article_the_database_refuses_fails_alone_and_its_group_is_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse(monkeypatch, "refused", times=99)
    summary = ingest(engine, GROUP, model="unused", extractor=FakeExtractor())  # type: ignore[arg-type]
    assert (summary.new, summary.failed, summary.quotes) == (2, 1, 2)
    assert len(summary.errors) == 1 and summary.errors[0].startswith("test:refused: could not be stored (")
    titles, tallies = stored_titles_and_tallies(engine)
    assert titles == ["one", "three"]
    assert tallies == {"article": 2, "quote": 2, "position": 0}
    with engine.connect() as connection:
        names = connection.execute(select(models.Actor.name).order_by(models.Actor.name)).scalars()
        assert list(names) == ["Maria Lopez", "Tom Berg"]


def test_an_article_refused_once_in_its_group_is_stored_on_its_own(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse(monkeypatch, "refused", times=1)
    summary = ingest(engine, GROUP, model="unused", extractor=FakeExtractor())  # type: ignore[arg-type]
    assert (summary.new, summary.failed, summary.quotes, summary.errors) == (3, 0, 4, [])
    titles, tallies = stored_titles_and_tallies(engine)
    assert titles == ["one", "three", "refused"]
    assert tallies == {"article": 3, "quote": 4, "position": 0}


def test_a_group_whose_transaction_keeps_failing_is_stored_article_by_article(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = app.counts.add_articles
    tries = []

    def busy(session: Session, article_ids: Any, moved: Any = ()) -> None:
        if len(article_ids) > 1:  # the group's transaction, never an article's own
            tries.append(len(article_ids))
            raise OperationalError("UPDATE actor ...", {}, Exception("database is locked"))
        real(session, article_ids, moved)

    monkeypatch.setattr(app.counts, "add_articles", busy)
    monkeypatch.setattr(app.ingest.time, "sleep", lambda _: None)
    summary = ingest(engine, GROUP, model="unused", extractor=FakeExtractor())  # type: ignore[arg-type]
    assert tries == [3, 3, 3]
    assert (summary.new, summary.failed, summary.quotes, summary.errors) == (3, 0, 4, [])
    titles, tallies = stored_titles_and_tallies(engine)
    assert titles == ["one", "refused", "three"]
    assert tallies == {"article": 3, "quote": 4, "position": 0}
