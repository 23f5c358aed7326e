"""Questions, lexicon, domain and contract agree with each other."""
from __future__ import annotations

import json

import yaml

from intake.language.terms import load_lexicon
from intake.questions import fields, questions
from tests.conftest import ROOT, SCHEMA_PATH

CONTRACT_SLOTS = ["consent", "neuro_symptoms", "affected_side", "paralysis_extent", "onset", "onset_speed",
                  "course", "recurrence", "cause", "prior_treatments", "eye_closure", "eye_symptoms",
                  "speech_difficulty", "eating_difficulty", "eating_problems", "synkinesis", "ear_symptoms",
                  "goals", "patient_name", "date_of_birth", "phone", "email", "confirm"]


def domain():
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def test_every_contract_field_is_a_question():
    assert sorted(fields()) == sorted(CONTRACT_SLOTS)


def test_form_asks_the_questions_in_order():
    assert domain()["forms"]["intake_form"]["required_slots"] == fields()


def test_every_question_has_a_slot_and_an_ask_action():
    d = domain()
    for name in fields():
        assert name in d["slots"], name
        assert f"action_ask_{name}" in d["actions"], name


def test_lexicon_values_are_contract_values():
    schema = json.loads(SCHEMA_PATH.read_text())
    history = schema["properties"]["history"]["properties"]
    defs = schema["$defs"]
    for q in questions():
        if q.kind not in ("choice", "multi", "tri"):
            continue
        prop = history[q.field]
        if "$ref" in prop:
            prop = defs[prop["$ref"].split("/")[-1]]
        allowed = set(prop.get("enum") or prop.get("items", {}).get("enum") or [])
        values = set(load_lexicon(q.field))
        assert values <= allowed, (q.field, values - allowed)
        for reply in q.replies.values():
            if isinstance(reply, str):
                assert reply in allowed, (q.field, reply)


def test_every_question_explains_why():
    for q in questions():
        assert q.ask and q.why, q.field
