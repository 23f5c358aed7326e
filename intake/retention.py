"""`intake purge`: remove conversations nobody has touched for a number of days.

A conversation lives in two places: the intake store (summary, answers, messages, the
nurses' workflow and notes) and Rasa's tracker store (every event). Both go together, and a
conversation counts as active while either has seen activity since the cut-off; otherwise
`intake reconcile` would rebuild a purged intake from tracker events left behind.
The audit log keeps its entries (who saw what, by intake id), but queue searches older than
the cut-off lose their search terms, which may name a patient.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine

from intake.store import IntakeStore
from intake.store.engine import write_transaction
from intake.store.tables import answers, audit_log, intakes, messages

log = logging.getLogger(__name__)

SEARCH_ACTIONS = ("view_queue", "api_queue")
BATCH = 500


@dataclass
class PurgeReport:
    cutoff: datetime
    conversations: list[str] = field(default_factory=list)
    intakes: int = 0
    answers: int = 0
    messages: int = 0
    tracker_events: int = 0
    searches_scrubbed: int = 0
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        return (f"{verb} {len(self.conversations)} conversations last active before "
                f"{self.cutoff:%Y-%m-%d %H:%M} UTC: {self.intakes} intakes, {self.answers} answers, "
                f"{self.messages} messages, {self.tracker_events} tracker events; "
                f"{self.searches_scrubbed} old queue searches cleared")


def cutoff_for(days: int, now: datetime | None = None) -> datetime:
    if days < 1:
        raise ValueError("--older-than must be at least 1 day")
    return (now or datetime.now(timezone.utc)) - timedelta(days=days)


def _activity_in_store(engine: Engine, cutoff: datetime) -> tuple[set[str], set[str]]:
    """(conversations idle since before the cut-off, conversations active after it)."""
    with engine.connect() as conn:
        rows = conn.execute(select(intakes.c.conversation_id, intakes.c.last_activity_at)).all()
    old = {r.conversation_id for r in rows if r.last_activity_at < cutoff}
    return old, {r.conversation_id for r in rows} - old


def _activity_in_trackers(engine: Engine, events, cutoff: datetime) -> tuple[set[str], set[str]]:
    last = func.max(events.c.timestamp).label("last")
    with engine.connect() as conn:
        rows = conn.execute(select(events.c.sender_id, last).group_by(events.c.sender_id)).all()
    limit = cutoff.timestamp()
    old = {r.sender_id for r in rows if r.last is not None and r.last < limit}
    return old, {r.sender_id for r in rows} - old


def _chunks(items: list[str]):
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def purge(days: int, *, store: IntakeStore, trackers=None, dry_run: bool = False,
          now: datetime | None = None) -> PurgeReport:
    """Remove every conversation idle for ``days`` from both stores (``trackers``: Rasa's SQL store).

    Tracker events go first: if the intake store then fails, the intake is still old and the
    next purge takes it, and nothing is left for `intake reconcile` to rebuild it from.
    """
    report = PurgeReport(cutoff=cutoff_for(days, now), dry_run=dry_run)
    old, active = _activity_in_store(store.engine, report.cutoff)
    events = trackers.SQLEvent.__table__ if trackers is not None else None
    if trackers is not None:
        old_t, active_t = _activity_in_trackers(trackers.engine, events, report.cutoff)
        old, active = old | old_t, active | active_t
    report.conversations = sorted(old - active)
    searches = (audit_log.c.action.in_(SEARCH_ACTIONS) & (audit_log.c.at < report.cutoff)
                & audit_log.c.detail.isnot(None))

    if trackers is not None:
        with trackers.engine.connect() as conn, conn.begin():
            for chunk in _chunks(report.conversations):
                where = events.c.sender_id.in_(chunk)
                report.tracker_events += conn.execute(select(func.count()).where(where)).scalar_one()
                if not dry_run:
                    conn.execute(delete(events).where(where))

    with write_transaction(store.engine) as conn:
        _purge_store(conn, report, searches, dry_run)
    log.info("%s", report)
    return report


def _purge_store(conn, report: PurgeReport, searches, dry_run: bool) -> None:
    for chunk in _chunks(report.conversations):
        ids = select(intakes.c.id).where(intakes.c.conversation_id.in_(chunk))
        report.intakes += conn.execute(select(func.count()).where(intakes.c.id.in_(ids))).scalar_one()
        report.answers += conn.execute(select(func.count()).where(answers.c.intake_id.in_(ids))).scalar_one()
        report.messages += conn.execute(select(func.count()).where(messages.c.intake_id.in_(ids))).scalar_one()
        if not dry_run:  # answers, messages, workflow and notes go by ON DELETE CASCADE
            conn.execute(delete(intakes).where(intakes.c.conversation_id.in_(chunk)))
    report.searches_scrubbed = conn.execute(select(func.count()).where(searches)).scalar_one()
    if not dry_run:
        conn.execute(update(audit_log).where(searches).values(detail=None))
