"""Column types that encrypt on write and decrypt on read (``intake.crypto``), so the rest of
the store, the console and the CLI handle plain values and the database holds none.

Only what identifies or describes a patient is sealed: contact details, the patient block of
the summary, answers and messages. Status, urgency and times stay plain, so the nurse queue
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


class SealedSummary(_JSONColumn):
    """A summary whose ``patient`` block (name, date of birth, phone, email) is sealed."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, dict) and "patient" in value:
            return {**value, "patient": seal_json(value["patient"])}
        return value

    def process_result_value(self, value, dialect):
        if isinstance(value, dict) and "patient" in value:
            return {**value, "patient": open_json(value["patient"])}
        return value
