"""Build the intake summary (../shared/contract/intake-summary.schema.json) from slot values.

The summary is what nurses and other systems read; it is rebuilt from the slots after
every answer, so it always matches the conversation.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from intake.parsing.answers import UNKNOWN
from intake.questions import by_field, question
from intake.routing import decide, facts_of

SCHEMA_VERSION = "1"
HISTORY_FIELDS = ("affected_side", "paralysis_extent", "onset", "onset_speed", "course", "recurrence", "cause",
                  "eye_closure", "eye_symptoms", "speech_difficulty", "eating_difficulty", "eating_problems",
                  "synkinesis", "ear_symptoms", "neuro_symptoms", "prior_treatments", "goals")
CONTACT_FIELDS = {"name": "patient_name", "date_of_birth": "date_of_birth", "phone": "phone", "email": "email"}


def build_summary(conversation_id: str, slots: dict[str, Any], *, status: str, started_at: datetime,
                  updated_at: datetime | None = None, language: str = "en") -> dict[str, Any]:
    """The contract's summary for one conversation, routed by the rules."""
    updated_at = updated_at or datetime.now(timezone.utc)
    patient = patient_of(slots, updated_at)
    history = history_of(slots)
    tri = route(history)
    tri["handoff_requested"] = bool(slots.get("handoff_requested"))
    return {
        "schema_version": SCHEMA_VERSION,
        "conversation_id": conversation_id,
        "status": status,
        "language": language,
        "started_at": _iso(started_at),
        "updated_at": _iso(updated_at),
        "consent": slots.get("consent"),
        "patient": patient,
        "history": history,
        "triage": tri,
        "unknown_answers": sorted(name for name, value in slots.items() if value == UNKNOWN and name in by_field()),
        "confirmed": slots.get("confirm") is True,
    }


def patient_of(slots: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    patient = {key: _contact(slots.get(slot)) for key, slot in CONTACT_FIELDS.items()}
    patient["age_years"] = _age(patient["date_of_birth"], _said_on(slots, now or datetime.now(timezone.utc)))
    return patient


def history_of(slots: dict[str, Any]) -> dict[str, Any]:
    """The summary's history section: what the patient told us, in contract values."""
    history = {name: _history_value(name, slots) for name in HISTORY_FIELDS}
    history["onset"] = _onset(slots.get("onset"), _contact(slots.get("date_of_birth")))
    history["cause_text"] = slots.get("cause_text")
    history["self_harm_risk"] = slots.get("self_harm_risk")
    # signs of suicidal thoughts were seen and the direct question asked ("no" carries on, noted for the nurse)
    history["self_harm_cue"] = bool(slots.get("crisis_cue"))
    history["red_flags_unsure"] = bool(slots.get("red_flags_unsure"))
    return history


def route(history: dict[str, Any]) -> dict[str, Any]:
    """Urgency, clinics and reasons for a history, by the routing rules."""
    return decide(facts_of(history)).as_triage()


def _history_value(name: str, slots: dict[str, Any]) -> Any:
    value = slots.get(name)
    kind = question(name).kind
    if kind == "multi":
        if isinstance(value, list):
            return sorted(set(value), key=value.index)
        noted = (slots.get("noted") or {}).get(name)
        return list(noted) if noted else None       # "not sure" to a list question stays null
    if name == "goals":
        return None if value in (None, UNKNOWN) else str(value)
    if value is None:
        return (slots.get("noted") or {}).get(name)     # told in passing, to be confirmed: not lost meanwhile
    return value


def _onset(value: Any, birth: str | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {"date": None, "days_since_onset": None, "text": None}
    out = {"date": value.get("date"), "days_since_onset": value.get("days_since_onset"), "text": value.get("text")}
    if value.get("since_birth"):
        out["since_birth"] = True
        if birth:
            said_on = date.fromisoformat(value.get("said_on") or date.today().isoformat())
            out["date"] = birth
            out["days_since_onset"] = max(0, (said_on - date.fromisoformat(birth)).days)
    return out


def _contact(value: Any) -> str | None:
    return None if value in (None, UNKNOWN, "") else str(value)


def _said_on(slots: dict[str, Any], updated_at: datetime) -> date:
    onset = slots.get("onset")
    if isinstance(onset, dict) and onset.get("said_on"):
        return date.fromisoformat(onset["said_on"])
    return updated_at.date()


def _age(birth: str | None, on: date) -> int | None:
    if not birth:
        return None
    born = date.fromisoformat(birth)
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years if 0 <= years <= 130 else None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
