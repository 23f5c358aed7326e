"""The intake as FHIR R4: a Questionnaire built from questions.yml and a QuestionnaireResponse per summary.

The hospital record takes the summary without retyping. The Questionnaire has one item per
question (linkId = the contract field) with the contract's values as answer options; the
response answers them with codings (system ``urn:facial-palsy-intake:value``, displays from
labels.yml), strings, dates and integers, plus the triage (urgency, clinics, fired rules) as
extra items. ``export_bundle`` returns both in a collection Bundle, checked by parsing with
fhir.resources (R4, pydantic 1) and by ``conformance_problems`` (every answer fits its item),
since the library checks structure but not answers against their Questionnaire.
"""
from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import date
from typing import Any, Iterable

from intake.questions import Question, questions
from intake.readback import label, value_text
from intake.routing.vocabulary import FIELDS

VALUE_SYSTEM = "urn:facial-palsy-intake:value"
URGENCY_SYSTEM = "urn:facial-palsy-intake:urgency"
CLINIC_SYSTEM = "urn:facial-palsy-intake:clinic"
CONVERSATION_SYSTEM = "urn:facial-palsy-intake:conversation"
QUESTIONNAIRE_URL = "urn:facial-palsy-intake:questionnaire"
QUESTIONNAIRE_VERSION = "1"          # follows the summary's schema_version
NONE_OF_THESE = "none"               # a list question the patient said none of applies
_ID_NAMESPACE = uuid.UUID("6f1c2a8e-3d0b-4f57-9a55-1f0de5a6c0aa")

# Nurse-facing names of the contract's urgency levels and clinics (also used by the console).
URGENCY_LABELS = {
    "emergency": "Emergency",
    "urgent": "Urgent (within 72 hours)",
    "soon": "Soon (within 2 weeks)",
    "routine": "Routine",
}
CLINIC_LABELS = {
    "emergency_department": "Emergency department",
    "neurology": "Neurology",
    "ent_otology": "ENT / otology",
    "ophthalmology": "Ophthalmology",
    "facial_reanimation_surgery": "Facial reanimation surgery",
    "facial_rehabilitation": "Facial rehabilitation",
    "speech_therapy": "Speech and swallowing therapy",
    "psychology": "Psychology",
}

# contract status -> QuestionnaireResponse.status; an intake that stopped early is "stopped"
RESPONSE_STATUS = {"completed": "completed", "in_progress": "in-progress", "emergency": "stopped",
                   "handed_off": "stopped", "abandoned": "stopped"}

_PATIENT_FIELDS = {"patient_name": "name", "date_of_birth": "date_of_birth", "phone": "phone", "email": "email"}
_SIMPLE_TYPES = {"yes_no": "boolean", "text": "text", "name": "string", "phone": "string", "email": "string",
                 "date_of_birth": "date"}


def fhir_text(value: Any) -> str | None:
    """Patient text as a FHIR string: FHIR allows no whitespace but space, tab and line breaks, and
    no control characters, so other spaces (e.g. no-break space) become spaces and controls go."""
    if value is None:
        return None
    cleaned = "".join(
        ch if ch in " \t\r\n" else " " if ch.isspace() else "" if unicodedata.category(ch) == "Cc" else ch
        for ch in str(value)).strip()
    return cleaned or None


def fhir_date(value: Any) -> str | None:
    """A YYYY-MM-DD date, or None (a garbled date is left out rather than breaking the export)."""
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


# -- the Questionnaire ----------------------------------------------------------------------


def _coding(field: str, code: str) -> dict[str, str]:
    return {"system": VALUE_SYSTEM, "code": code, "display": value_text(field, code)}


def _options(field: str, repeats: bool) -> list[dict]:
    codes = list(FIELDS[field][1])
    options = [{"valueCoding": _coding(field, code)} for code in codes]
    if repeats:
        options.append({"valueCoding": {"system": VALUE_SYSTEM, "code": NONE_OF_THESE, "display": "none of these"}})
    return options


def _question_items(q: Question) -> list[dict]:
    """The Questionnaire item(s) for one question: onset is a group, cause adds its free text."""
    base = {"linkId": q.field, "text": label(q.field)}
    if q.kind == "onset":
        return [{**base, "type": "group", "item": [
            {"linkId": "onset.date", "text": "Date it began (best estimate)", "type": "date"},
            {"linkId": "onset.days_since_onset", "text": "Days since onset", "type": "integer"},
            {"linkId": "onset.since_birth", "text": "Present since birth", "type": "boolean"},
            {"linkId": "onset.text", "text": "In the patient's words", "type": "string"},
        ]}]
    if q.kind in ("choice", "tri", "multi"):
        item = {**base, "type": "choice", "answerOption": _options(q.field, q.kind == "multi")}
        if q.kind == "multi":
            item["repeats"] = True
        if q.only_if:
            item["enableWhen"] = [{"question": other, "operator": "=", "answerCoding": _coding(other, value)}
                                  for other, values in q.only_if.items() for value in values]
            item["enableBehavior"] = "any"
        items = [item]
        if q.field == "cause":
            items.append({"linkId": "cause_text", "text": "Cause in the patient's words", "type": "string"})
        return items
    return [{**base, "type": _SIMPLE_TYPES[q.kind]}]


def _triage_items() -> list[dict]:
    return [
        {"linkId": "self_harm_risk", "text": "Risk of self-harm mentioned", "type": "boolean"},
        {"linkId": "red_flags_unsure", "text": "Not sure about the red-flag signs", "type": "boolean"},
        {"linkId": "self_harm_cue", "text": "Words that can signal thoughts of self-harm (asked directly)", "type": "boolean"},
        {"linkId": "triage", "text": "Triage by the routing rules (not a diagnosis)", "type": "group", "item": [
            {"linkId": "triage.urgency", "text": "Urgency", "type": "choice",
             "answerOption": [{"valueCoding": {"system": URGENCY_SYSTEM, "code": c, "display": d}}
                              for c, d in URGENCY_LABELS.items()]},
            {"linkId": "triage.clinics", "text": "Clinics", "type": "choice", "repeats": True,
             "answerOption": [{"valueCoding": {"system": CLINIC_SYSTEM, "code": c, "display": d}}
                              for c, d in CLINIC_LABELS.items()]},
            {"linkId": "triage.reasons", "text": "Fired rules and their reasons", "type": "string", "repeats": True},
            {"linkId": "triage.handoff_requested", "text": "Asked for a person", "type": "boolean"},
        ]},
    ]


def questionnaire() -> dict[str, Any]:
    """The Questionnaire describing the intake (FHIR R4 JSON)."""
    items = [item for q in questions() for item in _question_items(q)]
    return {
        "resourceType": "Questionnaire",
        "id": "facial-palsy-intake",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "FacialPalsyIntake",
        "title": "Facial palsy intake",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "What the facial palsy intake assistant asks a patient before the first visit, "
                       "and the triage its routing rules gave (not a diagnosis).",
        "item": items + _triage_items(),
    }


# -- the QuestionnaireResponse --------------------------------------------------------------


def _answered(link_id: str, text: str, answers: list[dict]) -> list[dict]:
    return [{"linkId": link_id, "text": text, "answer": answers}] if answers else []


def _answers_for(q: Question, value: Any) -> list[dict]:
    if value is None:
        return []
    if q.kind == "yes_no":
        return [{"valueBoolean": value}] if isinstance(value, bool) else []
    if q.kind in ("choice", "tri"):
        return [{"valueCoding": _coding(q.field, value)}] if isinstance(value, str) else []
    if q.kind == "multi":
        if not isinstance(value, list):
            return []
        if not value:
            return [{"valueCoding": {"system": VALUE_SYSTEM, "code": NONE_OF_THESE, "display": "none of these"}}]
        return [{"valueCoding": _coding(q.field, code)} for code in value if isinstance(code, str)]
    if q.kind == "date_of_birth":
        return [{"valueDate": fhir_date(value)}] if fhir_date(value) else []
    text = fhir_text(value)
    return [{"valueString": text}] if text else []


def _onset_item(onset: Any) -> list[dict]:
    if not isinstance(onset, dict):
        return []
    children = []
    if fhir_date(onset.get("date")):
        children.append({"linkId": "onset.date", "answer": [{"valueDate": fhir_date(onset["date"])}]})
    if isinstance(onset.get("days_since_onset"), int):
        children.append({"linkId": "onset.days_since_onset", "answer": [{"valueInteger": onset["days_since_onset"]}]})
    if onset.get("since_birth"):
        children.append({"linkId": "onset.since_birth", "answer": [{"valueBoolean": True}]})
    if fhir_text(onset.get("text")):
        children.append({"linkId": "onset.text", "answer": [{"valueString": fhir_text(onset["text"])}]})
    return [{"linkId": "onset", "text": label("onset"), "item": children}] if children else []


def _value_of(summary: dict, field: str) -> Any:
    if field == "consent":
        return summary.get("consent")
    if field == "confirm":
        return True if summary.get("confirmed") is True else None
    if field in _PATIENT_FIELDS:
        return (summary.get("patient") or {}).get(_PATIENT_FIELDS[field])
    return (summary.get("history") or {}).get(field)


def _triage_answers(summary: dict) -> list[dict]:
    history = summary.get("history") or {}
    triage = summary.get("triage") or {}
    items = []
    for flag in ("self_harm_risk", "red_flags_unsure", "self_harm_cue"):
        if isinstance(history.get(flag), bool):
            items.append({"linkId": flag, "answer": [{"valueBoolean": history[flag]}]})
    children = []
    urgency = triage.get("urgency")
    if urgency in URGENCY_LABELS:
        children.append({"linkId": "triage.urgency", "answer": [{"valueCoding": {
            "system": URGENCY_SYSTEM, "code": urgency, "display": URGENCY_LABELS[urgency]}}]})
    clinics = [c for c in triage.get("clinics") or [] if c in CLINIC_LABELS]
    if clinics:
        children.append({"linkId": "triage.clinics", "answer": [
            {"valueCoding": {"system": CLINIC_SYSTEM, "code": c, "display": CLINIC_LABELS[c]}} for c in clinics]})
    reasons = [fhir_text(f"{r.get('rule')}: {r.get('text')}") for r in triage.get("reasons") or []
               if isinstance(r, dict)]
    if reasons:
        children.append({"linkId": "triage.reasons", "answer": [{"valueString": r} for r in reasons]})
    children.append({"linkId": "triage.handoff_requested",
                     "answer": [{"valueBoolean": bool(triage.get("handoff_requested"))}]})
    items.append({"linkId": "triage", "item": children})
    return items


def resource_id(conversation_id: str) -> str:
    """A FHIR id for a conversation (conversation ids may hold characters FHIR ids may not)."""
    return str(uuid.uuid5(_ID_NAMESPACE, conversation_id))


def questionnaire_response(summary: dict) -> dict[str, Any]:
    """The summary as a QuestionnaireResponse to the intake Questionnaire (FHIR R4 JSON)."""
    items: list[dict] = []
    for q in questions():
        if q.kind == "onset":
            items += _onset_item(_value_of(summary, "onset"))
            continue
        items += _answered(q.field, label(q.field), _answers_for(q, _value_of(summary, q.field)))
        if q.field == "cause":
            cause_text = fhir_text((summary.get("history") or {}).get("cause_text"))
            if cause_text:
                items += _answered("cause_text", "Cause in the patient's words", [{"valueString": cause_text}])
    items += _triage_answers(summary)
    conversation_id = str(summary.get("conversation_id"))
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id(conversation_id),
        "identifier": {"system": CONVERSATION_SYSTEM, "value": fhir_text(conversation_id) or "-"},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": RESPONSE_STATUS.get(summary.get("status"), "in-progress"),
        "authored": summary.get("updated_at"),
        "item": items,
    }


# -- the export and its checks --------------------------------------------------------------


class FhirExportError(ValueError):
    """The export does not validate (a bug: the message says what is wrong)."""


_VALUE_KEYS = {"boolean": "valueBoolean", "date": "valueDate", "integer": "valueInteger", "string": "valueString",
               "text": "valueString", "choice": "valueCoding"}


def _index(items: Iterable[dict], out: dict[str, dict] | None = None) -> dict[str, dict]:
    out = {} if out is None else out
    for item in items:
        out[item["linkId"]] = item
        _index(item.get("item") or [], out)
    return out


def conformance_problems(questionnaire_json: dict, response_json: dict) -> list[str]:
    """What in the response does not fit the Questionnaire (empty when it conforms)."""
    definitions = _index(questionnaire_json.get("item") or [])
    problems = []

    def check(items: list[dict]) -> None:
        for item in items:
            link = item.get("linkId")
            definition = definitions.get(link)
            if definition is None:
                problems.append(f"{link}: not in the Questionnaire")
                continue
            answers = item.get("answer") or []
            if definition["type"] == "group":
                if answers:
                    problems.append(f"{link}: a group has no answers")
                check(item.get("item") or [])
                continue
            if len(answers) > 1 and not definition.get("repeats"):
                problems.append(f"{link}: {len(answers)} answers to a question that takes one")
            allowed = {(o["valueCoding"]["system"], o["valueCoding"]["code"])
                       for o in definition.get("answerOption") or []}
            for answer in answers:
                keys = [k for k in answer if k.startswith("value")]
                if keys != [_VALUE_KEYS[definition["type"]]]:
                    problems.append(f"{link}: answer {keys} does not fit type {definition['type']}")
                elif definition["type"] == "choice":
                    coding = answer["valueCoding"]
                    if (coding.get("system"), coding.get("code")) not in allowed:
                        problems.append(f"{link}: {coding.get('code')!r} is not an answer option")

    check(response_json.get("item") or [])
    if response_json.get("questionnaire") != f"{questionnaire_json['url']}|{questionnaire_json['version']}":
        problems.append("questionnaire: does not name this Questionnaire")
    return problems


def validate(resource_json: dict):
    """Parse a FHIR R4 resource with fhir.resources (raises on invalid structure); returns the model."""
    from fhir.resources import construct_fhir_element

    return construct_fhir_element(resource_json["resourceType"], resource_json)


def export_bundle(summary: dict) -> dict[str, Any]:
    """A collection Bundle: the Questionnaire, then the summary's QuestionnaireResponse, validated."""
    q_json = questionnaire()
    r_json = questionnaire_response(summary)
    problems = conformance_problems(q_json, r_json)
    if problems:
        raise FhirExportError("; ".join(problems))
    bundle = {
        "resourceType": "Bundle",
        "id": resource_id("bundle:" + str(summary.get("conversation_id"))),
        "type": "collection",
        "timestamp": summary.get("updated_at"),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource_id('questionnaire')}", "resource": q_json},
            {"fullUrl": f"urn:uuid:{r_json['id']}", "resource": r_json},
        ],
    }
    try:
        validated = validate(bundle)
    except Exception as error:      # pydantic.ValidationError, or a FHIR type error
        raise FhirExportError(f"not valid FHIR R4: {error}") from error
    return json.loads(validated.json())
