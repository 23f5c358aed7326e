"""What every channel does to a patient's message before NLU, so that nothing typed is lost.

The text is cleaned as everywhere (intake/patient_text.py) and a message longer than
INTAKE_MAX_MESSAGE_CHARS (default 2,000) is cut for NLU. Whenever NLU reads other words than the
patient's, the whole text travels in the message's metadata and is stored.
"""
from __future__ import annotations

from typing import Any

from intake.patient_text import clean_text, max_message_chars, not_a_command, storable

MAX_SENDER_CHARS = 128
WHOLE_TEXT_KEYS = ("full_text", "truncated")   # set by the channel only, never by a client

__all__ = ["MAX_SENDER_CHARS", "WHOLE_TEXT_KEYS", "clean_text", "for_nlu", "valid_sender", "whole_text_metadata"]


def for_nlu(raw: Any) -> str:
    """The text NLU reads: clean, never an intent command (but the opening one), never longer than the cap."""
    return not_a_command(clean_text(raw))[:max_message_chars()]


def whole_text_metadata(raw: Any) -> dict[str, Any]:
    """Metadata that keeps what the patient sent whenever NLU reads something else."""
    kept = storable(raw)
    if for_nlu(raw).strip() == kept.strip():  # Rasa strips the text: surrounding blanks alone say nothing
        return {}
    return {"full_text": kept, **({"truncated": True} if len(clean_text(raw)) > max_message_chars() else {})}


def valid_sender(sender: Any) -> bool:
    return isinstance(sender, str) and bool(sender.strip()) and len(sender) <= MAX_SENDER_CHARS \
        and clean_text(sender) == sender
