"""What the console's repositories share: write transactions and outage translation.

As ``IntakeStore`` (``repository.py``): writes go through ``engine.write_transaction`` (on
SQLite the lock is taken at BEGIN, so read-then-write cannot deadlock), and a database outage
surfaces as ``StoreUnavailable`` so the web layer can answer 503 instead of a traceback.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from intake.store.engine import safe_url, write_transaction
from intake.store.repository import StoreUnavailable

_UNAVAILABLE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Repository:
    """A set of queries over one engine (shared with the IntakeStore that migrated it)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _write(self):
        return write_transaction(self._engine)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            yield conn


def translate_errors(method):
    """Turn driver-level connection failures into ``StoreUnavailable`` (one line, no password)."""

    @functools.wraps(method)
    def wrapper(self: Repository, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _UNAVAILABLE_ERRORS as error:
            original = getattr(error, "orig", None) or error
            first = (str(original).strip().splitlines() or [type(original).__name__])[0]
            raise StoreUnavailable(f"database {safe_url(self._engine.url)} unavailable: {first}") from error

    return wrapper
