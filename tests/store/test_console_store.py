"""The console's queue, workflow, notes and audit log, on every backend."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from intake.store.audit import AuditLog
from intake.store.queue import Queue, QueueFilter
from intake.store.workflow import StaleState, Workflow, WorkflowError
from tests.web.console_data import intake_id, save, summary

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def queue_store(store):
    """Six intakes whose queue order is known: urgency first, then who has waited longest."""
    rows = [
        ("rita", "Rita Routine", "routine", 10, {}),
        ("una", "Una Urgent-Newer", "urgent", 50, {"phone": "020 1111 2222"}),
        ("olga", "Olga Urgent-Older", "urgent", 5, {"clinics": ["ophthalmology", "neurology"]}),
        ("emil", "Emil Emergency", "emergency", 55, {"status": "emergency"}),
        ("sam", "Sam Soon", "soon", 0, {"handoff": True, "status": "handed_off"}),
        ("nina", "Nina Ñotriaged", None, 1, {"status": "in_progress"}),
    ]
    for cid, name, urgency, minutes, extra in rows:
        save(store, summary(cid, name=name, urgency=urgency, started_at=T0 + timedelta(minutes=minutes), **extra))
    store.record_message("no-answer-yet", text="hi", message_id="m1")        # no summary: not in the queue
    return store


def names(page) -> list[str]:
    return [e.patient_name for e in page.entries]


def test_queue_order_is_urgency_then_longest_waiting(queue_store):
    page = Queue(queue_store.engine).list()
    assert names(page) == ["Emil Emergency", "Olga Urgent-Older", "Una Urgent-Newer", "Sam Soon", "Rita Routine",
                           "Nina Ñotriaged"]
    assert page.total == 6 and all(e.state == "new" for e in page.entries)


@pytest.mark.parametrize("wanted, expected", [
    (QueueFilter(urgencies=("urgent",)), ["Olga Urgent-Older", "Una Urgent-Newer"]),
    (QueueFilter(urgencies=("none",)), ["Nina Ñotriaged"]),
    (QueueFilter(statuses=("emergency",)), ["Emil Emergency"]),
    (QueueFilter(handoff=True), ["Sam Soon"]),
    (QueueFilter(clinic="ophthalmology"), ["Olga Urgent-Older"]),
    (QueueFilter(search="ñotri"), ["Nina Ñotriaged"]),
    (QueueFilter(search="URGENT"), ["Olga Urgent-Older", "Una Urgent-Newer"]),
    (QueueFilter(search="02011112222"), ["Una Urgent-Newer"]),
    (QueueFilter(search="1111 2222"), ["Una Urgent-Newer"]),
    (QueueFilter(started_from=T0 + timedelta(minutes=50)), ["Emil Emergency", "Una Urgent-Newer"]),
    (QueueFilter(started_before=T0 + timedelta(minutes=5)), ["Sam Soon", "Nina Ñotriaged"]),
])
def test_queue_filters(queue_store, wanted, expected):
    assert names(Queue(queue_store.engine).list(wanted)) == expected


def test_closed_intakes_leave_the_open_queue(queue_store):
    workflow = Workflow(queue_store.engine)
    workflow.change(intake_id(queue_store, "emil"), "closed", "nurse.one")
    queue = Queue(queue_store.engine)
    assert "Emil Emergency" not in names(queue.list())
    assert names(queue.list(QueueFilter(states=("closed",)))) == ["Emil Emergency"]
    assert len(queue.list(QueueFilter(states=())).entries) == 6


def test_limit_keeps_the_total(queue_store):
    page = Queue(queue_store.engine).list(limit=2)
    assert names(page) == ["Emil Emergency", "Olga Urgent-Older"] and page.total == 6


def test_state_changes_are_recorded_with_who_and_when(queue_store):
    workflow = Workflow(queue_store.engine)
    intake = intake_id(queue_store, "una")
    assert workflow.state(intake).state == "new"
    workflow.change(intake, "reviewed", "nurse.one", expected="new")
    workflow.change(intake, "contacted", "nurse.two", expected="reviewed")
    state = workflow.state(intake)
    assert (state.state, state.changed_by) == ("contacted", "nurse.two")
    history = workflow.history(intake)
    assert [(e.from_state, e.to_state, e.actor) for e in history] == [
        ("new", "reviewed", "nurse.one"), ("reviewed", "contacted", "nurse.two")]
    assert history[0].at <= history[1].at and history[1].at.tzinfo is not None
    entry = Queue(queue_store.engine).get(intake)
    assert entry.state == "contacted" and entry.state_changed_by == "nurse.two"


def test_a_stale_change_is_refused(queue_store):
    workflow = Workflow(queue_store.engine)
    intake = intake_id(queue_store, "una")
    workflow.change(intake, "reviewed", "nurse.one", expected="new")
    with pytest.raises(StaleState, match="nurse.one"):
        workflow.change(intake, "closed", "nurse.two", expected="new")
    assert workflow.state(intake).state == "reviewed"


@pytest.mark.parametrize("to_state", ["new", "done", ""])
def test_invalid_changes_are_refused(queue_store, to_state):
    with pytest.raises(WorkflowError):
        Workflow(queue_store.engine).change(intake_id(queue_store, "una"), to_state, "nurse.one")


def test_change_of_a_missing_intake_is_refused(queue_store):
    with pytest.raises(WorkflowError, match="no such intake"):
        Workflow(queue_store.engine).change(999999, "reviewed", "nurse.one")


def test_notes_are_kept_in_order(queue_store):
    workflow = Workflow(queue_store.engine)
    intake = intake_id(queue_store, "rita")
    workflow.add_note(intake, "nurse.one", "  Called, no answer.  ")
    workflow.add_note(intake, "nurse.two", "Booked ENT <Tuesday>")
    assert [(n.author, n.text) for n in workflow.notes(intake)] == [
        ("nurse.one", "Called, no answer."), ("nurse.two", "Booked ENT <Tuesday>")]
    with pytest.raises(WorkflowError):
        workflow.add_note(intake, "nurse.one", "   ")
    with pytest.raises(WorkflowError):
        workflow.add_note(intake, "nurse.one", "x" * 4001)


def test_audit_log_records_and_filters(queue_store):
    log = AuditLog(queue_store.engine)
    intake = intake_id(queue_store, "rita")
    log.record("nurse.one", "view_intake", intake_id=intake, conversation_id="rita", ip="10.0.0.1")
    log.record("nurse.two", "export_fhir", intake_id=intake, conversation_id="rita")
    log.record("nurse.one", "view_queue")
    assert [e.action for e in log.recent()] == ["view_queue", "export_fhir", "view_intake"]
    assert [e.action for e in log.recent(actor="nurse.one")] == ["view_queue", "view_intake"]
    assert [e.actor for e in log.recent(intake_id=intake, action="export_fhir")] == ["nurse.two"]
    assert log.recent(actor="nurse.one")[1].ip == "10.0.0.1"
    with pytest.raises(ValueError):
        log.record("nurse.one", "deleted_everything")


def test_audit_log_outlives_the_intake(queue_store):
    from sqlalchemy import delete

    from intake.store.tables import intakes

    log = AuditLog(queue_store.engine)
    intake = intake_id(queue_store, "rita")
    Workflow(queue_store.engine).add_note(intake, "nurse.one", "note")
    log.record("nurse.one", "add_note", intake_id=intake, conversation_id="rita")
    with queue_store.engine.begin() as conn:
        conn.execute(delete(intakes).where(intakes.c.id == intake))
    assert Workflow(queue_store.engine).notes(intake) == []           # notes go with the intake
    assert [e.conversation_id for e in log.recent(intake_id=intake)] == ["rita"]
