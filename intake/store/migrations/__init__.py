"""Alembic migrations, configured in code so no alembic.ini is needed.

``migrate(url)`` brings a database to the newest revision. It is safe to call from several
processes and threads at once (each store opening calls it): PostgreSQL serialises upgrades with a
transaction-scoped advisory lock, SQLite with ``BEGIN IMMEDIATE``; the whole upgrade runs in
that one transaction, and a database already at head is left alone without taking a lock.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from intake.store.engine import make_engine, safe_url, write_transaction

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent
# Arbitrary constant shared by every process that migrates the intake store.
PG_MIGRATION_LOCK_KEY = 0x1F7A_C1A1
# Alembic's ``context`` is a process-wide proxy, so two upgrades in one process must not overlap.
_PROCESS_LOCK = threading.Lock()


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` pointing at these scripts (for ``alembic.command`` calls)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.attributes["url"] = url
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The single newest revision of the scripts."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def current_revision(connection: Connection) -> str | None:
    """The revision the connected database is at (None when never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision``, serialised across processes."""
    target = head_revision() if revision == "head" else revision
    with engine.connect() as conn:
        at = current_revision(conn)
        conn.rollback()
        if at == target:
            return
    with _PROCESS_LOCK, write_transaction(engine) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(connection=conn), revision)
    log.info("database %s upgraded to %s", safe_url(engine.url), revision)


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default: ``config.db_url()``) to ``revision``."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()
