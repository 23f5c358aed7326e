"""The conversation beside the summary: both sides from Rasa, or the patient's side from the store.

Rasa's tracker holds the bot's messages; it is asked server-side (the browser never sees the
Rasa token) with a short timeout. When Rasa is down or does not know the conversation, the
patient's messages kept verbatim in the intake store are shown instead, and the page says so.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from intake.store import IntakeStore

log = logging.getLogger(__name__)

MAX_TRACKER_BYTES = 64 * 1024 * 1024     # far beyond any intake: a guard, not a limit a nurse meets
# Rasa is reached directly: no environment proxy ever sees the Rasa token.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Line:
    speaker: str            # "patient" or "bot"
    text: str
    at: datetime | None


@dataclass(frozen=True)
class Transcript:
    lines: list[Line]
    complete: bool          # both sides (from Rasa)
    note: str | None        # why only part is shown


def _from_tracker(tracker: dict) -> list[Line]:
    lines = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        text = event.get("text")
        if kind == "user":                  # the channel cut a long message for NLU: show it whole
            text = (event.get("metadata") or {}).get("full_text") or text
        if kind not in ("user", "bot") or not isinstance(text, str) or not text.strip():
            continue
        stamp = event.get("timestamp")
        at = datetime.fromtimestamp(stamp, tz=timezone.utc) if isinstance(stamp, (int, float)) else None
        lines.append(Line("patient" if kind == "user" else "bot", text, at))
    return lines


def fetch_tracker(rasa_url: str, token: str, conversation_id: str, timeout_s: float) -> dict:
    """Rasa's tracker for one conversation (every event, also those before a restart)."""
    query = urlencode({"token": token, "include_events": "ALL"})
    url = f"{rasa_url}/conversations/{quote(conversation_id, safe='')}/tracker?{query}"
    with _OPENER.open(url, timeout=timeout_s) as response:
        body = response.read(MAX_TRACKER_BYTES + 1)
    if len(body) > MAX_TRACKER_BYTES:
        raise TrackerTooLarge(conversation_id)
    return json.loads(body)


class TrackerTooLarge(ValueError):
    """A tracker beyond MAX_TRACKER_BYTES."""


def load_transcript(store: IntakeStore, conversation_id: str, *, rasa_url: str, rasa_token: str,
                    timeout_s: float) -> Transcript:
    try:
        lines = _from_tracker(fetch_tracker(rasa_url, rasa_token, conversation_id, timeout_s))
        if lines:
            return Transcript(lines, complete=True, note=None)
        note = "The chat server has no record of this conversation"
    except TrackerTooLarge:
        note = "This conversation is too long to show from the chat server"
    except (OSError, ValueError, urllib.error.URLError) as error:   # refused, timeout, HTTP error, bad JSON
        log.info("transcript from Rasa unavailable for an intake: %s", type(error).__name__)
        note = "The chat server (Rasa) could not be reached"
    patient_lines = [Line("patient", m.text, m.sent_at) for m in store.messages(conversation_id)]
    return Transcript(patient_lines, complete=False,
                      note=f"{note}: showing only the patient's messages, as stored; the bot's questions are missing.")
