"""The nurses' queue: intakes with their workflow state, most urgent first, then longest waiting.

Status, urgency, handoff, workflow state and date are filtered in SQL on the columns copied
out of the summary; the clinic (a list inside the summary JSON) and the free-text search
(name, phone digits, email, conversation id) are matched in Python, the same on SQLite and
PostgreSQL. Intakes without a summary (no answer yet, e.g. consent not given) are not listed:
there is nothing for a nurse to act on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from intake.store.base import Repository, translate_errors
from intake.store.tables import intake_workflow, intakes
from intake.store.workflow import INITIAL_STATE, STATES

URGENCY_LEVELS = ("emergency", "urgent", "soon", "routine")      # most urgent first
NO_URGENCY = "none"
INTAKE_STATUSES = ("in_progress", "completed", "emergency", "handed_off", "abandoned")
OPEN_STATES = tuple(s for s in STATES if s != "closed")


@dataclass(frozen=True)
class QueueFilter:
    """What the nurse narrowed the queue to; empty tuples and None mean "any"."""

    states: tuple[str, ...] = OPEN_STATES
    statuses: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()          # URGENCY_LEVELS and/or NO_URGENCY
    clinic: str | None = None
    handoff: bool | None = None
    started_from: datetime | None = None     # inclusive
    started_before: datetime | None = None   # exclusive
    search: str = ""


@dataclass(frozen=True)
class QueueEntry:
    intake_id: int
    conversation_id: str
    status: str
    urgency: str | None
    handoff_requested: bool
    patient_name: str | None
    phone: str | None
    started_at: datetime
    updated_at: datetime
    state: str
    state_changed_by: str | None
    state_changed_at: datetime | None
    summary: dict[str, Any] = field(repr=False)

    @property
    def clinics(self) -> list[str]:
        triage = self.summary.get("triage") if isinstance(self.summary, dict) else None
        clinics = triage.get("clinics") if isinstance(triage, dict) else None
        return [c for c in clinics if isinstance(c, str)] if isinstance(clinics, list) else []


@dataclass(frozen=True)
class QueuePage:
    entries: list[QueueEntry]
    total: int          # how many matched, of which ``entries`` are the first


_URGENCY_RANK = case(*[(intakes.c.urgency == level, rank) for rank, level in enumerate(URGENCY_LEVELS)],
                     else_=len(URGENCY_LEVELS))
_STATE = func.coalesce(intake_workflow.c.state, INITIAL_STATE)


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def matches_search(entry: QueueEntry, query: str) -> bool:
    """Name, email or conversation id containing the query (any case), or phone containing its digits."""
    needle = query.strip().casefold()
    if not needle:
        return True
    patient = entry.summary.get("patient") if isinstance(entry.summary.get("patient"), dict) else {}
    texts = (entry.patient_name, patient.get("email"), entry.conversation_id)
    if any(needle in t.casefold() for t in texts if isinstance(t, str)):
        return True
    digits = _digits(needle)
    return len(digits) >= 3 and digits in _digits(entry.phone)


class Queue(Repository):
    """Read intakes for the console."""

    def _select(self):
        return (
            select(intakes.c.id, intakes.c.conversation_id, intakes.c.status, intakes.c.urgency,
                   intakes.c.handoff_requested, intakes.c.patient_name, intakes.c.phone, intakes.c.started_at,
                   intakes.c.updated_at, _STATE.label("state"), intake_workflow.c.changed_by,
                   intake_workflow.c.changed_at, intakes.c.summary)
            .select_from(intakes.outerjoin(intake_workflow, intake_workflow.c.intake_id == intakes.c.id))
            .where(intakes.c.summary.isnot(None))
        )

    @staticmethod
    def _entry(row) -> QueueEntry:
        return QueueEntry(
            intake_id=row.id, conversation_id=row.conversation_id, status=row.status, urgency=row.urgency,
            handoff_requested=bool(row.handoff_requested), patient_name=row.patient_name, phone=row.phone,
            started_at=row.started_at, updated_at=row.updated_at, state=row.state,
            state_changed_by=row.changed_by, state_changed_at=row.changed_at,
            summary=row.summary if isinstance(row.summary, dict) else {})

    @translate_errors
    def list(self, wanted: QueueFilter = QueueFilter(), limit: int = 200) -> QueuePage:
        """Matching intakes: emergency > urgent > soon > routine > none, then oldest start first."""
        query = self._select()
        if wanted.states:
            query = query.where(_STATE.in_(wanted.states))
        if wanted.statuses:
            query = query.where(intakes.c.status.in_(wanted.statuses))
        if wanted.urgencies:
            levels = [u for u in wanted.urgencies if u != NO_URGENCY]
            condition = intakes.c.urgency.in_(levels)
            if NO_URGENCY in wanted.urgencies:
                condition = condition | intakes.c.urgency.is_(None) | intakes.c.urgency.notin_(URGENCY_LEVELS)
            query = query.where(condition)
        if wanted.handoff is not None:
            query = query.where(intakes.c.handoff_requested.is_(wanted.handoff))
        if wanted.started_from is not None:
            query = query.where(intakes.c.started_at >= wanted.started_from)
        if wanted.started_before is not None:
            query = query.where(intakes.c.started_at < wanted.started_before)
        query = query.order_by(_URGENCY_RANK, intakes.c.started_at, intakes.c.id)
        entries: list[QueueEntry] = []
        total = 0
        with self._read() as conn:
            for row in conn.execute(query):
                entry = self._entry(row)
                if wanted.clinic and wanted.clinic not in entry.clinics:
                    continue
                if wanted.search and not matches_search(entry, wanted.search):
                    continue
                total += 1
                if len(entries) < limit:
                    entries.append(entry)
        return QueuePage(entries, total)

    @translate_errors
    def get(self, intake_id: int) -> QueueEntry | None:
        with self._read() as conn:
            row = conn.execute(self._select().where(intakes.c.id == intake_id)).one_or_none()
        return self._entry(row) if row else None

    @translate_errors
    def find(self, conversation_id: str) -> QueueEntry | None:
        with self._read() as conn:
            row = conn.execute(self._select().where(intakes.c.conversation_id == conversation_id)).one_or_none()
        return self._entry(row) if row else None
