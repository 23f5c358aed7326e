"""The REST channel patients' messages arrive on, with input checks before NLU.

Same name and URL as Rasa's own (`rest`, POST /webhooks/rest/webhook). It answers a
malformed request with 400 instead of an error, and cuts a message longer than
INTAKE_MAX_MESSAGE_CHARS (default 2,000) to that length for NLU; the whole text travels
in the message's metadata and is stored, so nothing a patient typed is lost.
"""
from __future__ import annotations

import os
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot import rasa_fixes

rasa_fixes.apply()   # Rasa imports this module at server start: its speed fixes go in here

MAX_SENDER_CHARS = 128


def max_message_chars() -> int:
    return int(os.environ.get("INTAKE_MAX_MESSAGE_CHARS", "2000"))


def _payload(req: Request) -> dict[str, Any]:
    body = req.json          # sanic answers invalid JSON with 400 itself
    if not isinstance(body, dict):
        raise InvalidUsage("the body must be a JSON object with 'sender' and 'message'")
    return body


class PatientRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message):
        blueprint = super().blueprint(on_new_message)
        blueprint.listener("after_server_start")(rasa_fixes.freeze_loaded_objects)
        return blueprint

    async def _extract_sender(self, req: Request) -> str:
        sender = _payload(req).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise InvalidUsage(f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters")
        return sender

    def _extract_message(self, req: Request) -> str:
        text = _payload(req).get("message")
        text = text if isinstance(text, str) else ""
        return text[:max_message_chars()]

    def _extract_input_channel(self, req: Request) -> str:
        channel = _payload(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        body = _payload(request)
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        text = body.get("message")
        if isinstance(text, str) and len(text) > max_message_chars():
            metadata = {**metadata, "full_text": text, "truncated": True}
        return metadata or None
