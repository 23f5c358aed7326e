"""Socket.io session tokens (bot/channels/sessions.py): only what this server issued opens a conversation."""
from __future__ import annotations

import uuid

import pytest

from bot.channels.sessions import MissingKey, SessionTokens


def test_an_issued_token_opens_its_conversation_and_nothing_else_does():
    tokens = SessionTokens(b"k" * 32)
    token = tokens.issue()
    sender = tokens.sender(token)
    assert str(uuid.UUID(sender)) == sender and tokens.issue() != token
    assert SessionTokens(b"k" * 32).sender(token) == sender             # every replica shares the key
    for forged in (sender, sender + ".", sender + ".AAAA", token + "x", token.upper(), None, 5, "", "." * 300):
        assert tokens.sender(forged) is None
    assert SessionTokens(b"other" * 8).sender(token) is None


def test_the_key_is_needed_outside_development(monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    monkeypatch.setenv("INTAKE_ENV", "production")
    with pytest.raises(MissingKey):
        SessionTokens()
    monkeypatch.setenv("INTAKE_ENV", "development")
    assert SessionTokens().sender(SessionTokens().issue()) is None       # a throwaway key per server
