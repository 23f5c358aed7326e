"""`intake purge --older-than DAYS`: idle conversations leave both stores; nothing recent goes."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text, update

from intake import cli
from intake.reconcile import reconcile
from intake.retention import purge
from intake.store.audit import AuditLog
from intake.store.tables import audit_log, intakes, nurse_notes
from intake.store.workflow import Workflow
from intake.tracker_store import SealedSQLTrackerStore
from tests.store.test_tracker_store import conversation, domain, tracker_store  # noqa: F401 (fixture)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
DAY = 86400.0


def _age(store, conversation_id: str, days: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(intakes).where(intakes.c.conversation_id == conversation_id)
                     .values(last_activity_at=NOW - timedelta(days=days)))


def _patient(store, trackers, domain, conversation_id: str, *, store_days: float, tracker_days: float, make_summary):
    store.record_message(conversation_id, text="my face dropped on the left", message_id=f"{conversation_id}-m1")
    store.record_answer(conversation_id, field="affected_side", value="left", text="left", message_id="a1",
                        summary=make_summary(conversation_id, history={"affected_side": "left"}))
    _age(store, conversation_id, store_days)
    asyncio.run(trackers.save(conversation(conversation_id, domain, start=NOW.timestamp() - tracker_days * DAY)))


@pytest.fixture
def filled(store, db_url, domain, make_summary):
    trackers = tracker_store(SealedSQLTrackerStore, db_url, domain)
    for cid, store_days, tracker_days in (("old", 40, 40), ("recent", 2, 2), ("back-again", 40, 1),
                                          ("old-tracker-only", 50, 45)):
        _patient(store, trackers, domain, cid, store_days=store_days, tracker_days=tracker_days,
                 make_summary=make_summary)
    intake_id = store.engine.connect().execute(select(intakes.c.id).where(intakes.c.conversation_id == "old")).scalar()
    Workflow(store.engine).add_note(intake_id, "nurse.a", "called, no answer")
    audit = AuditLog(store.engine)
    audit.record("nurse.a", "view_queue", detail="q=Quillfeather")
    with store.engine.begin() as conn:
        conn.execute(update(audit_log).values(at=NOW - timedelta(days=60)))
    audit.record("nurse.a", "view_queue", detail="q=recent+search")
    yield trackers
    trackers.engine.dispose()


def _conversations(store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(intakes.c.conversation_id)).scalars())


def _senders(trackers) -> set[str]:
    with trackers.engine.connect() as conn:
        return set(conn.execute(text("SELECT DISTINCT sender_id FROM events")).scalars())


def test_purge_removes_idle_conversations_from_both_stores_only(store, filled):
    report = purge(30, store=store, trackers=filled, now=NOW)
    assert report.conversations == ["old", "old-tracker-only"]
    assert (report.intakes, report.answers, report.messages, report.tracker_events) == (2, 2, 2, 10)
    assert _conversations(store) == _senders(filled) == {"recent", "back-again"}
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(nurse_notes)).scalar() == 0   # notes went too
    details = [e.detail for e in AuditLog(store.engine).recent()]
    assert "q=Quillfeather" not in details and "q=recent+search" in details              # old search cleared
    assert len(details) == 2                                                            # entries kept


def test_a_purged_conversation_is_not_rebuilt_by_reconcile(store, filled):
    purge(30, store=store, trackers=filled, now=NOW)
    reconcile(store, filled)
    assert _conversations(store) == {"recent", "back-again"}


def test_dry_run_counts_and_removes_nothing(store, filled):
    report = purge(30, store=store, trackers=filled, now=NOW, dry_run=True)
    assert (len(report.conversations), report.intakes, report.tracker_events, report.searches_scrubbed) == (2, 2, 10, 1)
    assert "would remove 2 conversations" in str(report)
    assert _conversations(store) == _senders(filled) == {"old", "recent", "back-again", "old-tracker-only"}
    assert "q=Quillfeather" in [e.detail for e in AuditLog(store.engine).recent()]


def test_purge_twice_is_a_no_op(store, filled):
    purge(30, store=store, trackers=filled, now=NOW)
    again = purge(30, store=store, trackers=filled, now=NOW)
    assert (again.conversations, again.intakes, again.tracker_events) == ([], 0, 0)


def test_cli_purge(store, db_url, filled, monkeypatch, capsys):
    monkeypatch.setenv("INTAKE_DB_URL", db_url)
    with pytest.raises(SystemExit) as usage:                       # a usage error, nothing removed
        cli.main(["purge", "--older-than", "0"])
    assert usage.value.code == 2
    assert "at least 1" in capsys.readouterr().err
    assert cli.main(["purge", "--older-than", "3650", "--no-tracker-store"]) == 0
    assert "removed 0 conversations" in capsys.readouterr().out
    assert _conversations(store) == {"old", "recent", "back-again", "old-tracker-only"}
