"""What the nurses do with an intake: its workflow state, every change of it, and their notes.

An intake without a workflow row is ``new``. A change names the state the nurse saw, so two
nurses changing the same intake at once cannot silently overwrite each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from intake.store.base import Repository, translate_errors, utcnow
from intake.store.tables import intake_workflow, intakes, nurse_notes, workflow_events

STATES = ("new", "reviewed", "contacted", "scheduled", "closed")
INITIAL_STATE = "new"
MAX_NOTE_LENGTH = 4000


class WorkflowError(ValueError):
    """A change that cannot be made; the message can be shown to the nurse."""


class StaleState(WorkflowError):
    """Someone else changed the state since the nurse loaded the page."""

    def __init__(self, current: "WorkflowState") -> None:
        super().__init__(f"{current.changed_by} changed this intake to '{current.state}' meanwhile; "
                         "nothing was changed. Check the state and try again.")
        self.current = current


@dataclass(frozen=True)
class WorkflowState:
    state: str
    changed_by: str | None
    changed_at: datetime | None


@dataclass(frozen=True)
class WorkflowEvent:
    from_state: str
    to_state: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    text: str
    created_at: datetime


class Workflow(Repository):
    """Workflow state, its history and nurse notes, per intake (``intakes.id``)."""

    @translate_errors
    def state(self, intake_id: int) -> WorkflowState:
        with self._read() as conn:
            return self._state(conn, intake_id)

    @staticmethod
    def _state(conn, intake_id: int) -> WorkflowState:
        row = conn.execute(select(intake_workflow.c.state, intake_workflow.c.changed_by, intake_workflow.c.changed_at)
                           .where(intake_workflow.c.intake_id == intake_id)).one_or_none()
        if row is None:
            return WorkflowState(INITIAL_STATE, None, None)
        return WorkflowState(row.state, row.changed_by, row.changed_at)

    @translate_errors
    def change(self, intake_id: int, to_state: str, actor: str, *, expected: str | None = None) -> WorkflowEvent:
        """Move the intake to ``to_state`` and record who and when.

        ``expected`` is the state the nurse saw; when it is no longer current, ``StaleState``.
        """
        if to_state not in STATES:
            raise WorkflowError(f"unknown state {to_state!r}")
        now = utcnow()
        with self._write() as conn:
            # Locks the intake row on PostgreSQL (SQLite already holds the write lock), so
            # concurrent changes of one intake run one after the other.
            locked = select(intakes.c.id).where(intakes.c.id == intake_id).with_for_update()
            if conn.execute(locked).one_or_none() is None:
                raise WorkflowError("no such intake")
            current = self._state(conn, intake_id)
            if expected is not None and expected != current.state:
                raise StaleState(current)
            if current.state == to_state:
                raise WorkflowError(f"the intake is already '{to_state}'")
            values = {"state": to_state, "changed_by": actor, "changed_at": now}
            if current.changed_at is None:
                conn.execute(intake_workflow.insert().values(intake_id=intake_id, **values))
            else:
                conn.execute(intake_workflow.update().where(intake_workflow.c.intake_id == intake_id).values(**values))
            conn.execute(workflow_events.insert().values(intake_id=intake_id, from_state=current.state,
                                                         to_state=to_state, actor=actor, at=now))
        return WorkflowEvent(current.state, to_state, actor, now)

    @translate_errors
    def history(self, intake_id: int) -> list[WorkflowEvent]:
        """Every change, oldest first."""
        query = (select(workflow_events.c.from_state, workflow_events.c.to_state, workflow_events.c.actor,
                        workflow_events.c.at)
                 .where(workflow_events.c.intake_id == intake_id)
                 .order_by(workflow_events.c.at, workflow_events.c.id))
        with self._read() as conn:
            return [WorkflowEvent(r.from_state, r.to_state, r.actor, r.at) for r in conn.execute(query)]

    @translate_errors
    def add_note(self, intake_id: int, author: str, text: str) -> Note:
        text = (text or "").strip()
        if not text:
            raise WorkflowError("the note is empty")
        if len(text) > MAX_NOTE_LENGTH:
            raise WorkflowError(f"a note has at most {MAX_NOTE_LENGTH} characters")
        now = utcnow()
        with self._write() as conn:
            if conn.execute(select(intakes.c.id).where(intakes.c.id == intake_id)).one_or_none() is None:
                raise WorkflowError("no such intake")
            note_id = conn.execute(nurse_notes.insert().values(intake_id=intake_id, author=author, text=text,
                                                               created_at=now)).inserted_primary_key[0]
        return Note(note_id, author, text, now)

    @translate_errors
    def notes(self, intake_id: int) -> list[Note]:
        """Notes, oldest first (read like a running record)."""
        query = (select(nurse_notes.c.id, nurse_notes.c.author, nurse_notes.c.text, nurse_notes.c.created_at)
                 .where(nurse_notes.c.intake_id == intake_id)
                 .order_by(nurse_notes.c.created_at, nurse_notes.c.id))
        with self._read() as conn:
            return [Note(r.id, r.author, r.text, r.created_at) for r in conn.execute(query)]
