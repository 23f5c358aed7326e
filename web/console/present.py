"""How the console words things: labels, local times, waiting times and one queue row.

The queue page and the JSON API both use ``queue_row``, so the table the server renders and
the one the browser refreshes every few seconds read the same.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for

from intake.fhir import CLINIC_LABELS, URGENCY_LABELS
from intake.readback import label as field_label
from intake.readback import value_text
from intake.store.queue import QueueEntry

STATE_LABELS = {"new": "New", "reviewed": "Reviewed", "contacted": "Contacted", "scheduled": "Scheduled",
                "closed": "Closed"}
STATUS_LABELS = {"in_progress": "Still answering", "completed": "Completed",
                 "emergency": "Stopped: emergency", "handed_off": "Asked for a person",
                 "abandoned": "Left before the end"}
NO_URGENCY_LABEL = "Not triaged yet"
DAYS_PER_MONTH = 30.44


def urgency_label(urgency: str | None) -> str:
    return URGENCY_LABELS.get(urgency or "", NO_URGENCY_LABEL)


def clinic_label(clinic: str) -> str:
    return CLINIC_LABELS.get(clinic, clinic.replace("_", " "))


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " "))


def local(moment: datetime | None, zone: ZoneInfo, fmt: str = "%d %b %Y %H:%M") -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone).strftime(fmt)


def day(iso_date: Any) -> str:
    """'2026-11-03' as '3 Nov 2026' (unambiguous in every locale); anything else as given."""
    try:
        return date.fromisoformat(str(iso_date)).strftime("%-d %b %Y")
    except ValueError:
        return str(iso_date)


def waiting(since: datetime, now: datetime | None = None) -> str:
    """How long ago, as a nurse would say it: '45 min', '3 h 20 min', '2 days 4 h'."""
    now = now or datetime.now(timezone.utc)
    minutes = max(0, int((now - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def since_onset(days: Any) -> str | None:
    """'21 days (0.7 months)': both, because guidelines count in days early and months later."""
    if not isinstance(days, int):
        return None
    return f"{days} day{'s' if days != 1 else ''} ({days / DAYS_PER_MONTH:.1f} months)"


def days_since(iso_date: Any, zone: ZoneInfo, now: datetime | None = None) -> int | None:
    """Days from an ISO date to today in the hospital's zone (the summary's count ages as the intake waits)."""
    try:
        start = date.fromisoformat(str(iso_date))
    except ValueError:
        return None
    today = (now or datetime.now(timezone.utc)).astimezone(zone).date()
    return (today - start).days if today >= start else None


def answer(field: str, value: Any) -> str:
    """An answer in the words of labels.yml ('not answered' for null)."""
    return value_text(field, value)


def reasons_of(summary: dict) -> list[dict[str, str]]:
    triage = summary.get("triage") if isinstance(summary.get("triage"), dict) else {}
    return [{"rule": str(r.get("rule", "")), "text": str(r.get("text", ""))}
            for r in triage.get("reasons") or [] if isinstance(r, dict)]


def queue_row(entry: QueueEntry, zone: ZoneInfo, now: datetime | None = None) -> dict[str, Any]:
    """One queue row: raw values for other systems, display texts for the table."""
    patient = entry.summary.get("patient") if isinstance(entry.summary.get("patient"), dict) else {}
    return {
        "id": entry.intake_id,
        "conversation_id": entry.conversation_id,
        "url": url_for("console.intake_page", intake_id=entry.intake_id),
        "patient_name": entry.patient_name,
        "age_years": patient.get("age_years"),
        "phone": entry.phone,
        "status": entry.status,
        "status_label": status_label(entry.status),
        "urgency": entry.urgency,
        "urgency_label": urgency_label(entry.urgency),
        "handoff_requested": entry.handoff_requested,
        "clinics": entry.clinics,
        "clinic_labels": [clinic_label(c) for c in entry.clinics],
        "reasons": reasons_of(entry.summary),
        "state": entry.state,
        "state_label": state_label(entry.state),
        "state_changed_by": entry.state_changed_by,
        "started_at": entry.started_at.isoformat(),
        "started_local": local(entry.started_at, zone, "%d %b %H:%M"),
        "waiting": waiting(entry.started_at, now),
        "updated_at": entry.updated_at.isoformat(),
    }


__all__ = ["answer", "clinic_label", "day", "days_since", "field_label", "local", "queue_row", "since_onset", "state_label",
           "status_label", "urgency_label", "waiting"]
