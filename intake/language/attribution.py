"""What each time in a message dates, and which findings a time makes past or another episode's.

The language layer reads times (times.py) and findings with their context (context.py) apart;
this binds the two, ConText's temporality for patients' words: a symptom dated long ago is
historical, a red flag there "for two years" is long-standing (no new sign), a treatment dated
well before this onset was an earlier episode's, and the open question names the event its
answer's times date ("Have you had it before?" -- "yes, in 2011").
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from intake.language import words
from intake.language.matching import Finding
from intake.language.times import Onset, TimeMention

# Symptoms a time far back dates are not now: "blisters in my ear in 2021", "my arm was weak in 2019".
# self_harm: words of suicide dated years back are asked about, not met with the crisis response
DATED_FIELDS = {"eye_symptoms", "ear_symptoms", "eating_problems", "neuro_symptoms", "self_harm"}
LONG_AGO_DAYS = 30
# A red flag there "for two years" is long-standing, not new: noted, never an emergency.
CHRONIC_DAYS = 180
# "since an accident in 1998", "ever since my op in 2015": the time dates an event the sign has lasted since
_SINCE_AN_EVENT = re.compile(r"\b(?:since|ever since|from)\s+(?:(?:an?|the|my|his|her|their)\s+)?(?:[\w'-]+\s+){0,3}$", re.I)
FRONTED_WORDS = 3        # at most this many words before a time that opens a sentence ("back in 2009, ...")
_STILL = ("since", "for", "ever since", "from")
_CLAUSE_MARKS = (".", "!", "?", "\n", ";", ",", " but ")
_SENTENCE_MARKS = (".", "!", "?", "\n", ";")
# Which words make a clause point back to another time, go on, or be new: words.yml.


def _span(text: str, start: int, marks: tuple[str, ...]) -> tuple[int, int]:
    lo = max((text.rfind(c, 0, start) for c in marks), default=-1) + 1
    hi = min((i for i in (text.find(c, start) for c in marks) if i >= 0), default=len(text))
    return lo, hi


def _fronted_time(text: str, sentence: tuple[int, int], lo: int, times: tuple[TimeMention, ...]) -> bool:
    """A time that opens the sentence ("In 2009, at my worst, I tried to end things") dates all of it."""
    return any(sentence[0] <= t.start < lo and len(text[sentence[0]:t.start].split()) <= FRONTED_WORDS
               for t in times)


def dated(f: Finding, doc: Doc, text: str, times: tuple[TimeMention, ...], today: date) -> Finding:
    """A symptom dated long ago (not "since" then) is historical; a red flag there "for" or "since"
    more than half a year is long-standing (historical too: not a new sign); a long-standing one
    said to be worse or new is asked about. The time must be in the symptom's clause, or in its
    sentence when the clause points back to it ("that time")."""
    start = doc[f.start].idx
    sentence = _span(text, start, _SENTENCE_MARKS)
    newly = words.says("newly", text[sentence[0]:sentence[1]])
    if f.chronic and newly:
        return replace(f, historical=False, chronic=False, past=True)     # long-standing, but worse: asked
    if f.field not in DATED_FIELDS or not f.positive:
        return f
    lo, hi = _span(text, start, _CLAUSE_MARKS)
    ongoing = words.says("ongoing", text[lo:hi])
    if words.says("that_time", text[lo:hi]) or _fronted_time(text, sentence, lo, times):
        lo, hi = sentence
    for t in times:
        if t.date is None or t.event == "treatment":
            continue
        age = (today - t.date).days
        still = t.text.lower().startswith(_STILL) or bool(_SINCE_AN_EVENT.search(text[max(0, t.start - 40):t.start]))
        if lo <= t.start < hi and age > LONG_AGO_DAYS and not still and not ongoing:
            return replace(f, historical=True)
        if f.field == "neuro_symptoms" and still and age > CHRONIC_DAYS and sentence[0] <= t.start < sentence[1] \
                and not newly:
            return replace(f, historical=True, chronic=True)
    return f


# A treatment dated well before this episode began was for an earlier one ("The first time was June
# 2011. The GP gave me steroids and it came back completely by September that year.").
EPISODE_FIELDS = {"prior_treatments"}
BEFORE_ONSET_DAYS = 30


def before_this_episode(f: Finding, doc: Doc, text: str, times: tuple[TimeMention, ...],
                        onset: Onset | None) -> Finding:
    if f.field not in EPISODE_FIELDS or not f.positive or onset is None or onset.date is None:
        return f
    lo, hi = _span(text, doc[f.start].idx, _SENTENCE_MARKS)
    for t in times:
        if lo <= t.start < hi and t.date is not None and not t.text.lower().startswith(_STILL) \
                and (onset.date - t.date).days > BEFORE_ONSET_DAYS:
            return replace(f, historical=True)
    return f


# A question about another event than this palsy: a time in its answer dates that event ("Yes, the
# left side in 2011"), unless the clause says it is this one ("and this time it started on Monday").
EVENT_OF_QUESTION = {"recurrence": "earlier_episode"}   # "this time" words: words.yml


def bound_to_question(times: list[TimeMention], text: str, asked: str | None) -> list[TimeMention]:
    """The times of an answer, each with the event the open question makes it date."""
    if asked == "onset" and not any(t.event == "onset" for t in times):
        # asked when the weakness began, a time said of something else is still the answer ("At the
        # stroke, three years ago"), unless it dates a treatment, an operation or an earlier episode
        other = next((t for t in times if t.event == "other"), None)
        return [replace(t, event="onset") if t is other else t for t in times]
    event = EVENT_OF_QUESTION.get(asked or "")
    if event is None:
        return times
    out = []
    for t in times:
        lo, hi = _span(text, t.start, _CLAUSE_MARKS)
        if t.event == "onset" and not t.since_birth and not words.says("this_time", text[lo:hi]):
            t = replace(t, event=event)
        out.append(t)
    return out
