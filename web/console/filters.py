"""The queue's filters, read from the query string (so a filtered queue can be bookmarked)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Mapping
from zoneinfo import ZoneInfo

from intake.fhir import CLINIC_LABELS
from intake.store.queue import INTAKE_STATUSES, NO_URGENCY, OPEN_STATES, URGENCY_LEVELS, QueueFilter
from intake.store.workflow import STATES

FILTER_KEYS = ("state", "status", "urgency", "clinic", "handoff", "from", "to", "q")
MAX_SEARCH = 100


@dataclass(frozen=True)
class FilterForm:
    """The filter values as the nurse chose them (invalid ones dropped) and the query they make."""

    values: dict[str, str]
    query: QueueFilter
    problems: tuple[str, ...]

    @property
    def active(self) -> bool:
        return any(v for k, v in self.values.items() if k != "state") or self.values.get("state") != "open"


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def parse_filters(args: Mapping[str, str], zone: ZoneInfo) -> FilterForm:
    values = {key: (args.get(key) or "").strip() for key in FILTER_KEYS}
    values["q"] = values["q"][:MAX_SEARCH]
    problems = []
    state = values["state"] or "open"
    if state not in ("open", "all", *STATES):
        state = "open"
    values["state"] = state
    states = OPEN_STATES if state == "open" else () if state == "all" else (state,)
    if values["status"] not in INTAKE_STATUSES:
        values["status"] = ""
    if values["urgency"] not in (*URGENCY_LEVELS, NO_URGENCY):
        values["urgency"] = ""
    if values["clinic"] not in CLINIC_LABELS:
        values["clinic"] = ""
    if values["handoff"] not in ("yes", "no"):
        values["handoff"] = ""
    started_from = started_before = None
    for key in ("from", "to"):
        if values[key] and _day(values[key]) is None:
            problems.append(f"'{values[key]}' is not a date (use YYYY-MM-DD); that filter is ignored.")
            values[key] = ""
    if values["from"]:
        started_from = _start_of(_day(values["from"]), zone)
    if values["to"]:
        started_before = _start_of(_day(values["to"]) + timedelta(days=1), zone)
    query = QueueFilter(
        states=states,
        statuses=(values["status"],) if values["status"] else (),
        urgencies=(values["urgency"],) if values["urgency"] else (),
        clinic=values["clinic"] or None,
        handoff={"yes": True, "no": False}.get(values["handoff"]),
        started_from=started_from,
        started_before=started_before,
        search=values["q"],
    )
    return FilterForm(values, query, tuple(problems))
