"""Questions, lexicon, domain and contract agree with each other."""
from __future__ import annotations

import json
import re

import yaml

from intake.language.lexicon import load_lexicon
from intake.parsing.answers import NONE_VALUE
from intake.questions import fields, questions
from tests.conftest import ROOT, SCHEMA_PATH, SHARED

# The contract's slot names (../shared/contract/README.md, section 2); the questionnaires come later.
CONTRACT_SLOTS = ["consent", "neuro_symptoms", "affected_side", "paralysis_extent", "onset", "onset_speed",
                  "course", "recurrence", "cause", "prior_treatments", "eye_closure", "eye_symptoms",
                  "speech_difficulty", "eating_difficulty", "eating_problems", "synkinesis", "ear_symptoms",
                  "goals", "patient_name", "date_of_birth", "phone", "email", "confirm", "self_harm_check"]


def domain():
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def test_every_contract_field_is_a_question():
    assert sorted(fields()) == sorted(CONTRACT_SLOTS)


def test_the_slot_list_is_the_contracts():
    """The slot names the contract's README lists (section 2) are these, bar the questionnaires to come."""
    readme = (SHARED / "contract" / "README.md").read_text()
    listed = readme.split("Its value is one of the field names below")[1].split("When the bot asks the patient")[0]
    named = set(re.findall(r"`([a-z_0-9]+)`", listed)) - {"requested_slot"}
    later = {n for n in named if n == "prom_consent" or re.fullmatch(r"(fdi|saq)_\d+", n)}
    assert named - later == set(CONTRACT_SLOTS)


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
        values = set(load_lexicon(q.field)) - {NONE_VALUE}       # "none of these" is an empty list
        assert values <= allowed, (q.field, values - allowed)
        for reply in q.replies.values():
            if isinstance(reply, str):
                assert reply in allowed, (q.field, reply)


def test_every_question_explains_why():
    for q in questions():
        assert q.ask and q.why, q.field
