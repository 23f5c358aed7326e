"""Server-side client of the Rasa server for the patient chat.

The browser never talks to Rasa: the chat blueprint forwards messages to Rasa's REST
channel and reads the conversation back from the tracker (HTTP API, with the token)
here, and hands the browser plain chat messages:

    {"from": "bot" | "user", "text": str, "buttons": [{"title", "payload"}],
     "emergency": bool, "id": str | None}
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterable

log = logging.getLogger(__name__)

# A bot message carrying this custom payload marks the message before it (REST channel) or
# itself (tracker event) as an emergency or crisis message (bot/actions/form.py).
EMERGENCY_KIND = "emergency"
MESSAGE_TIMEOUT = 60     # seconds; the first reply of a fresh server can take a few
TRACKER_TIMEOUT = 20


class RasaUnavailable(RuntimeError):
    """The Rasa server could not be reached or did not answer properly."""


class RasaClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    # -- talking -------------------------------------------------------------------
    def send(self, sender: str, text: str, message_id: str | None = None) -> list[dict[str, Any]]:
        """Send one patient message; the bot's replies as chat messages."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if message_id:
            body["metadata"] = {"message_id": message_id}
        raw = self._request("POST", "/webhooks/rest/webhook", body, MESSAGE_TIMEOUT)
        if not isinstance(raw, list):
            raise RasaUnavailable("unexpected reply from the REST channel")
        return fold_rest_messages(raw)

    def events(self, sender: str) -> list[dict[str, Any]]:
        """The conversation's events (since the last restart) from the tracker."""
        query = urllib.parse.urlencode({"token": self.token, "include_events": "AFTER_RESTART"})
        raw = self._request("GET", f"/conversations/{urllib.parse.quote(sender, safe='')}/tracker?{query}",
                            None, TRACKER_TIMEOUT)
        if not isinstance(raw, dict):
            raise RasaUnavailable("unexpected tracker")
        return list(raw.get("events") or [])

    def history(self, sender: str) -> list[dict[str, Any]]:
        return messages_from_events(self.events(sender))

    # -- plumbing ------------------------------------------------------------------
    def _request(self, method: str, path: str, body: Any, timeout: float) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                payload = resp.read()
        except urllib.error.HTTPError as error:
            # The path is not logged: the tracker URL carries the token.
            log.warning("Rasa answered %s to %s", error.code, method)
            raise RasaUnavailable(f"Rasa answered {error.code}") from None
        except (OSError, ValueError) as error:   # refused, reset, timeout, bad URL
            log.warning("Rasa unreachable (%s): %s", method, type(error).__name__)
            raise RasaUnavailable(str(error)) from None
        try:
            return json.loads(payload or b"null")
        except ValueError:
            raise RasaUnavailable("Rasa answered something that is not JSON") from None


def _buttons(raw: Any) -> list[dict[str, str]]:
    buttons = []
    for button in raw or []:
        if isinstance(button, dict) and button.get("title"):
            title = str(button["title"])
            buttons.append({"title": title, "payload": str(button.get("payload") or title)})
    return buttons


def _is_emergency(custom: Any) -> bool:
    return isinstance(custom, dict) and custom.get("kind") == EMERGENCY_KIND


def fold_rest_messages(raw: Iterable[Any]) -> list[dict[str, Any]]:
    """REST channel output → chat messages; an emergency custom message flags the text before it."""
    messages: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        if item.get("text"):
            messages.append({"from": "bot", "text": str(item["text"]), "buttons": _buttons(item.get("buttons")),
                             "emergency": _is_emergency(item.get("custom"))})
        elif item.get("buttons") and messages:
            messages[-1]["buttons"].extend(_buttons(item["buttons"]))
        if _is_emergency(item.get("custom")) and messages:
            messages[-1]["emergency"] = True
    return messages


def is_hidden_user_text(text: str) -> bool:
    """Messages the widget sends on the patient's behalf (`/greet` to open the chat)."""
    return text.startswith("/")


def messages_from_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tracker events → the user and bot messages the patient saw, in order."""
    messages: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            metadata = event.get("metadata") or {}
            if not isinstance(metadata, dict):
                metadata = {}
            # The channel cuts a very long message for NLU and keeps the whole text (bot/channels/checks.py).
            text = metadata.get("full_text") or event.get("text") or ""
            if is_hidden_user_text(text):
                continue
            messages.append({"from": "user", "text": text, "buttons": [], "emergency": False,
                             "id": metadata.get("message_id")})
        elif kind == "bot":
            data = event.get("data") or {}
            text = event.get("text") or ""
            if not text:
                continue
            messages.append({"from": "bot", "text": text, "buttons": _buttons(data.get("buttons")),
                             "emergency": _is_emergency(data.get("custom")), "id": None})
    return messages


def replies_after(events: list[dict[str, Any]], message_id: str) -> list[dict[str, Any]] | None:
    """The bot's replies to the user message sent with `message_id`, or None if it never arrived."""
    for index, event in enumerate(events):
        metadata = event.get("metadata") or {}
        if event.get("event") == "user" and isinstance(metadata, dict) and metadata.get("message_id") == message_id:
            replies = []
            for later in messages_from_events(events[index + 1:]):
                if later["from"] == "user":
                    break
                replies.append(later)
            for reply in replies:
                reply.pop("id", None)
            return replies
    return None


def has_user_messages(events: Iterable[dict[str, Any]]) -> bool:
    return any(event.get("event") == "user" for event in events)
