"""The FHIR R4 export: the Questionnaire from questions.yml, and each summary as a response that
validates with fhir.resources (R4, pydantic 1), conforms to the Questionnaire and round-trips."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import fhir
from intake.questions import questions
from intake.routing.vocabulary import FIELDS
from intake.summary import build_summary
from tests.web.console_data import HOSTILE_SCRIPT, full_summary, summary

STARTED = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)
SLOTS = {
    "consent": True, "neuro_symptoms": [], "affected_side": "left", "paralysis_extent": "partial",
    "onset": {"text": "3 weeks ago", "date": "2026-11-03", "days_since_onset": 21, "since_birth": False,
              "said_on": "2026-11-24"},
    "onset_speed": "sudden", "course": "unknown", "recurrence": "none", "cause": "bells_palsy",
    "cause_text": "Bell's palsy", "prior_treatments": ["steroids"], "eye_closure": "partial",
    "eye_symptoms": ["dryness", "pain"], "speech_difficulty": "none", "eating_difficulty": "mild",
    "eating_problems": ["drooling"], "synkinesis": "no", "ear_symptoms": "unknown",
    "goals": "smile again " + HOSTILE_SCRIPT, "patient_name": "Ada Testperson", "date_of_birth": "1980-01-15",
    "phone": "010 0000 1234", "email": "unknown", "confirm": True,
}


def _items(resource: dict) -> dict[str, dict]:
    out = {}

    def walk(items):
        for item in items:
            out[item["linkId"]] = item
            walk(item.get("item") or [])

    walk(resource.get("item") or [])
    return out


@pytest.fixture(scope="module")
def completed_summary(summary_validator):
    data = build_summary("conv-fhir", SLOTS, status="completed", started_at=STARTED,
                         updated_at=datetime(2026, 11, 24, 9, 41, 5, tzinfo=timezone.utc))
    summary_validator.validate(data)
    return data


def test_questionnaire_is_valid_r4_with_one_item_per_question():
    data = fhir.questionnaire()
    parsed = Questionnaire.parse_obj(data)
    assert parsed.url == fhir.QUESTIONNAIRE_URL and parsed.status == "active"
    items = _items(data)
    for q in questions():
        assert q.field in items, q.field
    kinds = {link: item["type"] for link, item in items.items()}
    assert kinds["consent"] == "boolean" and kinds["onset"] == "group"
    assert kinds["onset.date"] == "date" and kinds["onset.days_since_onset"] == "integer"
    assert kinds["date_of_birth"] == "date" and kinds["goals"] == "text" and kinds["phone"] == "string"
    assert kinds["affected_side"] == "choice" and items["eye_symptoms"]["repeats"] is True


def test_answer_options_are_the_contract_values_with_labels():
    items = _items(fhir.questionnaire())
    for field, (kind, values) in FIELDS.items():
        if field not in items or kind not in ("enum", "list"):
            continue
        codes = [o["valueCoding"]["code"] for o in items[field]["answerOption"]]
        assert codes == list(values) + (["none"] if kind == "list" else []), field
        assert all(o["valueCoding"]["system"] == fhir.VALUE_SYSTEM for o in items[field]["answerOption"])
    [closes_partly] = [o for o in items["eye_closure"]["answerOption"] if o["valueCoding"]["code"] == "partial"]
    assert closes_partly["valueCoding"]["display"] == "closes only partly"      # labels.yml field_values


def test_export_validates_conforms_and_round_trips(completed_summary):
    bundle = fhir.export_bundle(completed_summary)
    parsed = Bundle.parse_obj(bundle)
    assert parsed.type == "collection" and len(parsed.entry) == 2
    questionnaire_json, response_json = (e["resource"] for e in bundle["entry"])
    assert fhir.conformance_problems(questionnaire_json, response_json) == []
    again = Bundle.parse_raw(parsed.json())
    assert json.loads(again.json()) == bundle
    assert isinstance(parsed.entry[1].resource, QuestionnaireResponse)


def test_response_answers_in_the_right_types(completed_summary):
    response = fhir.export_bundle(completed_summary)["entry"][1]["resource"]
    assert response["status"] == "completed"
    assert response["questionnaire"] == f"{fhir.QUESTIONNAIRE_URL}|{fhir.QUESTIONNAIRE_VERSION}"
    assert response["identifier"] == {"system": fhir.CONVERSATION_SYSTEM, "value": "conv-fhir"}
    assert datetime.fromisoformat(response["authored"]) == datetime(2026, 11, 24, 9, 41, 5, tzinfo=timezone.utc)
    items = _items(response)
    assert items["affected_side"]["answer"] == [{"valueCoding": {
        "system": fhir.VALUE_SYSTEM, "code": "left", "display": "left"}}]
    assert [a["valueCoding"]["code"] for a in items["eye_symptoms"]["answer"]] == ["dryness", "pain"]
    assert items["neuro_symptoms"]["answer"][0]["valueCoding"]["code"] == "none"     # screened: none of them
    assert items["course"]["answer"][0]["valueCoding"]["display"] == "not sure"
    assert items["onset.days_since_onset"]["answer"] == [{"valueInteger": 21}]
    assert items["onset.date"]["answer"] == [{"valueDate": "2026-11-03"}]
    assert items["date_of_birth"]["answer"] == [{"valueDate": "1980-01-15"}]
    assert items["goals"]["answer"] == [{"valueString": "smile again " + HOSTILE_SCRIPT}]
    assert items["consent"]["answer"] == [{"valueBoolean": True}]
    assert "ear_symptoms" not in items and "email" not in items           # "not sure" / none given: no answer
    triage = completed_summary["triage"]
    assert items["triage.urgency"]["answer"][0]["valueCoding"]["code"] == triage["urgency"]
    assert [a["valueCoding"]["code"] for a in items["triage.clinics"]["answer"]] == triage["clinics"]
    assert [a["valueString"].split(":")[0] for a in items["triage.reasons"]["answer"]] == \
        [r["rule"] for r in triage["reasons"]]


@pytest.mark.parametrize("status, fhir_status", [("in_progress", "in-progress"), ("emergency", "stopped"),
                                                 ("handed_off", "stopped"), ("abandoned", "stopped")])
def test_unfinished_intakes_are_not_completed(status, fhir_status):
    data = summary("conv-x", name=None, started_at=STARTED, status=status, urgency=None, clinics=[], reasons=[])
    response = fhir.export_bundle(data)["entry"][1]["resource"]
    assert response["status"] == fhir_status


def test_an_empty_intake_exports(summary_validator):
    data = build_summary("conv-empty", {}, status="in_progress", started_at=STARTED)
    bundle = fhir.export_bundle(data)
    Bundle.parse_obj(bundle)
    assert [i["linkId"] for i in bundle["entry"][1]["resource"]["item"]] == ["red_flags_unsure", "self_harm_cue", "triage"]


def test_a_self_harm_cue_is_exported_for_the_nurse():
    data = build_summary("conv-cue", {"crisis_cue": "indirect", "self_harm_check": "no"}, status="in_progress",
                         started_at=STARTED)
    items = {i["linkId"]: i for i in fhir.export_bundle(data)["entry"][1]["resource"]["item"]}
    assert items["self_harm_cue"]["answer"] == [{"valueBoolean": True}]


def test_a_wrong_answer_is_caught():
    response = fhir.questionnaire_response(full_summary("conv-y", name="Ada Testperson", started_at=STARTED))
    response["item"][1]["answer"] = [{"valueCoding": {"system": fhir.VALUE_SYSTEM, "code": "purple"}}]
    problems = fhir.conformance_problems(fhir.questionnaire(), response)
    assert problems and "purple" in problems[0]


def test_invalid_fhir_is_refused_by_the_library():
    response = fhir.questionnaire_response(full_summary("conv-z", name="Ada Testperson", started_at=STARTED))
    response["item"][0]["answer"] = [{"valueBoolean": "maybe"}]
    with pytest.raises(Exception):
        QuestionnaireResponse.parse_obj(response)


def _value_for(field):
    kind, values = FIELDS[field]
    if kind == "enum":
        return st.sampled_from([None, *values])
    return st.one_of(st.none(), st.lists(st.sampled_from(values), unique=True))


HISTORY_FIELDS = [f for f in FIELDS if f not in ("days", "self_harm_risk", "red_flags_unsure")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.fixed_dictionaries({f: _value_for(f) for f in HISTORY_FIELDS}),
       days=st.one_of(st.none(), st.integers(0, 20000)),
       text=st.text(max_size=40) | st.sampled_from(["\u00a0no-break\u00a0", "bell\x07", "\x1f", " "]),
       status=st.sampled_from(["in_progress", "completed", "emergency", "handed_off", "abandoned"]))
def test_any_valid_summary_exports_valid_fhir(summary_validator, history, days, text, status):
    history = {**history, "onset": {"date": "2020-02-29" if days else None, "days_since_onset": days,
                                    "text": text or None},
               "goals": text or None, "cause_text": text or None}
    data = summary("conv-h" + text, name=text or None, phone=text or None, started_at=STARTED, status=status,
                   history=history)
    summary_validator.validate(data)
    bundle = fhir.export_bundle(data)
    assert json.loads(Bundle.parse_obj(bundle).json()) == bundle
