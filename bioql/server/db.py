"""Engine, sessions and migrations for any SQLAlchemy URL (SQLite by default, PostgreSQL at scale).

Write transactions are serialised per account:
- SQLite (WAL mode): every write transaction starts with ``BEGIN IMMEDIATE``, which takes the
  database's single write lock up front, so a read-then-write can never interleave with another.
- PostgreSQL: the account row is read with ``SELECT … FOR UPDATE`` (see billing.py); the
  billing hot path's transactions are single statements sent from the event loop (:class:`PgLane`).

No wait is unbounded: a lock held elsewhere (another process, an operator's open transaction)
ends in :class:`DatabaseBusy` after ``timeout`` seconds, which the service answers with 503 and
``Retry-After`` rather than hanging its threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import queue
import select
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

import anyio
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# PostgreSQL SQLSTATEs worth a retry: lock_not_available, query_canceled (statement timeout),
# deadlock_detected, serialization_failure.
_PG_TIMEOUTS = {"55P03", "57014", "40P01", "40001"}
#: Most write operations committed together by the batcher (one transaction, one fsync).
MAX_BATCH = 64
T = TypeVar("T")


class DatabaseBusy(Exception):
    """A lock or connection was not obtained within the timeout (HTTP 503, retry later)."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached (HTTP 503)."""


def pg_connect_args(timeout: float, statement_timeout: float) -> dict[str, Any]:
    """libpq settings of every PostgreSQL connection: no wait is unbounded."""
    options = (
        f"-c lock_timeout={int(timeout * 1000)} "
        f"-c statement_timeout={int(statement_timeout * 1000)} "
        f"-c idle_in_transaction_session_timeout={int(statement_timeout * 2000)}"
    )
    return {"connect_timeout": max(1, round(timeout)), "options": options}


def make_engine(url: str, timeout: float = 5.0, statement_timeout: float = 15.0) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            url,
            pool_size=10,
            max_overflow=30,
            pool_timeout=timeout,
            connect_args=pg_connect_args(timeout, statement_timeout),
        )
        _drop_dead_connections(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        _private_file(Path(parsed.database).expanduser())
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=30,
        pool_timeout=timeout,
        connect_args={"timeout": timeout, "check_same_thread": False},
    )
    _sqlite_transactions(engine, timeout)
    return engine


def _drop_dead_connections(engine: Engine) -> None:
    """A pooled connection the server closed (a restart, an administrator) is replaced when it
    is checked out, without a round trip: an idle connection has nothing to read, so one whose
    socket is readable has been closed or told it is being closed. (``pool_pre_ping`` sent a
    query on every checkout: two round trips per request.)"""

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if not connection_alive(dbapi_conn):
            raise DisconnectionError("the server closed this connection")


def connection_alive(conn: Any) -> bool:
    """Whether an idle psycopg connection is still usable (no round trip: see above)."""
    if conn.closed:
        return False
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except Exception:  # psycopg raises its own error for a connection it knows is gone
        return False
    return not readable


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (it holds balances and key hashes).

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


def _sqlite_transactions(engine: Engine, timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit BEGIN is deferred).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("bioql_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_timeout(exc: BaseException) -> bool:
    """A lock or statement wait that ran out (SQLite 'database is locked', PostgreSQL 55P03)."""
    if isinstance(exc, PoolTimeout | DatabaseBusy):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    code = getattr(exc.orig, "sqlstate", None)
    return code in _PG_TIMEOUTS or "database is locked" in str(exc.orig)


class Database:
    """One engine and its session factories. ``write()`` is the only way to change data."""

    def __init__(
        self,
        url: str,
        timeout: float = 5.0,
        statement_timeout: float = 15.0,
        *,
        group_commit: bool | None = None,
        lane: bool | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.engine = make_engine(url, timeout, statement_timeout)
        self.dialect = self.engine.dialect.name
        #: PostgreSQL: the billing hot path's one-statement transactions on the event loop.
        self.lane: PgLane | None = None
        if self.dialect == "postgresql" and lane is not False:
            _, parsed = self.engine.dialect.create_connect_args(self.engine.url)
            kwargs = dict(parsed) | pg_connect_args(timeout, statement_timeout)
            kwargs.pop("context", None)  # SQLAlchemy's type adapters: psycopg's own suffice
            self.lane = PgLane(kwargs, size=10, timeout=timeout)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(bioql_write=True)
        self._write = sessionmaker(writer, expire_on_commit=False)
        # SQLite has one writer at a time. Threads of this process queue on a lock instead of
        # polling the file lock (busy_timeout backs off up to 100 ms and starves some waiters);
        # other processes still wait on BEGIN IMMEDIATE.
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else None
        self._batcher: WriteBatcher | None = None
        self._batcher_lock = threading.Lock()
        self._group_commit = self.dialect == "sqlite" if group_commit is None else group_commit

    def batched(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a write transaction shared with other callers (group commit).

        Each caller's work runs in its own savepoint, so one that raises changes nothing and
        does not affect the others; the caller returns once the shared transaction committed.
        On PostgreSQL, concurrent transactions already share WAL flushes and run in parallel,
        so each caller gets its own transaction.
        """
        if not self._group_commit:
            with self.write() as session:
                return work(session)
        if self._batcher is None:
            with self._batcher_lock:
                if self._batcher is None:
                    self._batcher = WriteBatcher(self)
        return self._batcher.submit(work)

    async def batched_async(self, work: Callable[[Session], T]) -> T:
        """:meth:`batched` for the event loop: waits for the commit without holding a thread
        (the writer thread wakes the loop), so a request costs no thread hand-off per write."""
        if self._batcher is None and self._group_commit:
            with self._batcher_lock:
                if self._batcher is None:
                    self._batcher = WriteBatcher(self)
        if self._batcher is None:
            return await anyio.to_thread.run_sync(self.batched, work)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()

        def done(operation: _Operation) -> None:
            loop.call_soon_threadsafe(_resolve, future, operation)

        self._batcher.put(_Operation(work, done))
        # Like a thread the event loop waits for: a cancelled request still learns the outcome
        # of a write that was submitted (so a committed hold or charge is never lost track of).
        with anyio.CancelScope(shield=True):
            operation: _Operation = await future
        if operation.error is not None:
            with _translated():
                raise operation.error
        return operation.result  # type: ignore[no-any-return]

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _translated(), self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with _translated(), self._writer_turn(), self._write.begin() as session:
            yield session

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        if not self._write_lock.acquire(timeout=self.timeout):
            raise DatabaseBusy(f"waited {self.timeout:g} s for the database's write lock")
        try:
            yield
        finally:
            self._write_lock.release()

    def ping(self) -> None:
        with _translated(), self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def upgrade(self) -> None:
        upgrade(self.engine)

    def dispose(self) -> None:
        if self.lane is not None:
            self.lane.close()
        if self._batcher is not None:
            self._batcher.stop()
            self._batcher = None
        self.engine.dispose()


class PgLane:
    """One-statement transactions on PostgreSQL, sent from the event loop.

    The hot path of a billed request (``bioql_reserve``, ``bioql_settle``: migration 0003) is
    one statement each. Here it goes over psycopg's own asynchronous connections in autocommit
    (the statement is its transaction: no BEGIN or COMMIT round trip), prepared on the server
    on first use, without a thread hand-off or the ORM's session: what remained of the web
    process's time per request on PostgreSQL was mostly that machinery, not the database.

    Each event loop has its own connections (at most ``size``; a caller waits ``timeout``
    seconds for one, then :class:`DatabaseBusy`). A statement, once sent, runs to its end even
    if the request is cancelled, so its outcome (a hold, a charge) is never lost track of; the
    server's ``statement_timeout`` bounds it.
    """

    def __init__(self, connect_kwargs: dict[str, Any], size: int, timeout: float) -> None:
        self._kwargs = connect_kwargs
        self.size = size
        self.timeout = timeout
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopConnections] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    async def fetchone(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...]:
        """The first row of ``sql``; database errors as :func:`_translated` raises them."""
        mine = self._connections()
        if mine.slots.locked():
            try:
                with anyio.fail_after(self.timeout):
                    await mine.slots.acquire()
            except TimeoutError:
                raise DatabaseBusy(
                    f"waited {self.timeout:g} s for one of {self.size} database connections"
                ) from None
        else:
            await mine.slots.acquire()  # free: returns at once
        try:
            with anyio.CancelScope(shield=True):
                row = await self._run(mine, sql, params)
        finally:
            mine.slots.release()
        return row

    async def _run(
        self, mine: _LoopConnections, sql: str, params: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        import psycopg

        conn = None
        while mine.idle and conn is None:
            conn = mine.idle.pop()
            if not connection_alive(conn):
                conn.pgconn.finish()
                conn = None
        try:
            if conn is None:
                conn = await psycopg.AsyncConnection.connect(**self._kwargs, autocommit=True)
            cursor = await conn.execute(sql, params, prepare=True)
            row = await cursor.fetchone()
        except psycopg.Error as exc:
            if conn is not None and _idle(conn):
                mine.idle.append(conn)  # autocommit: the failed statement ended its transaction
            elif conn is not None:
                conn.pgconn.finish()
            raise _lane_error(exc) from exc
        except BaseException:
            if conn is not None:
                conn.pgconn.finish()
            raise
        mine.idle.append(conn)
        if row is None:
            raise RuntimeError("the statement returned no row")
        return tuple(row)

    def _connections(self) -> _LoopConnections:
        loop = asyncio.get_running_loop()
        with self._lock:
            mine = self._loops.get(loop)
            if mine is None:
                for other, theirs in list(self._loops.items()):
                    if other.is_closed():  # a finished test client's loop
                        theirs.close()
                        del self._loops[other]
                mine = self._loops[loop] = _LoopConnections(asyncio.Semaphore(self.size))
            return mine

    def close(self) -> None:
        with self._lock:
            for mine in self._loops.values():
                mine.close()
            self._loops.clear()


class _LoopConnections:
    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots = slots
        self.idle: list[Any] = []

    def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            conn.pgconn.finish()  # what AsyncConnection.close() does, without a loop


def _idle(conn: Any) -> bool:
    from psycopg import pq

    return not conn.closed and conn.pgconn.transaction_status == pq.TransactionStatus.IDLE


def _lane_error(exc: Exception) -> Exception:
    """A psycopg error as the rest of the service sees database errors."""
    if getattr(exc, "sqlstate", None) in _PG_TIMEOUTS:
        return DatabaseBusy(str(exc).strip())
    if type(exc).__name__ in ("OperationalError", "InterfaceError"):
        return DatabaseUnavailable("the database cannot be reached")
    return exc


class DbapiWork(Generic[T]):
    """A write operation on the transaction's DB-API connection (SQLite's ``sqlite3``) instead
    of the ORM's session: the hot path of a billed request, whose statements (a reservation and
    its charge) cost 0.09 ms of CPU in ``sqlite3`` and 0.5 ms through SQLAlchemy's execution
    machinery, a large share of the web process's time per request. It is called like
    any other operation (``work(session)``); in a shared transaction its savepoint is a plain
    SQL ``SAVEPOINT``.
    """

    def __init__(self, fn: Callable[[Any], T]) -> None:
        self.fn = fn

    def __call__(self, session: Session) -> T:
        return self.fn(dbapi_connection(session))

    def in_savepoint(self, session: Session) -> T:
        """Run in a savepoint of the session's transaction: on an exception nothing it did stays."""
        conn = dbapi_connection(session)
        conn.execute("SAVEPOINT bioql_operation")
        try:
            result = self.fn(conn)
        except BaseException:
            conn.execute("ROLLBACK TO bioql_operation")
            conn.execute("RELEASE bioql_operation")
            raise
        conn.execute("RELEASE bioql_operation")
        return result


def dbapi_connection(session: Session) -> Any:
    """The DB-API connection of the session's transaction (begun, with its write lock)."""
    return session.connection().connection.driver_connection


class _Operation:
    def __init__(
        self,
        work: Callable[[Session], Any],
        on_done: Callable[[_Operation], None] | None = None,
    ) -> None:
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.on_done = on_done

    def finish(self) -> None:
        self.done.set()
        if self.on_done is not None:
            with contextlib.suppress(RuntimeError):  # the event loop has closed
                self.on_done(self)


def _resolve(future: asyncio.Future[Any], operation: _Operation) -> None:
    if not future.done():
        future.set_result(operation)


class WriteBatcher:
    """Group commit: one thread applies the write operations that arrived while the previous
    transaction was committing, all in one transaction, so N requests share one fsync.

    A commit costs a disk flush (milliseconds); the operations themselves cost microseconds.
    Committing each request's reservation and charge separately made the flush, not the CPU,
    the service's ceiling (about 1 / (2 × flush time) requests per second on SQLite).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: queue.SimpleQueue[_Operation | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="bioql-writer", daemon=True)
        self._thread.start()

    def put(self, operation: _Operation) -> None:
        self._queue.put(operation)

    def submit(self, work: Callable[[Session], T]) -> T:
        operation = _Operation(work)
        self._queue.put(operation)
        operation.done.wait()
        if operation.error is not None:
            with _translated():
                raise operation.error
        return operation.result  # type: ignore[no-any-return]

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(nxt)
            self._commit(batch)

    def _commit(self, batch: list[_Operation]) -> None:
        try:
            with self.db.write() as session:
                if len(batch) == 1:  # alone: its transaction is its savepoint
                    batch[0].result = batch[0].work(session)
                    return
                for operation in batch:
                    try:
                        if isinstance(operation.work, DbapiWork):
                            operation.result = operation.work.in_savepoint(session)
                        else:
                            with session.begin_nested():
                                operation.result = operation.work(session)
                    except Exception as exc:
                        operation.error = exc
        except BaseException as exc:  # nothing was committed: every operation failed
            for operation in batch:
                operation.error = operation.error or exc
        finally:
            for operation in batch:
                operation.finish()


@contextmanager
def _translated() -> Iterator[None]:
    """Database errors that mean "try again later" become DatabaseBusy / DatabaseUnavailable."""
    try:
        yield
    except (DBAPIError, PoolTimeout) as exc:
        if is_timeout(exc):
            raise DatabaseBusy(str(getattr(exc, "orig", exc)).strip()) from exc
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            raise DatabaseUnavailable("the connection to the database was lost") from exc
        if type(exc).__name__ == "OperationalError" and "connect" in str(exc).lower():
            raise DatabaseUnavailable("the database cannot be reached") from exc
        raise


def alembic_config(url: str | None = None) -> Any:
    """An Alembic Config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the latest revision; safe when several workers start at once."""
    from alembic import command

    config = alembic_config()
    with _migration_lock(engine), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(80231)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """SQLite has no advisory locks: take a file lock next to the database file."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).expanduser().with_suffix(".migrate.lock")
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
