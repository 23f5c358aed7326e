"""A patient's typed text made safe for every layer, once, wherever it arrives (web front, REST, socket.io).

Lone UTF-16 surrogates (which no encoder can write: the message would be lost) become U+FFFD,
control characters go, and a leading "/" (which Rasa would read as an intent name) is dropped
but for the opening "/greet" that the web front and widgets send.
"""
from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The one intent a client may name: it opens a conversation (rasa-webchat's `initPayload` too).
OPENING_COMMANDS = {"/greet"}


def max_message_chars() -> int:
    """The longest message NLU reads (INTAKE_MAX_MESSAGE_CHARS, default 2,000)."""
    return int(os.environ.get("INTAKE_MAX_MESSAGE_CHARS", "2000"))


def storable(value: Any) -> str:
    """Exactly what the patient sent, but for what no encoder can write (lone surrogates: U+FFFD)."""
    return _SURROGATES.sub("\ufffd", value) if isinstance(value, str) else ""


def clean_text(value: Any) -> str:
    """The patient's words as the language layer reads them: storable, NFC, no control characters."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", storable(value)))


def not_a_command(text: str) -> str:
    """The text, never read as an intent name (but the opening command)."""
    if text.strip() in OPENING_COMMANDS:
        return text.strip()
    if text.lstrip().startswith("/"):
        return text.lstrip().lstrip("/ ") or "?"
    return text
