"""Socket.io session tokens: a conversation is joined by a token the server issued, never by its id.

A token is "<sender id>.<HMAC of it>", keyed by INTAKE_SECRET_KEY (every replica shares it), so
knowing a conversation's sender id (shown in the console, kept in logs) is not enough to receive
its messages. Outside development the key must be set; in development a throwaway one is made
(sessions then end when the server restarts, and the widget starts a new conversation).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import uuid

_LABEL = b"intake socket.io session\x00"


class MissingKey(RuntimeError):
    """INTAKE_SECRET_KEY is needed outside development."""


def _key_from_env() -> bytes:
    key = os.environ.get("INTAKE_SECRET_KEY", "")
    if key:
        return key.encode("utf-8")
    if os.environ.get("INTAKE_ENV", "production") == "development":
        return secrets.token_bytes(32)
    raise MissingKey("INTAKE_SECRET_KEY must be set for the socket.io channel "
                     "(INTAKE_ENV=development makes a throwaway one)")


class SessionTokens:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else _key_from_env()

    def _mac(self, sender: str) -> str:
        digest = hmac.new(self._key, _LABEL + sender.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def issue(self) -> str:
        """A token for a new conversation."""
        sender = str(uuid.uuid4())
        return f"{sender}.{self._mac(sender)}"

    def sender(self, token: object) -> str | None:
        """The conversation a token opens, or None for anything this server did not issue."""
        if not isinstance(token, str) or token.count(".") != 1 or len(token) > 200:
            return None
        sender, mac = token.split(".")
        return sender if hmac.compare_digest(mac, self._mac(sender)) else None
