"""Read what the actions need from a rasa-sdk Tracker, in one place."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from rasa_sdk import Tracker

from intake import config

# Actions whose run does not consume the patient's latest message.
_PASSIVE_ACTIONS = {"action_listen", "action_extract_slots", "intake_form", "validate_intake_form", None}


def slots(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.slots)


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def was_truncated(tracker: Tracker) -> bool:
    """The channel cut the latest message to the length NLU reads."""
    return bool(((tracker.latest_message or {}).get("metadata") or {}).get("truncated"))


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def selected_response(tracker: Tracker, retrieval_intent: str) -> str | None:
    """The response Rasa's ResponseSelector chose for the latest message ("utter_faq/opening_hours")."""
    selector = ((tracker.latest_message or {}).get("response_selector") or {}).get(retrieval_intent) or {}
    return (selector.get("response") or {}).get("utter_action")


def latest_message_id(tracker: Tracker) -> str | None:
    return (tracker.latest_message or {}).get("message_id")


def _user_events(tracker: Tracker) -> list[dict]:
    return [e for e in tracker.events if e.get("event") == "user"]


def conversation_date(tracker: Tracker) -> date:
    """The patient's local date when they sent the latest message (contract, section 4)."""
    events = _user_events(tracker)
    stamp = events[-1].get("timestamp") if events else None
    moment = datetime.fromtimestamp(stamp, timezone.utc) if stamp else datetime.now(timezone.utc)
    return moment.astimezone(config.timezone()).date()


def started_at(tracker: Tracker) -> datetime:
    events = _user_events(tracker)
    stamp = events[0].get("timestamp") if events else None
    return datetime.fromtimestamp(stamp, timezone.utc) if stamp else datetime.now(timezone.utc)


def user_messages(tracker: Tracker) -> list[dict[str, Any]]:
    """Every message the patient sent, oldest first, whole (see bot/channels/checks.py): text, message_id, sent_at."""
    return [{"text": (e.get("metadata") or {}).get("full_text") or e.get("text") or "",
             "message_id": e.get("message_id"),
             "sent_at": datetime.fromtimestamp(e["timestamp"], timezone.utc) if e.get("timestamp") else None}
            for e in _user_events(tracker)]


def repeated_message(tracker: Tracker) -> bool:
    """The latest message repeats the one before it, word for word."""
    texts = [(e.get("text") or "").strip().lower() for e in _user_events(tracker)]
    return len(texts) >= 2 and texts[-1] == texts[-2] and bool(texts[-1])


def is_fresh_user_turn(tracker: Tracker) -> bool:
    """True when no action has yet answered the patient's latest message.

    The form's validation runs both right after a message and when the form resumes
    after an interruption (a "why?" answered by a rule); only the first may parse it.
    """
    events = list(tracker.events)
    # The form appends its own `action` event for the temporary tracker; look past it.
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action" and event.get("name") not in _PASSIVE_ACTIONS:
            return False
    return False
