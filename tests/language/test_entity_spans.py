"""Entities of the project's spaCy pipeline as the annotation policy spans them (docs/nlu.md)."""
from __future__ import annotations

import pytest

from intake.language.pipeline import default_matcher
from intake.language.spans import is_bare_answer


def ents(text):
    doc = default_matcher().nlp(text)
    return [(e.label_, e.text) for e in doc.ents]


@pytest.mark.parametrize("text, expected", [
    # a time with its preposition or approximator, without hedges, "now" or a clause after it
    ("I've got pins and needles in my hand since this morning", ("time", "since this morning")),
    ("early this morning", ("time", "early this morning")),
    ("not sure exactly, maybe 2 weeks ago", ("time", "2 weeks ago")),
    ("it's been 6 weeks now", ("time", "6 weeks")),
    ("it started this morning when I woke up", ("time", "this morning")),
    ("it came on on wednesday night", ("time", "on wednesday night")),
    ("this has been going on for 8 years", ("time", "for 8 years")),
    ("in 2015", ("time", "in 2015")),                      # a bare year is no date of birth
    # birth after "since": a time (and "born with it" a cause: below)
    ("my teenage son has had it since birth", ("time", "since birth")),
    # symptoms without their organ, unless the organ is part of the name
    ("watery eye", ("eye_symptom", "watery")),
    ("blurry vision in that eye", ("eye_symptom", "blurry")),
    ("ringing in my ear", ("ear_symptom", "ringing")),
    ("my eye is red", ("eye_symptom", "red")),
    ("pain behind my ear", ("ear_symptom", "pain behind my ear")),
    ("ear pain", ("ear_symptom", "ear pain")),
    # sides
    ("right hand side", ("side", "right")),
    ("left hand side of my face", ("side", "left")),
    ("oops, I meant right", ("side", "right")),
    ("I put the wrong side, it's actually the right", ("side", "right")),
    # a lexicon phrase holding a word the spelling fixes rewrite still matches itself
    ("I took steroid tablets", ("treatment", "steroid tablets")),
])
def test_entity_spans(text, expected):
    assert expected in ents(text)


@pytest.mark.parametrize("text", [
    "prednisolone for 10 days",                 # how long a treatment was taken
    "yes, steroids for a week from the GP",
    "my vision went double for a few minutes",  # how long a stroke sign lasted
])
def test_a_duration_of_something_else_is_no_onset(text):
    assert "time" not in {label for label, _ in ents(text)}


def test_the_palsy_s_own_duration_is_an_onset():
    assert ("time", "for 10 days") in ents("my face has been weak for 10 days")


@pytest.mark.parametrize("text", ["right you are", "exactly right", "everything looks right", "my right arm is fine"])
def test_right_as_correct_or_of_a_limb_is_no_side(text):
    assert "side" not in {label for label, _ in ents(text)}


def test_birth_is_a_time_after_since_or_from_and_a_cause_otherwise():
    assert ents("since birth") == [("time", "since birth")]
    assert ents("from birth") == [("time", "from birth")]
    assert {label for label, _ in ents("my son was born with it")} == {"cause"}


@pytest.mark.parametrize("text, bare", [
    ("car accident", True), ("late last night", True), ("a head injury", True), ("in 2015", True),
    ("did it rain yesterday", False), ("is the clinic open today", False), ("hello", False),
    ("my arm is weak", False),                  # red flags are kept anyway; they make no bare answer
])
def test_bare_answers(text, bare):
    assert is_bare_answer(default_matcher().nlp(text)) is bare


@pytest.mark.parametrize("text, expected", [
    ("I had botox on the good side", ("treatment", "botox")),      # "good" reassures symptoms, not treatments
    ("smile surgery with a muscle from my leg", ("treatment", "smile surgery")),
    ("I had a cross facial nerve graft as a child", ("treatment", "cross facial nerve graft")),
    ("mirror therapy with a facial therapist", ("treatment", "mirror therapy")),
])
def test_treatments(text, expected):
    assert expected in ents(text)


def test_a_probable_stroke_sign_is_a_stroke_sign():
    """Safety: "probably" does not make a red flag uncertain (an uncertain one only raises urgency)."""
    found = [f for f in default_matcher().find("my arm is probably weak", asked="neuro_symptoms")
             if f.field == "neuro_symptoms"]
    assert found and all(f.positive for f in found)
