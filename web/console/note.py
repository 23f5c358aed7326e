"""What the clinical note template reads from a summary, with missing parts made safe to show."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake.readback import value_text
from web.console.present import reasons_of


@dataclass
class RedFlags:
    alarm: bool = False
    lines: list[dict[str, str]] = field(default_factory=list)     # {"kind": alarm|ok|unsure, "text": ...}

    def add(self, kind: str, text: str) -> None:
        self.lines.append({"kind": kind, "text": text})
        self.alarm = self.alarm or kind == "alarm"


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def red_flags(summary: dict) -> RedFlags:
    """Emergency stop, self-harm, red-flag signs now, and the patient being unsure: first thing read."""
    history = _dict(summary.get("history"))
    flags = RedFlags()
    if summary.get("status") == "emergency":
        flags.add("alarm", "The bot stopped the intake and told the patient to call emergency services now.")
    if history.get("self_harm_risk") is True:
        flags.add("alarm", "Risk of self-harm: the patient wrote something that suggests it. "
                           "Follow the crisis pathway.")
    elif history.get("self_harm_cue"):
        answer = "they said no" if history.get("self_harm_risk") is False else "they have not answered"
        flags.add("unsure", f"The patient wrote words that can signal thoughts of self-harm; asked directly, {answer}. "
                            "Worth a kind word on the phone.")
    signs = history.get("neuro_symptoms")
    if isinstance(signs, list) and signs:
        flags.add("alarm", f"Red-flag signs now: {value_text('neuro_symptoms', signs)}.")
    elif isinstance(signs, list):
        flags.add("ok", "None of the red-flag signs (stroke screen answered 'none').")
    elif not history.get("red_flags_unsure"):
        flags.add("unsure", "The red-flag screen was not answered.")
    if history.get("red_flags_unsure"):
        flags.add("unsure", "The patient was not sure about the red-flag signs (urgency raised one level).")
    return flags


def note_context(summary: dict) -> dict[str, Any]:
    history = _dict(summary.get("history"))
    return {
        "summary": summary,
        "history": history,
        "onset": _dict(history.get("onset")),
        "patient": _dict(summary.get("patient")),
        "triage": _dict(summary.get("triage")),
        "reasons": reasons_of(summary),
        "red_flags": red_flags(summary),
        "unknown_fields": [f for f in summary.get("unknown_answers") or [] if isinstance(f, str)],
    }
