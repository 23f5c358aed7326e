"""Write an intake to the store from its slot values: used by the actions after every
answer, and by `intake reconcile` when it replays a conversation from Rasa's tracker."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from intake import interview
from intake.questions import fields
from intake.store import IntakeStore
from intake.summary import build_summary

ANSWER_WORDS = interview.ANSWER_WORDS


def summary_of(conversation_id: str, slots: dict[str, Any], started_at: datetime) -> dict[str, Any]:
    return build_summary(conversation_id, slots, status=interview.status_of(slots), started_at=started_at)


def record(store: IntakeStore, conversation_id: str, slots: dict[str, Any], *, started_at: datetime,
           messages: Iterable[dict[str, Any]], fields: Iterable[str]) -> dict[str, Any]:
    """Store `messages` (text, message_id, sent_at), the answers to `fields` with the patient's
    words, and the summary. Nothing is stored without consent. Idempotent: replaying is safe."""
    if slots.get("consent") is not True:
        return {}
    summary = summary_of(conversation_id, slots, started_at)
    words = slots.get(ANSWER_WORDS) or {}
    said = {name: words.get(name) or {} for name in fields}
    answers = [{"field": name, "value": slots.get(name), "text": said[name].get("text"),
                "message_id": said[name].get("message_id")} for name in fields]
    store.record_turn(conversation_id, summary=summary, messages=list(messages), answers=answers)
    return summary


def answered_fields(slots: dict[str, Any]) -> list[str]:
    """Every question answered so far."""
    return [f for f in fields() if slots.get(f) is not None]
