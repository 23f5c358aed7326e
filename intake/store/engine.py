"""Engine creation with the per-backend settings the store relies on.

SQLite: WAL (readers never block the writer), a 30 s busy timeout (writers queue instead of
failing), foreign keys ON, and real transactions: the driver's own implicit BEGIN handling is
switched off and SQLAlchemy's ``begin`` emits ``BEGIN``; a connection carrying the execution
option ``sqlite_begin_immediate=True`` takes the write lock at BEGIN, so read-then-write
transactions cannot deadlock.
PostgreSQL: a bounded pool sized from the environment, with pre-ping so a restarted server
does not surface as errors on stale connections.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from intake import config

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30000
PG_CONNECT_TIMEOUT_S = 10
BEGIN_IMMEDIATE = "sqlite_begin_immediate"


def safe_url(url: str | URL) -> str:
    """The URL with any password masked, for logs and error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: say so without echoing it
        return "<invalid database URL>"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """A 2.0-style engine for ``url`` (default: ``config.db_url()``)."""
    url_obj = make_url(url or config.db_url())
    backend = url_obj.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(
            url_obj,
            future=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        _configure_sqlite(engine, url_obj.database)
    elif backend == "postgresql":
        connect_args = {}
        if url_obj.get_driver_name() == "psycopg2" and "connect_timeout" not in url_obj.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
        params = dict(pool_pre_ping=True, connect_args=connect_args)
        if "poolclass" not in kwargs:
            params.update(pool_size=config.db_pool_size(), max_overflow=config.db_max_overflow())
        params.update(kwargs)
        engine = create_engine(url_obj, future=True, **params)
    else:
        raise ValueError(f"unsupported database backend {backend!r} (use sqlite or postgresql)")
    log.debug("engine created for %s", safe_url(url_obj))
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction; on SQLite it takes the write lock at BEGIN, so a
    transaction that reads before it writes cannot deadlock with another writer."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(**{BEGIN_IMMEDIATE: True})
        with conn.begin():
            yield conn


def _configure_sqlite(engine: Engine, database: str | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        config.make_private(database)       # patient data: the owner's alone (0600)
        # Take transaction control away from the sqlite3 module (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get(BEGIN_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
