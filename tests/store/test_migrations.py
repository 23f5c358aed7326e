"""Alembic migrations: upgrade from empty, re-run, single head, and agreement with tables.py."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from intake.store import IntakeStore, make_engine, migrate
from intake.store.migrations import alembic_config, head_revision
from intake.store.tables import metadata

STORE_TABLES = {"intakes", "answers", "messages",
                # the nurse console (migration 0002)
                "users", "login_attempts", "intake_workflow", "workflow_events", "nurse_notes", "audit_log"}
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_single_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [head_revision()]
    assert len(heads) == 1


def test_upgrade_on_empty_database_creates_tables(db_url):
    assert _tables(db_url) == set()
    migrate(db_url)
    assert _tables(db_url) == STORE_TABLES | {"alembic_version"}
    assert _revision(db_url) == head_revision()


def test_upgrade_twice_is_a_no_op(db_url, make_summary):
    migrate(db_url)
    with IntakeStore(db_url, migrate=False) as store:
        store.record_answer("conv-keep", field="consent", value=True, text="yes", message_id="m1",
                            summary=make_summary("conv-keep"))
    migrate(db_url)
    with IntakeStore(db_url) as store:  # opening migrates again
        assert store.get_summary("conv-keep")["conversation_id"] == "conv-keep"
        assert len(store.answers("conv-keep")) == 1
    assert _revision(db_url) == head_revision()


def test_migrated_schema_matches_table_definitions(db_url):
    migrate(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_back(db_url):
    migrate(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "base")
        assert _tables(db_url) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate(db_url)
    assert STORE_TABLES <= _tables(db_url)


def _assert_migrated_once(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        engine.dispose()
    assert _revision(db_url) == head_revision()


def test_concurrent_first_opens_in_separate_processes(db_url):
    """Action server workers and the CLI starting at once on a fresh database must not collide."""
    code = "import sys; from intake.store import IntakeStore; IntakeStore(sys.argv[1]).dispose()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db_url], cwd=PROJECT_ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(5)
    ]
    results = [(proc.wait(timeout=120), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert [code for code, _ in results] == [0] * len(procs), [err for _, err in results]
    _assert_migrated_once(db_url)


def test_concurrent_first_opens_in_threads(db_url):
    """Alembic's global context must not be shared by two upgrades in one process."""
    def open_and_ping(_):
        store = IntakeStore(db_url)
        try:
            store.ping()
        finally:
            store.dispose()

    with ThreadPoolExecutor(max_workers=6) as pool:
        for future in [pool.submit(open_and_ping, n) for n in range(6)]:
            future.result()
    _assert_migrated_once(db_url)


def test_store_without_migrate_leaves_database_untouched(db_url):
    store = IntakeStore(db_url, migrate=False)
    try:
        store.ping()
    finally:
        store.dispose()
    assert _tables(db_url) == set()
