"""Routing: urgency and clinics from an intake (rules as data in rules.yml)."""
from __future__ import annotations

from typing import Any


def emergency_fired(slots: dict[str, Any]) -> bool:
    """True when an emergency rule fires: the intake stops and the patient is told to get help now."""
    return bool(slots.get("neuro_symptoms")) or bool(slots.get("self_harm_risk"))
