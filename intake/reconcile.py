"""`intake reconcile`: complete the intake store from Rasa's tracker store.

When the intake database is down during an answer, the answer stays in the conversation
(slots and tracker events) and the patient is told. Reconcile replays each conversation
with Rasa's own tracker classes and writes whatever the store is missing. Idempotent:
running it again changes nothing.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from intake import recording
from intake.store import IntakeStore

log = logging.getLogger(__name__)


@dataclass
class Report:
    checked: int = 0
    completed: int = 0

    def __str__(self) -> str:
        return f"checked {self.checked} conversations, completed {self.completed}"


def needs_writing(store: IntakeStore, conversation_id: str, slots: dict[str, Any], messages: list[dict]) -> bool:
    """The store lacks one of this conversation's messages or answers, or its summary differs."""
    if slots.get("consent") is not True:
        return False
    stored = store.get_summary(conversation_id)
    if stored is None:
        return True
    stored_ids = {m.message_id for m in store.messages(conversation_id)}
    if any(m.get("message_id") and m["message_id"] not in stored_ids for m in messages):
        return True
    if set(recording.answered_fields(slots)) - {a.field for a in store.answers(conversation_id)}:
        return True
    fresh = recording.summary_of(conversation_id, {**slots, "store_pending": False}, _now())
    return any(stored.get(key) != fresh.get(key) for key in ("status", "patient", "history", "triage"))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _messages(tracker) -> list[dict[str, Any]]:
    from rasa.shared.core.events import UserUttered

    return [{"text": e.text or "", "message_id": e.message_id,
             "sent_at": datetime.fromtimestamp(e.timestamp, timezone.utc)}
            for e in tracker.events if isinstance(e, UserUttered)]


async def _reconcile(store: IntakeStore, trackers) -> Report:
    report = Report()
    for conversation_id in await trackers.keys():
        tracker = await trackers.retrieve_full_tracker(conversation_id)
        if tracker is None:
            continue
        report.checked += 1
        slots = tracker.current_slot_values()
        messages = _messages(tracker)
        if not needs_writing(store, conversation_id, slots, messages):
            continue
        started = messages[0]["sent_at"] if messages else _now()
        recording.record(store, conversation_id, {**slots, "store_pending": False}, started_at=started,
                         messages=messages, fields=recording.answered_fields(slots))
        report.completed += 1
        log.info("reconciled conversation %s", conversation_id)
    return report


def reconcile(store: IntakeStore | None = None, trackers=None) -> Report:
    """Write what the intake store is missing, for every conversation in the tracker store."""
    if trackers is None:
        from intake.tracker_store import from_environment  # imports Rasa: only when needed

        trackers = from_environment()
    return asyncio.run(_reconcile(store or IntakeStore(), trackers))
