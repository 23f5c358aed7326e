"""The intake in plain words: the read-back before `confirm`, and summary lines."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from intake.questions import fields

LABELS_FILE = Path(__file__).resolve().parent / "labels.yml"
NOT_READ_BACK = {"consent", "neuro_symptoms", "confirm"}


@lru_cache(maxsize=1)
def _labels() -> dict:
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


def label(field: str) -> str:
    return _labels()["fields"].get(field, field.replace("_", " "))


def value_text(field: str, value: Any) -> str:
    labels = _labels()
    if value is None:
        return "not answered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(field, v) for v in value) if value else "none"
    if isinstance(value, dict):                       # onset
        if value.get("since_birth"):
            return "since birth"
        if value.get("unknown") or value.get("days_since_onset") is None:
            return "not sure"
        days = value["days_since_onset"]
        return f"{value.get('text') or ''} ({_days(days)})".strip()
    special = (labels.get("field_values") or {}).get(field, {})
    return str(special.get(value, labels["values"].get(value, value)))


def _days(days: int) -> str:
    if days == 0:
        return "today"
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 730:
        return f"about {round(days / 30.44)} months ago"
    return f"about {days // 365} years ago"


def line(field: str, value: Any) -> str:
    return f"{label(field)}: {value_text(field, value)}"


def confirm_question(field: str, value: Any) -> str:
    """"Did I get this right? Since then: about the same." for a likely reading to confirm."""
    return f"Did I get this right? {line(field, value)}."


def readback(slots: dict[str, Any]) -> str:
    """One line per answered question, for the patient to confirm."""
    return "\n".join(f"- {line(f, slots[f])}" for f in fields()
                     if f not in NOT_READ_BACK and slots.get(f) is not None)
