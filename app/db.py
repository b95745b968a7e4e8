"""Engines and sessions. SQLite gets WAL, foreign keys, a busy timeout and explicit BEGINs."""

from __future__ import annotations

import functools
import inspect
import sqlite3
import time
from collections import namedtuple
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, bindparam, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings

# Marks a connection whose transaction will write: on SQLite it starts with BEGIN IMMEDIATE, because
# a deferred read-then-write transaction fails with "database is locked" at once, whatever the timeout.
WRITE = {"newsfacts_write": True}


def make_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        pool: dict[str, Any] = {}
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            # As many pooled connections as requests run at once: an overflow connection is opened
            # and closed per checkout, and opening one (with its PRAGMAs) costs more than a query.
            pool = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_pool_size}
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **pool)
        _configure_sqlite(engine, settings.sqlite_synchronous)
        return engine
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=5,
    )
    _ping_idle_connections(engine)
    return engine


# A connection given back to the pool moments ago was answering then; one idle for longer may have
# been closed by a server restart or a proxy's idle timeout. Only those are pinged before use:
# pinging every checkout (``pool_pre_ping``) cost one more round trip per request.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_idle_connections(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info["newsfacts_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["newsfacts_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("newsfacts_idle_since", 0.0)
        if time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # As pool_pre_ping does: a server restart ended every pooled connection, so the pool
            # discards them all and this checkout gets a new one.
            raise exc.InvalidatePoolError(str(error)) from error


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (the pysqlite driver would
        # otherwise issue its own deferred BEGIN just before the first write).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("newsfacts_write")
        if immediate:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        # A read's BEGIN on the driver's connection: through ``exec_driver_sql`` it took a third of a
        # read session's set-up (an execution context and a result for a statement that returns
        # nothing). A deferred BEGIN takes no lock, so it does not wait or fail as BEGIN IMMEDIATE can.
        try:
            connection.connection.driver_connection.execute("BEGIN")
        except sqlite3.Error as error:
            connection._handle_dbapi_exception(error, "BEGIN", (), None, None)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_read_sessionmaker(engine: Engine, read_threads: int) -> sessionmaker[Session]:
    """Sessions for the read endpoints. On PostgreSQL their connections run in autocommit: each
    statement is its own transaction, which is what READ COMMITTED gives a read-only request anyway
    (a snapshot per statement), without the BEGIN before the first query and the ROLLBACK when the
    connection goes back to the pool: two round trips per request. SQLite's stay as they are, one
    read transaction per request (a snapshot across its statements).

    PostgreSQL reads run in at most ``read_threads`` worker threads (``read_endpoint``), the others
    waiting their turn in order."""
    if engine.dialect.name != "postgresql":
        return sessionmaker(engine, expire_on_commit=False)
    return sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        expire_on_commit=False,
        info={READ_THREADS: CapacityLimiter(read_threads)},
    )


READ_THREADS = "newsfacts_read_threads"


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose single transaction is committed on success and rolled back on any error."""
    with Session(engine.execution_options(**WRITE), expire_on_commit=False) as session, session.begin():
        yield session


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One read session per request, closed when the response is sent.

    Async, so that making and closing the session cost no hop to a worker thread: it opens no
    connection until the endpoint's first query, in the endpoint's own thread, and closing it sends
    nothing to the database (SQLite's rollback is a local call; PostgreSQL's autocommit connection has
    no transaction to end).
    """
    session = request.app.state.read_sessionmaker()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def read_endpoint(endpoint: Endpoint) -> Endpoint:
    """Runs a sync read endpoint with a read session of its own: on the event loop when the database
    is SQLite, else in a worker thread.

    A SQLite read is a local call that holds no lock a writer waits on (WAL): a hop to a worker thread
    and back costs more than the query, and a pool of threads contending for the GIL makes the tail
    latency worse, not better. A PostgreSQL query waits on the network, so it keeps its thread, but
    in a few threads only (``NEWSFACTS_DB_READ_THREADS``), the other requests queued in order: with
    a thread per request (16 at once), whichever thread the GIL went to next left others waiting,
    and the slowest 1 % of article and topic detail took 70-470 ms against medians of 21-28 ms
    (bench/RESULTS.md, 20261207).

    The session (the endpoint's ``SessionDep`` parameter) is made here and closed as soon as the
    endpoint returns, not by a dependency: FastAPI runs a yield dependency's exit in an exit stack
    under a shielded cancel scope after the answer is sent, and with the session's own set-up that
    was a seventh of a topic's answer on SQLite (py-spy). The endpoint answers with plain values or
    models, never ORM objects, so nothing reads the session after it is closed. FastAPI sees the
    endpoint's signature (its parameters, annotations evaluated since the wrapper's module is not the
    one they were written in) without the session and with the request, which leads to the session
    maker.
    """
    signature = inspect.signature(endpoint, eval_str=True)
    parameters = list(signature.parameters.values())
    session_name = next((p.name for p in parameters if _is_session(p.annotation)), None)
    request_name = next((p.name for p in parameters if p.annotation is Request), None)
    shown = [p for p in parameters if p.name != session_name]
    given_request = request_name is not None
    if not given_request:
        request_name = REQUEST_PARAMETER
        shown.append(inspect.Parameter(REQUEST_PARAMETER, inspect.Parameter.KEYWORD_ONLY, annotation=Request))

    @functools.wraps(endpoint)
    async def run(**kwargs: Any) -> Any:
        request = kwargs[request_name] if given_request else kwargs.pop(request_name)
        if session_name is None:
            return await anyio.to_thread.run_sync(functools.partial(endpoint, **kwargs))
        make_session = request.app.state.read_sessionmaker
        if request.app.state.engine.dialect.name == "sqlite":
            return _read(endpoint, make_session, session_name, kwargs)
        limiter = make_session.kw.get("info", {}).get(READ_THREADS)
        return await anyio.to_thread.run_sync(
            _read, endpoint, make_session, session_name, kwargs, limiter=limiter
        )

    run.__signature__ = signature.replace(parameters=shown)  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]


REQUEST_PARAMETER = "newsfacts_request"


def _is_session(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation is Session


def _read(
    endpoint: Callable[..., Any],
    make_session: Callable[[], Session],
    session_name: str,
    kwargs: dict[str, Any],
) -> Any:
    """The endpoint's answer, read again once if the database had dropped its connection.

    Only connections idle for a while are pinged before use (``_ping_idle_connections``), so one that
    went back to the pool moments before a server restart is handed out dead. The driver's error marks
    it invalidated, and the pool then replaces it and every older connection: a read is safe to repeat,
    so it goes again on a fresh connection instead of answering 500."""
    with make_session() as session:
        try:
            return endpoint(**kwargs, **{session_name: session})
        except exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
    with make_session() as session:
        return endpoint(**kwargs, **{session_name: session})


Builder = TypeVar("Builder", bound=Callable[..., Any])


def prepared(build: Builder) -> Builder:
    """Memoises a builder of a read statement. It is called with the statement's shape (which filters,
    which sort), never with values: those are bind parameters, given at execution.

    Executed again, the same statement object skips SQLAlchemy's per-statement work: building the
    select, generating its cache key, and adapting the cached compiled form to a new statement object.
    Measured on SQLite for an article's quotes: 424 µs built per request, 55 µs prepared.
    """
    return functools.lru_cache(maxsize=256)(build)  # type: ignore[return-value]


class _Direct:
    """A prepared statement compiled once, executed on the driver's own cursor.

    Each execution through SQLAlchemy's machinery cost CPU the query does not need (a one-row query on
    PostgreSQL 150-180 µs against 60; a page of 21 articles 100 against 60 on SQLite, 210 against 150
    on PostgreSQL; bench/RESULTS.md 20261207): the execution
    context and the result are set up anew each time, and psycopg builds a ``Column`` object per
    column whenever its ``description`` is read. A prepared statement's SQL, parameters and row shape
    are fixed, so they are worked out once, from SQLAlchemy's own compiled form, and SQLAlchemy's own
    converters are applied to the parameters and columns that have one (on SQLite, dates stored as
    text; everywhere, the aware UTC timestamps). A statement that expands a list or renames a
    parameter runs through SQLAlchemy.
    """

    __slots__ = ("binds", "defaults", "make", "order", "processors", "sql")

    def __init__(
        self,
        sql: str,
        order: tuple[str, ...] | None,
        defaults: dict[str, Any],
        binds: dict[str, Callable[[Any], Any]],
        names: Sequence[str],
        processors: list[tuple[int, Callable[[Any], Any]]],
    ) -> None:
        self.sql = sql
        # The parameters' names in the order of the SQL's placeholders (qmark style, SQLite); None for
        # named ones (pyformat, psycopg).
        self.order = order
        self.defaults = defaults
        self.binds = binds
        self.make = namedtuple("Row", names)._make  # type: ignore[misc]
        self.processors = processors

    @classmethod
    def of(cls, statement: Any, connection: Connection, result: Any) -> _Direct | None:
        """The direct form of ``statement``, or None; ``result`` is its first execution through
        SQLAlchemy, whose cursor tells the type of each column (a float's converter depends on it)."""
        dialect = connection.dialect
        compiled = statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params or compiled.escaped_bind_names:
            return None
        description = result.cursor.description or ()
        columns = compiled._result_columns
        if len(columns) != len(description):
            return None
        names = []
        processors = []
        for index, ((keyname, _name, _objects, type_), column) in enumerate(
            zip(columns, description, strict=True)
        ):
            processor = type_._cached_result_processor(dialect, column[1])
            if processor is not None:
                processors.append((index, processor))
            names.append(keyname)
        plain = all(name.isidentifier() and not name.startswith("_") for name in names)
        if not plain or len(set(names)) != len(names):
            return None
        defaults = {
            compiled.bind_names[bind]: bind.effective_value
            for bind in compiled.binds.values()
            if not bind.required
        }
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        return cls(compiled.string, order, defaults, dict(compiled._bind_processors), names, processors)

    def parameters(self, values: dict[str, Any] | None) -> Any:
        given = {**self.defaults, **values} if values else dict(self.defaults)
        for name, convert in self.binds.items():
            if name in given:
                given[name] = convert(given[name])
        return given if self.order is None else [given[name] for name in self.order]

    def rows(self, fetched: list[Any]) -> list[Any]:
        make = self.make
        if not self.processors:
            return [make(row) for row in fetched]
        made = []
        for row in fetched:
            values = list(row)
            for index, processor in self.processors:
                values[index] = processor(values[index])
            made.append(make(values))
        return made


class _Rows(list[Any]):
    """The rows of a direct execution, read as a ``Result`` is read at the call sites."""

    def all(self) -> list[Any]:
        return self

    def one(self) -> Any:
        if not self:
            raise exc.NoResultFound("No row was found when one was required")
        if len(self) > 1:
            raise exc.MultipleResultsFound("Multiple rows were found when exactly one was required")
        return self[0]

    def one_or_none(self) -> Any:
        if len(self) > 1:
            raise exc.MultipleResultsFound("Multiple rows were found when one or none was required")
        return self[0] if self else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar(self) -> Any:
        return self[0][0] if self else None


_direct: dict[tuple[Any, str], _Direct | None] = {}
# A ``prepared`` builder keeps 256 shapes and builds a new statement for one it let go, so the forms
# kept here are started afresh past this many rather than kept for statements no longer used.
_DIRECT_KEPT = 2048


def run_prepared(connection: Connection, statement: Any, values: dict[str, Any] | None = None) -> Any:
    """Executes a statement made by a ``prepared`` builder: through SQLAlchemy the first time, then on
    the driver's cursor when it can be (``_Direct``). Either answer reads alike: ``all()``, ``one()``,
    ``one_or_none()``, ``scalar_one()``, ``scalar()``, iteration, and rows by position or by column
    name, with the same values."""
    key = (statement, connection.dialect.name)
    try:
        direct = _direct[key]
    except KeyError:
        if len(_direct) >= _DIRECT_KEPT:
            _direct.clear()
        result = connection.execute(statement, values)
        _direct[key] = _Direct.of(statement, connection, result)
        return result
    if direct is None:
        return connection.execute(statement, values)
    parameters = direct.parameters(values)
    if not connection.in_transaction():
        # What SQLAlchemy's execute does first (autobegin): on SQLite the BEGIN of the request's one
        # read transaction, so its statements share a snapshot.
        connection.begin()
    try:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(direct.sql, parameters)
            fetched = cursor.fetchall()
        finally:
            cursor.close()
    except connection.dialect.loaded_dbapi.Error as error:
        # As SQLAlchemy would: raised as its own exception, the connection invalidated on a disconnect
        # (which ``_read`` then retries on a new one).
        connection._handle_dbapi_exception(error, direct.sql, parameters, None, None)  # type: ignore[arg-type]
        raise
    return _Rows(direct.rows(fetched))


def given_values(filters: Any, names: Sequence[str]) -> dict[str, Any]:
    """The fields among ``names`` that ``filters`` sets: their names are a prepared statement's shape,
    their values its parameters."""
    return {name: value for name in names if (value := getattr(filters, name)) is not None}


def placeholders(names: Sequence[str]) -> dict[str, Any]:
    """A bind parameter per name, to build a filters object that a prepared statement is made from."""
    return {name: bindparam(name) for name in names}


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    import migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is there already."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision. Fixed for the life of the process, and reading it parses every
    migration file: 11 ms for each ``/ready``, which a probe or a start-up poll asks for often."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_revisions(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's revision, the newest migration's revision)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head_revision()
