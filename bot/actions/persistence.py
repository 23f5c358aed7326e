"""Save the intake after every answer; nothing is stored without consent.

A database outage must not lose an answer or break the conversation: the answer stays
in the conversation's slots (and Rasa's tracker store), the patient gets a polite
note, and the next successful save writes everything again.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from bot.actions import tracker_view
from intake import interview, messages
from intake.store import IntakeStore, StoreUnavailable
from intake.summary import build_summary

log = logging.getLogger(__name__)
PENDING = "store_pending"          # slot: a save failed, write everything at the next chance
ANSWER_WORDS = "answer_words"      # slot: field -> {text, message_id} of the message that answered it


@lru_cache(maxsize=1)
def store() -> IntakeStore:
    return IntakeStore()


def summary_for(tracker: Tracker, slots: dict[str, Any]) -> dict[str, Any]:
    return build_summary(tracker.sender_id, slots, status=interview.status_of(slots),
                         started_at=tracker_view.started_at(tracker))


def save(tracker: Tracker, slots: dict[str, Any], answered: list[str]) -> bool:
    """Store the latest message, the fields it answered and the new summary.

    Returns False when the database could not be reached; the caller tells the
    patient and sets the `store_pending` slot so the next save catches up.
    """
    if slots.get("consent") is not True:
        return True
    catch_up = bool(slots.get(PENDING)) or "consent" in answered
    words = slots.get(ANSWER_WORDS) or {}
    try:
        db = store()
        summary = summary_for(tracker, slots)
        messages = tracker_view.user_messages(tracker)
        for message in (messages if catch_up else messages[-1:]):
            db.record_message(tracker.sender_id, text=message["text"], message_id=message["message_id"],
                              sent_at=message["sent_at"])
        fields = [f for f in interview.answer_fields() if slots.get(f) is not None] if catch_up else answered
        for name in fields:
            said = words.get(name) or {}
            db.record_answer(tracker.sender_id, field=name, value=slots.get(name), text=said.get("text"),
                             message_id=said.get("message_id"), summary=summary)
        db.save_summary(tracker.sender_id, summary)
    except StoreUnavailable as error:
        log.warning("intake store unavailable for conversation %s: %s", tracker.sender_id, error)
        return False
    return True


def save_events(tracker: Tracker, slots: dict[str, Any], answered: list[str], dispatcher) -> list:
    """`save`, plus the patient's note and the pending flag as slot events."""
    from rasa_sdk.events import SlotSet

    if save(tracker, slots, answered):
        return [SlotSet(PENDING, False)] if slots.get(PENDING) else []
    dispatcher.utter_message(text=messages.text("save_failed"))
    return [SlotSet(PENDING, True)]
