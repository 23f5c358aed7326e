"""The REST channel patients' messages arrive on, with the input checks before NLU (checks.py).

Same name and URL as Rasa's own (`rest`, POST /webhooks/rest/webhook). It answers a
malformed request with 400 instead of an error.
"""
from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot import rasa_fixes
from bot.channels.checks import (
    MAX_SENDER_CHARS,
    WHOLE_TEXT_KEYS,
    for_nlu,
    valid_sender,
    whole_text_metadata,
)


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
        if not valid_sender(sender):
            raise InvalidUsage(f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters")
        return sender

    def _extract_message(self, req: Request) -> str:
        return for_nlu(_payload(req).get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        channel = _payload(req).get("input_channel")
        return channel if isinstance(channel, str) and channel and valid_sender(channel) else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        body = _payload(request)
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        metadata = {**{k: v for k, v in metadata.items() if k not in WHOLE_TEXT_KEYS},
                    **whole_text_metadata(body.get("message"))}
        return metadata or None
