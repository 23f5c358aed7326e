"""The actions Rasa calls, with rasa-sdk Tracker fixtures (as Rasa's demo assistants test theirs):
the form, the safety check before a practical question, the first message and the checks' buttons."""
from __future__ import annotations

import asyncio
import time

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import form, moves, persistence, safety
from intake import interview

DOMAIN: dict = {}


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    """A fresh embedded intake store for each test."""
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INTAKE_DB_URL", raising=False)
    persistence.store.cache_clear()
    yield
    persistence.store.cache_clear()


def tracker(text: str, slots: dict | None = None, intent: str = "inform", confidence: float = 0.9,
            active_loop: str | None = "intake_form", response: str | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "message_id": "m1",
               "metadata": {}}
    if response:
        message["response_selector"] = {"faq": {"response": {"utter_action": response}}}
    events = [{"event": "user", "text": text, "timestamp": time.time(), "message_id": "m1",
               "parse_data": message}]
    return Tracker("conv-1", {"stage": "asking", **(slots or {})}, message, events, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, dispatcher.messages


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_the_form_takes_ordinary_agreement_as_consent_and_asks_the_safety_question_next():
    events, _ = run(form.ValidateIntakeForm(), tracker("go for it", {"requested_slot": "consent"}))
    set_ = slot_events(events)
    assert set_["consent"] is True and set_["requested_slot"] == "neuro_symptoms"


def test_a_misunderstood_consent_is_asked_again_with_buttons_never_taken_as_a_refusal():
    slots = {"requested_slot": "consent"}
    events, said = run(form.ValidateIntakeForm(), tracker("hmm what", slots))
    set_ = slot_events(events)
    assert set_.get("consent") is None and set_["requested_slot"] == "consent"
    slots.update(set_)
    _, asked = run(form.ASK_ACTIONS["consent"](), tracker("hmm what", slots))
    assert [b["title"] for b in asked[-1]["buttons"]] == ["Yes", "No"]


def test_a_doubtful_red_flag_keeps_the_question_open_with_a_check_and_its_buttons():
    slots = {"consent": True, "requested_slot": "neuro_symptoms"}
    events, _ = run(form.ValidateIntakeForm(), tracker("maybe my leg is a bit numb?", slots))
    set_ = slot_events(events)
    assert set_["requested_slot"] == "neuro_symptoms" and set_["pending_check"]["safety"] is True
    slots.update(set_)
    _, asked = run(form.ASK_ACTIONS["neuro_symptoms"](), tracker("", slots))
    assert "right now" in asked[-1]["text"]
    assert [b["title"] for b in asked[-1]["buttons"]] == ["Yes, right now", "No, not now", "I'm not sure"]


def test_a_clear_red_flag_said_as_a_question_is_read_not_passed_over():
    slots = {"consent": True, "neuro_symptoms": [], "requested_slot": "affected_side"}
    events, said = run(form.ValidateIntakeForm(),
                       tracker("is it normal that my arm has gone weak since lunch?", slots, intent="faq"))
    assert slot_events(events)["neuro_symptoms"] == ["limb_weakness"]
    assert any("119" in (m.get("text") or "") for m in said)


def test_crisis_words_in_a_practical_question_get_the_crisis_response_before_any_answer():
    slots = {"consent": True, "neuro_symptoms": [], "requested_slot": "onset"}
    events, said = run(safety.ActionCheckSafety(),
                       tracker("what are your opening hours, I don't want to be alive anymore", slots,
                               intent="faq", response="utter_faq/opening_hours"))
    set_ = slot_events(events)
    assert set_["self_harm_risk"] is True and set_["safety_stop"] is True
    assert "109" in said[0]["text"]


def test_a_practical_question_without_danger_goes_on_to_its_answer():
    slots = {"consent": True, "neuro_symptoms": [], "requested_slot": "onset"}
    events, said = run(safety.ActionCheckSafety(), tracker("where do I park?", slots, intent="faq"))
    assert slot_events(events) == {"safety_stop": False} and said == []


def test_indirect_signs_in_a_first_message_ask_the_direct_question_first():
    events, said = run(moves.ActionStartIntake(),
                       tracker("my face dropped last week and honestly I feel like a burden to everyone", {},
                               active_loop=None))
    set_ = slot_events(events)
    assert set_["crisis_cue"] is True and not set_.get("self_harm_risk")
    slots = {"consent": True, "neuro_symptoms": [], **set_}
    assert interview.next_question(slots) == "self_harm_check"


def test_a_goal_that_says_stop_is_a_goal_and_a_bare_stop_is_a_stop():
    slots = {"consent": True, "neuro_symptoms": [], "requested_slot": "goals"}
    assert not form.is_interruption(tracker("I want the ringing to stop, it drives me mad", slots,
                                            intent="stop_intake"), "goals")
    assert form.is_interruption(tracker("stop please", slots, intent="stop_intake"), "goals")


def test_not_understanding_the_question_is_no_stop_and_the_question_is_put_another_way():
    slots = {"consent": True, "neuro_symptoms": [], "requested_slot": "synkinesis"}
    assert not form.is_interruption(tracker("sorry, I don't follow the question", slots, intent="stop_intake"),
                                    "synkinesis")
    events, said = run(form.ValidateIntakeForm(), tracker("sorry, I don't follow the question", slots,
                                                          intent="stop_intake"))
    assert any((m.get("text") or "").startswith("Let me put it another way.") for m in said)
    assert slot_events(events).get("synkinesis") is None and slot_events(events).get("stage") != "stopped"


def test_a_request_for_a_person_with_crisis_words_gets_the_crisis_message_too():
    slots = {"consent": True, "neuro_symptoms": [], "requested_slot": "onset"}
    events, said = run(moves.ActionHandoff(), tracker("I need a real person, I want to end it all", slots,
                                                      intent="request_human"))
    assert slot_events(events)["self_harm_risk"] is True
    assert "109" in said[0]["text"]
