"""The connections read endpoints get: how many round trips a request costs, and stale connections."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import sqlite3
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import Request
from sqlalchemy import Engine, bindparam, create_engine, exc, select, text
from sqlalchemy.orm import Session, sessionmaker

from app import db, models
from tests.builders import make_article


def test_a_read_session_opens_no_transaction_on_postgresql(engine: Engine) -> None:
    with db.make_read_sessionmaker(engine, 4)() as session:
        assert session.execute(select(1)).scalar_one() == 1
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        if engine.dialect.name == "postgresql":
            # Autocommit: no BEGIN was sent before the query, and no ROLLBACK is owed when the
            # connection goes back to the pool.
            assert raw.autocommit
            assert raw.info.transaction_status.name == "IDLE"
        else:
            # SQLite keeps one read transaction for the whole request: one snapshot for its queries.
            assert isinstance(raw, sqlite3.Connection)
            assert raw.in_transaction


def test_a_write_session_keeps_its_transaction(engine: Engine) -> None:
    db.make_read_sessionmaker(engine, 4)().close()
    with db.write_session(engine) as session:
        session.execute(select(1))
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        if engine.dialect.name == "postgresql":
            assert not raw.autocommit
            assert raw.info.transaction_status.name == "INTRANS"
        else:
            assert raw.in_transaction  # type: ignore[attr-defined]


def _request(engine: Engine, make_session: Any = None) -> dict[str, Any]:
    """The request ``read_endpoint`` is given beside the endpoint's own parameters: what it reads off
    it is the app's engine and read session maker."""
    state = SimpleNamespace(
        engine=engine, read_sessionmaker=make_session or db.make_read_sessionmaker(engine, 4)
    )
    return {db.REQUEST_PARAMETER: SimpleNamespace(app=SimpleNamespace(state=state))}


def test_postgresql_reads_run_in_as_many_threads_as_set_at_most(engine: Engine) -> None:
    make_session = db.make_read_sessionmaker(engine, 2)
    lock = threading.Lock()
    running, most = 0, 0
    threads: set[int] = set()

    def endpoint(session: Session) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            threads.add(threading.get_ident())
        # Long enough for every read to have started by now, were they not queued.
        time.sleep(0.05)
        value = session.execute(select(1)).scalar_one()
        with lock:
            running -= 1
        return value

    read = db.read_endpoint(endpoint)

    async def six_at_once() -> list[Any]:
        return await asyncio.gather(*(read(**_request(engine, make_session)) for _ in range(6)))

    assert asyncio.run(six_at_once()) == [1] * 6
    if engine.dialect.name == "postgresql":
        assert most == 2
    else:
        # SQLite reads run on the event loop, one after the other.
        assert (most, threads) == (1, {threading.get_ident()})


def test_a_read_gives_its_connection_back_as_soon_as_it_returns(engine: Engine) -> None:
    def endpoint(session: Session) -> Any:
        return session.execute(select(1)).scalar_one()

    assert asyncio.run(db.read_endpoint(endpoint)(**_request(engine))) == 1
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_read_endpoint_shows_fastapi_the_request_not_the_session() -> None:
    def endpoint(session: db.SessionDep, page: int = 1) -> Any:
        return page

    shown = inspect.signature(db.read_endpoint(endpoint)).parameters
    assert list(shown) == ["page", db.REQUEST_PARAMETER]
    assert shown[db.REQUEST_PARAMETER].annotation is Request


def _engine_with_one_connection(tmp_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path / 'ping.db'}", pool_size=1, max_overflow=0)
    db._ping_idle_connections(engine)
    return engine


def _break_the_pooled_connection(engine: Engine) -> None:
    """What a server restart does to a pooled connection, as far as the client can tell."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.close()


def test_a_connection_idle_for_long_is_pinged_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine_with_one_connection(tmp_path)
    _break_the_pooled_connection(engine)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()


def test_a_connection_back_moments_ago_is_used_without_a_ping(tmp_path: Path) -> None:
    engine = _engine_with_one_connection(tmp_path)
    _break_the_pooled_connection(engine)
    # Not pinged: the broken connection is handed out as it is (the price of skipping the ping).
    with pytest.raises(exc.ProgrammingError), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()


def _counting_read(statement: str) -> tuple[list[int], Any]:
    calls: list[int] = []

    def endpoint(session: Session) -> Any:
        calls.append(1)
        return session.execute(text(statement)).scalar_one()

    return calls, db.read_endpoint(endpoint)


def test_a_read_on_a_connection_dropped_moments_ago_goes_again_on_a_new_one(tmp_path: Path) -> None:
    engine = _engine_with_one_connection(tmp_path)
    _break_the_pooled_connection(engine)
    calls, read = _counting_read("SELECT 7")
    assert asyncio.run(read(**_request(engine, sessionmaker(engine)))) == 7
    assert len(calls) == 2
    engine.dispose()


def test_a_read_that_fails_for_another_reason_is_not_repeated(tmp_path: Path) -> None:
    engine = _engine_with_one_connection(tmp_path)
    calls, read = _counting_read("SELECT * FROM no_such_table")
    with pytest.raises(exc.OperationalError):
        asyncio.run(read(**_request(engine, sessionmaker(engine))))
    assert len(calls) == 1
    engine.dispose()


def _detail() -> Any:
    return select(
        models.Article.id,
        models.Article.title,
        models.Article.published_on,
        models.Article.ingested_at,
        models.Article.word_count,
    ).where(models.Article.id == bindparam("ident"))


def test_a_prepared_statement_gives_the_same_rows_every_time(engine: Engine) -> None:
    """The first execution runs through SQLAlchemy, the later ones on the driver's own cursor. Either
    way the rows read alike: by name, by position, and with each value of the type SQLAlchemy gives
    (on SQLite the date stored as text; the UTC timestamp made aware by its type's converter)."""
    article_id = make_article(engine, title="Budget talks", published_on=dt.date(2025, 3, 1))
    statement = _detail()
    with engine.connect() as connection:
        answers = [db.run_prepared(connection, statement, {"ident": article_id}).one() for _ in range(3)]
        missing = db.run_prepared(connection, statement, {"ident": article_id + 1}).one_or_none()
        tally = db.run_prepared(connection, select(models.Tally.value).where(models.Tally.name == "article"))
        assert [tuple(row) for row in tally.all()] == [(1,)]
    first = answers[0]
    assert all(tuple(answer) == tuple(first) for answer in answers)
    assert all(answer.title == "Budget talks" for answer in answers)
    assert all(answer.published_on == dt.date(2025, 3, 1) for answer in answers)
    assert all(answer.ingested_at.tzinfo is not None for answer in answers)
    assert all(answer.ingested_at == first.ingested_at for answer in answers)
    assert missing is None
    # The later ones ran on the driver's cursor: the statement's direct form is kept once.
    assert db._direct[statement, engine.dialect.name] is not None
    assert hasattr(answers[0], "_mapping") and not hasattr(answers[2], "_mapping")


def test_a_direct_answer_has_as_many_rows_as_asked() -> None:
    rows = db._Rows([(1,), (2,)])
    assert rows.all() == [(1,), (2,)]
    with pytest.raises(exc.MultipleResultsFound):
        rows.one()
    with pytest.raises(exc.MultipleResultsFound):
        rows.one_or_none()
    with pytest.raises(exc.NoResultFound):
        db._Rows([]).one()
    assert db._Rows([]).one_or_none() is None
    assert db._Rows([(7,)]).scalar_one() == 7
    assert db._Rows([(7,), (8,)]).scalar() == 7
    assert db._Rows([]).scalar() is None


def test_a_direct_read_on_a_dropped_connection_goes_again_on_a_new_one(engine: Engine) -> None:
    """The driver's error on the direct path is wrapped as SQLAlchemy's, with the connection marked
    invalidated, so that ``read_endpoint`` reads again on a fresh one, as it does for the others."""
    make_article(engine, title="Budget talks")
    statement = select(models.Article.title).where(models.Article.id > bindparam("after"))
    calls: list[int] = []

    def endpoint(session: Session) -> Any:
        calls.append(1)
        return db.run_prepared(session.connection(), statement, {"after": 0}).scalar_one()

    read = db.read_endpoint(endpoint)
    one_connection = create_engine(engine.url, pool_size=1, max_overflow=0)
    given = _request(one_connection, sessionmaker(one_connection))
    assert asyncio.run(read(**given)) == "Budget talks"
    # The statement runs directly now; the server then drops the connection.
    _break_the_pooled_connection(one_connection)
    assert asyncio.run(read(**given)) == "Budget talks"
    assert len(calls) == 3
    one_connection.dispose()


def test_the_direct_forms_kept_are_bounded(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements a ``prepared`` builder let go are not kept alive here for ever."""
    monkeypatch.setattr(db, "_direct", {})
    monkeypatch.setattr(db, "_DIRECT_KEPT", 3)
    with engine.connect() as connection:
        for n in range(7):
            statement = select(models.Tally.value).where(
                models.Tally.name == bindparam("name"), text(f"{n} = {n}")
            )
            assert db.run_prepared(connection, statement, {"name": "article"}).scalar_one() == 0
            assert len(db._direct) <= 3
