"""Fixtures for the intake store tests: one database per backend, emptied for every test.

``db_url`` is parametrised over SQLite (a tmp file) and PostgreSQL (a throwaway database
created for the test session on the server at 127.0.0.1:5432, or ``INTAKE_TEST_PG_URL``).
An unreachable PostgreSQL skips those tests with a visible reason, or fails them when the
``CI`` environment variable is set, so CI can never go green without them.
(``summary_validator``, the contract schema, comes from tests/conftest.py.)
"""
from __future__ import annotations

import copy
import os
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from intake.store import IntakeStore

PG_DEFAULT_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _admin_engine(url: str):
    return create_engine(
        url,
        future=True,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 5},
    )


@pytest.fixture(scope="session")
def pg_session_url():
    """URL of a fresh, uniquely named PostgreSQL database, dropped after the session."""
    admin_url = os.environ.get("INTAKE_TEST_PG_URL") or PG_DEFAULT_ADMIN_URL
    parsed = make_url(admin_url)
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(admin_url)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except SQLAlchemyError as error:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {parsed.host}:{parsed.port or 5432}: {_first_line(error)}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _empty_pg_database(url: str) -> None:
    engine = _admin_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """An empty database (no tables at all) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'intake.db'}"
    url = request.getfixturevalue("pg_session_url")
    _empty_pg_database(url)
    return url


@pytest.fixture
def store(db_url):
    store = IntakeStore(db_url)
    yield store
    store.dispose()


def make_summary(conversation_id: str, **changes) -> dict:
    """A schema-valid summary for an invented patient; ``changes`` override top-level keys,
    ``patient``/``history``/``triage`` dicts are merged into the defaults."""
    summary = {
        "schema_version": "1",
        "conversation_id": conversation_id,
        "status": "in_progress",
        "language": "en",
        "started_at": "2024-03-04T09:15:00+00:00",
        "updated_at": "2024-03-04T09:16:30+00:00",
        "consent": True,
        "patient": {"name": None, "date_of_birth": None, "phone": None, "email": None},
        "history": {
            "affected_side": None,
            "paralysis_extent": None,
            "onset": {"date": None, "days_since_onset": None, "text": None},
            "onset_speed": None,
            "course": None,
            "recurrence": None,
            "cause": None,
            "eye_closure": None,
            "eye_symptoms": None,
            "speech_difficulty": None,
            "eating_difficulty": None,
            "eating_problems": None,
            "synkinesis": None,
            "ear_symptoms": None,
            "neuro_symptoms": None,
            "prior_treatments": None,
            "goals": None,
        },
        "triage": {"urgency": None, "clinics": [], "reasons": [], "handoff_requested": False},
    }
    summary = copy.deepcopy(summary)
    for key, value in changes.items():
        if key in ("patient", "history", "triage") and isinstance(value, dict):
            summary[key].update(value)
        else:
            summary[key] = value
    return summary


@pytest.fixture(name="make_summary")
def make_summary_fixture():
    return make_summary
