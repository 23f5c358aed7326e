"""The socket.io channel (rasa-webchat and other socket.io clients), as safe as the REST one.

Rasa's own channel, changed where it fails patients:
- custom payloads (the emergency mark) reach the client as ``{"custom": {...}}``; Rasa's passed
  them to ``emit`` as keyword arguments, which raised and lost the emergency turn;
- a conversation is joined with a token the server issued (sessions.py), never by naming its id;
  a client that brings an unknown or forged token gets a new conversation;
- the sender of a message is the socket's own session, not an id the message claims;
- the REST channel's input checks (checks.py) apply;
- cross-origin clients are let in from CHAT_EMBED_ORIGINS only (and the same origin).
"""
from __future__ import annotations

import json
import logging
import os
import re
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import response
from socketio import AsyncServer

from bot.channels.checks import WHOLE_TEXT_KEYS, for_nlu, whole_text_metadata
from bot.channels.sessions import SessionTokens

logger = logging.getLogger(__name__)


def embed_origins() -> set[str]:
    """Sites allowed to embed the chat from another origin: CHAT_EMBED_ORIGINS, space or comma separated."""
    return {o.rstrip("/") for o in re.split(r"[\s,]+", os.environ.get("CHAT_EMBED_ORIGINS", "")) if o}


def origin_allowed(origin: str | None, environ: dict[str, Any]) -> bool:
    """The same origin (as the client reached us, directly or through a proxy), or an embedding site."""
    if not origin:
        return True              # not a browser: nothing for CORS to protect
    origin = origin.rstrip("/")
    if origin in embed_origins():
        return True
    host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST") or ""
    scheme = (environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme") or "http").split(",")[0]
    return bool(host) and origin in {f"{scheme.strip()}://{host.split(',')[0].strip()}"}


class PatientSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class PatientSocketIOInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("user_message_evt", "user_uttered"),
                   credentials.get("bot_message_evt", "bot_uttered"),
                   credentials.get("socketio_path", "/socket.io"),
                   credentials.get("metadata_key", "metadata"))

    def __init__(self, user_message_evt: str = "user_uttered", bot_message_evt: str = "bot_uttered",
                 socketio_path: str = "/socket.io", metadata_key: str = "metadata",
                 tokens: SessionTokens | None = None) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.socketio_path = socketio_path
        self.metadata_key = metadata_key
        self.tokens = tokens or SessionTokens()
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        return PatientSocketIOOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origin_allowed)
        self.sio = sio
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request):
            return response.json({"status": "ok"})

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            token = data.get("session_id") if isinstance(data, dict) else None
            sender = self.tokens.sender(token)
            if sender is None:
                token = self.tokens.issue()
                sender = self.tokens.sender(token)
            earlier = (await sio.get_session(sid)).get("sender")
            if earlier and earlier != sender:
                sio.leave_room(sid, earlier)
            await sio.save_session(sid, {"sender": sender})
            sio.enter_room(sid, sender)
            await sio.emit("session_confirm", {"session_id": token}, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any) -> None:
            sender = (await sio.get_session(sid)).get("sender")
            if sender is None or not isinstance(data, dict):
                logger.warning("socket.io message without a session or not an object: ignored")
                await sio.emit("session_required", {}, room=sid)
                return
            text = data.get("message")
            metadata = data.get(self.metadata_key) or data.get("customData") or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except (ValueError, RecursionError):     # not JSON, or thousands of nested brackets
                    metadata = {}
            metadata = metadata if isinstance(metadata, dict) else {}
            metadata = {**{k: v for k, v in metadata.items() if k not in WHOLE_TEXT_KEYS}, **whole_text_metadata(text)}
            await on_new_message(UserMessage(for_nlu(text), PatientSocketIOOutput(sio, self.bot_message_evt), sender,
                                             input_channel=self.name(), metadata=metadata or None))

        return webhook
