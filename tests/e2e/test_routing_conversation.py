"""Emergencies, crisis language, handoff and misunderstandings in the middle of the form."""
from __future__ import annotations

import pytest

from tests.e2e.test_conversation import Chat

pytestmark = pytest.mark.bot


def test_emergency_mid_form_interrupts_and_saves(running_bot):
    chat = Chat(running_bot, "emergency")
    chat.through_screen()
    chat.say("left")
    replies = chat.say("a little, but now my arm has gone weak and I can't get my words out")
    assert any("emergency" in r.lower() or "119" in r for r in replies)
    assert chat.asked is None
    summary = chat.summary()
    assert summary["status"] == "emergency"
    assert {"limb_weakness", "speech_or_language_problem"} <= set(summary["history"]["neuro_symptoms"])
    assert summary["triage"]["urgency"] == "emergency"
    assert "emergency_department" in summary["triage"]["clinics"]
    assert summary["history"]["affected_side"] == "left"     # what was collected so far is kept


def test_crisis_language_mid_form_gets_the_crisis_message(running_bot):
    chat = Chat(running_bot, "crisis")
    chat.through_screen()
    replies = chat.say("left. honestly I don't want to live like this any more")
    assert any("109" in r for r in replies)
    summary = chat.summary()
    assert summary["status"] == "emergency" and summary["history"]["self_harm_risk"] is True
    assert {"emergency_department", "psychology"} <= set(summary["triage"]["clinics"])
    assert any(r["rule"] == "R0-CRISIS" for r in summary["triage"]["reasons"])


def test_handoff_mid_form(running_bot):
    chat = Chat(running_bot, "handoff")
    chat.through_screen()
    chat.say("right")
    replies = chat.say("can I speak to a real person please")
    assert any("contact" in r for r in replies)
    assert chat.asked is None
    summary = chat.summary()
    assert summary["status"] == "handed_off" and summary["triage"]["handoff_requested"] is True
    assert summary["history"]["affected_side"] == "right"


def test_two_failed_tries_offer_a_person_and_move_on(running_bot):
    chat = Chat(running_bot, "twofail")
    chat.through_screen()
    chat.say("blorp")
    assert chat.asked == "affected_side"
    replies = chat.say("zzzz qqq")
    assert any("person" in r for r in replies)
    assert chat.asked == "paralysis_extent"
    summary = chat.summary()
    assert summary["triage"]["handoff_requested"] is True
    assert summary["history"]["affected_side"] == "unknown"


def test_eye_advice_comes_at_once(running_bot):
    chat = Chat(running_bot, "eye")
    chat.through_screen()
    chat.say("left")
    chat.say("a little")
    chat.say("3 weeks ago")
    chat.say("suddenly")
    chat.say("same")
    chat.say("no")
    chat.say("bell's palsy")
    chat.say("steroids")
    assert chat.asked == "eye_closure"
    replies = chat.say("it doesn't close all the way")
    assert any("protect" in r for r in replies)


def test_the_ending_names_urgency_clinics_and_next_steps(running_bot):
    chat = Chat(running_bot, "ending")
    chat.say("my right side dropped yesterday")
    chat.say("yes")
    for text in ["no", "a little", "suddenly", "same", "no", "no idea", "nothing", "yes fully", "none",
                 "no", "no", "no", "no", "smile", "Ada Testperson", "1 February 1990", "010 0000 4321",
                 "none"]:
        if chat.asked is None:
            break
        chat.say(text)
    assert chat.asked == "confirm"
    replies = " ".join(chat.say("yes that's right"))
    assert "1 to 3 days" in replies and "neurology" in replies and "contact you" in replies
    assert chat.summary()["status"] == "completed"
