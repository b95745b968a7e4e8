"""The ingest loop: what it stores, what it counts, and what it refuses to store."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

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
