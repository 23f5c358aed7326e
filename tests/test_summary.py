"""The summary built from slots is valid against the contract and says what the patient said."""
from __future__ import annotations

from datetime import datetime, timezone

from intake.parsing.answers import UNKNOWN
from intake.summary import build_summary

STARTED = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)


def test_empty_intake_is_schema_valid(summary_validator):
    summary = build_summary("c-1", {}, status="in_progress", started_at=STARTED)
    summary_validator.validate(summary)
    assert summary["history"]["onset"] == {"date": None, "days_since_onset": None, "text": None}
    assert summary["triage"]["handoff_requested"] is False


def test_full_intake_is_schema_valid(summary_validator):
    slots = {
        "consent": True, "neuro_symptoms": [], "affected_side": "left", "paralysis_extent": "partial",
        "onset": {"text": "3 weeks ago", "date": "2026-11-03", "days_since_onset": 21, "since_birth": False,
                  "said_on": "2026-11-24"},
        "onset_speed": "sudden", "course": UNKNOWN, "recurrence": "none", "cause": "bells_palsy",
        "cause_text": "Bell's palsy", "prior_treatments": ["steroids"], "eye_closure": "partial",
        "eye_symptoms": ["dryness"], "speech_difficulty": "none", "eating_difficulty": "mild",
        "eating_problems": ["drooling"], "synkinesis": "no", "ear_symptoms": UNKNOWN,
        "goals": "smile again", "patient_name": "Ada Testperson", "date_of_birth": "1980-01-15",
        "phone": "010 0000 1234", "email": UNKNOWN, "confirm": True,
    }
    summary = build_summary("c-2", slots, status="completed", started_at=STARTED)
    summary_validator.validate(summary)
    assert summary["patient"]["email"] is None and summary["patient"]["age_years"] == 46
    assert summary["history"]["ear_symptoms"] is None        # "not sure" to a list question
    assert "ear_symptoms" in summary["unknown_answers"]
    assert summary["history"]["course"] == "unknown"


def test_since_birth_uses_the_date_of_birth(summary_validator):
    slots = {"onset": {"text": "since birth", "date": None, "days_since_onset": None, "since_birth": True,
                       "said_on": "2026-11-24"}, "date_of_birth": "2020-05-01"}
    summary = build_summary("c-3", slots, status="in_progress", started_at=STARTED)
    summary_validator.validate(summary)
    assert summary["history"]["onset"]["date"] == "2020-05-01"
    assert summary["history"]["onset"]["days_since_onset"] == 2398


def test_items_mentioned_before_their_question_are_in_the_summary():
    summary = build_summary("c-4", {"noted": {"ear_symptoms": ["rash_or_blisters"]}}, status="in_progress",
                            started_at=STARTED)
    assert summary["history"]["ear_symptoms"] == ["rash_or_blisters"]
