"""The bot's fixed messages (messages.yml), filled with the hospital's settings (hospital.yml)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from intake.config import hospital

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def _messages() -> dict[str, Any]:
    return yaml.safe_load((HERE / "messages.yml").read_text(encoding="utf-8"))


def _fill(template: str, **extra: Any) -> str:
    values = {k: v for k, v in hospital().items() if isinstance(v, str)}
    values.update(extra)
    return template.format(**values)


def text(name: str, **extra: Any) -> str:
    """Message `name` from messages.yml with the hospital's settings filled in."""
    return _fill(_messages()[name], **extra)


def ending(triage: dict[str, Any]) -> str:
    """The patient's next steps: how urgently, which clinics and why, what happens next."""
    msgs = _messages()
    urgency = triage.get("urgency") or "routine"
    reasons = {}
    for reason in triage.get("reasons") or []:
        reasons.setdefault(reason["rule"], reason["text"])
    lines = [msgs["ending_urgency"].get(urgency, "")]
    lines.append(msgs["ending_clinics"])
    by_clinic = _reasons_by_clinic(triage)
    for clinic in triage.get("clinics") or []:
        lines.append(f"- {msgs['clinics'].get(clinic, clinic)}: {by_clinic.get(clinic, '')}".rstrip(": "))
    contact = hospital()["contact_time"].get(urgency, hospital()["contact_time"]["routine"])
    lines.append(_fill(msgs["ending_next"], contact_time=contact))
    return "\n".join(line for line in lines if line)


def _reasons_by_clinic(triage: dict[str, Any]) -> dict[str, str]:
    """The first fired rule's reason for each clinic (the rules engine lists rules in order)."""
    from intake.routing import default_rules

    clinics_of = {r.id: r.clinics for r in default_rules().rules + default_rules().modifiers}
    out: dict[str, str] = {}
    for reason in triage.get("reasons") or []:
        for clinic in clinics_of.get(reason["rule"], ()):
            out.setdefault(clinic, _patient_words(reason["text"]))
    return out


def _patient_words(reason: str) -> str:
    return reason[:1].lower() + reason[1:] if reason else reason
