"""Column types that encrypt on write and decrypt on read (``intake.crypto``), so the rest of
the store, the console and the CLI handle plain values and the database holds none.

Only what identifies or describes a patient is sealed: contact details, the patient block of
the summary and the patient's own words in it, answers and messages. Status, urgency and times stay plain, so the nurse queue
still sorts and filters in SQL.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

from intake.crypto import is_sealed, sealer

SEALED_KEY = "sealed"
# Where a summary holds the patient's own words (tests/store/test_encryption.py checks these are
# all the free-text strings of the contract's summary outside the patient block).
PATIENT_WORDS = (("history", "goals"), ("history", "cause_text"), ("history", "onset", "text"))


class SealedText(TypeDecorator):
    """Text stored encrypted; text written before encryption reads back as it was."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else sealer().seal(value)

    def process_result_value(self, value, dialect):
        return None if value is None else sealer().open(value)


class _JSONColumn(TypeDecorator):
    """JSON everywhere, JSONB on PostgreSQL, as the unsealed columns."""

    impl = JSON
    cache_ok = True

    def __init__(self, none_as_null: bool = False):
        super().__init__()
        self.none_as_null = none_as_null

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB(none_as_null=self.none_as_null))
        return dialect.type_descriptor(JSON(none_as_null=self.none_as_null))


def seal_json(value: Any) -> dict:
    return {SEALED_KEY: sealer().seal(json.dumps(value, ensure_ascii=False))}


def open_json(stored: Any) -> Any:
    if isinstance(stored, dict) and set(stored) == {SEALED_KEY} and is_sealed(stored[SEALED_KEY]):
        return json.loads(sealer().open(stored[SEALED_KEY]))
    return stored


class SealedJSON(_JSONColumn):
    """A JSON value stored as ``{"sealed": "<token>"}``; None is stored unsealed, as null."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else seal_json(value)

    def process_result_value(self, value, dialect):
        return None if value is None else open_json(value)


def _map_words(summary: dict, change) -> dict:
    """The summary with `change` applied to each place holding the patient's own words."""
    out = json.loads(json.dumps(summary))          # a deep copy: the caller's summary is left as it was
    for *parents, key in PATIENT_WORDS:
        node = out
        for name in parents:
            node = node.get(name) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(key) is not None:
            node[key] = change(node[key])
    return out


class SealedSummary(_JSONColumn):
    """A summary whose ``patient`` block (name, date of birth, phone, email) and the patient's own
    words (goals, the words about the cause and the onset: ``PATIENT_WORDS``) are sealed."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        if not isinstance(value, dict):
            return value
        value = _map_words(value, seal_json)
        if "patient" in value:
            value["patient"] = seal_json(value["patient"])
        return value

    def process_result_value(self, value, dialect):
        if not isinstance(value, dict):
            return value
        value = _map_words(value, open_json)
        if "patient" in value:
            value["patient"] = open_json(value["patient"])
        return value
