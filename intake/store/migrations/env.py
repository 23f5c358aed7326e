"""Alembic environment: runs on the connection handed over by ``intake.store.migrations``.

When Alembic is driven directly (``alembic.command`` with a Config carrying only a URL),
an engine is made from that URL, or from ``INTAKE_DB_URL`` / the embedded default.
"""
from __future__ import annotations

from alembic import context

from intake import config as settings
from intake.store.engine import make_engine
from intake.store.tables import metadata

cfg = context.config


def _configure(**kwargs) -> None:
    context.configure(target_metadata=metadata, compare_type=True, **kwargs)


def run_offline() -> None:
    url = cfg.attributes.get("url") or cfg.get_main_option("sqlalchemy.url") or settings.db_url()
    _configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = cfg.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = make_engine(cfg.attributes.get("url") or cfg.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            _run_on(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
