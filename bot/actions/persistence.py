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
from rasa_sdk.events import SlotSet

from bot.actions import tracker_view
from intake import messages, recording
from intake.store import IntakeStore, StoreUnavailable

log = logging.getLogger(__name__)
PENDING = "store_pending"          # slot: a save failed, write everything at the next chance


@lru_cache(maxsize=1)
def store() -> IntakeStore:
    return IntakeStore()


def save(tracker: Tracker, slots: dict[str, Any], answered: list[str]) -> bool:
    """Store the latest message, the fields it answered and the new summary.

    After a failed save (or at consent) everything is written again. Returns False when
    the database could not be reached; the caller tells the patient and sets `store_pending`.
    """
    catch_up = bool(slots.get(PENDING)) or "consent" in answered
    messages = tracker_view.user_messages(tracker)
    try:
        recording.record(store(), tracker.sender_id, slots, started_at=tracker_view.started_at(tracker),
                         messages=messages if catch_up else messages[-1:],
                         fields=recording.answered_fields(slots) if catch_up else answered)
    except StoreUnavailable as error:
        log.warning("intake store unavailable for conversation %s: %s", tracker.sender_id, error)
        return False
    return True


def save_events(tracker: Tracker, slots: dict[str, Any], answered: list[str], dispatcher) -> list:
    """`save`, plus the patient's note and the pending flag as slot events."""
    if save(tracker, slots, answered):
        return [SlotSet(PENDING, False)] if slots.get(PENDING) else []
    dispatcher.utter_message(text=messages.text("save_failed"))
    return [SlotSet(PENDING, True)]
