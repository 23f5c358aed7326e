"""A message read once: everything the interview needs to know about what the patient wrote.

`read(text, today, asked)` runs the pipeline once and returns a `Reading`: the findings with
their context, the times (each bound to the event it dates), this episode's onset, whether the
message is a bare yes / no / "don't know", and any crisis language. The answer parsers, the
finder of volunteered facts and the crisis check all work from it, never from the text again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc

from intake.language.crisis_meaning import crisis_sentence
from intake.language.lexicon import context_rules, normalise
from intake.language.matching import Finding
from intake.language.pipeline import default_matcher
from intake.language.times import Onset, TimeMention, find_onset, find_times, ordinal_words_as_numbers

REPLIES_FILE = Path(__file__).resolve().parent / "replies.yml"
CRISIS_FIELD = "self_harm"
CONTACT_FIELDS = {"patient_name", "date_of_birth", "phone", "email"}    # not read for meaning (its cost)


@dataclass(frozen=True)
class Reading:
    text: str
    asked: str | None
    today: date
    doc: Doc
    findings: tuple[Finding, ...]       # every finding; `when_asked` ones only for the open question
    reply: str | None                   # "yes", "no", "dont_know" when the message is such a reply
    times: tuple[TimeMention, ...]      # every time expression, with the event it dates
    onset: Onset | None                 # this episode's onset, when the message states it

    def of(self, field: str) -> list[Finding]:
        return [f for f in self.findings if f.field == field]

    def positive(self, field: str) -> list[Finding]:
        return [f for f in self.findings if f.field == field and f.positive]

    @property
    def crisis(self) -> str | None:
        """"explicit" for plain words of suicide or self-harm, "indirect" for signs of them
        (hopelessness, feeling a burden, a wish not to wake up: the lexicon's phrases, or a sentence
        whose meaning is near them, crisis_meaning.py), None for neither."""
        listed = self.listed_crisis
        if listed:
            return listed
        denied = [self.sentence_of(f).lower() for f in self.of(CRISIS_FIELD)]   # "I'm not suicidal"

        def not_read(sentence: str) -> bool:      # denied, or someone's death or a distant past
            low = sentence.lower()
            return _not_now(sentence) or any(low in d or d in low for d in denied if d)
        if self.asked in CONTACT_FIELDS:
            return None                           # a name, a date, a number: the lexicon reads those alone
        return "indirect" if crisis_sentence(self.text, skip=not_read) else None   # in words nobody listed: ask

    @property
    def listed_crisis(self) -> str | None:
        """The lexicon's tier alone (self_harm.yml): "explicit", "indirect" or None."""
        found = [f for f in self.of(CRISIS_FIELD) if not f.negated and not f.other_person]
        if any(f.value == "explicit" and f.positive and not f.past and not _not_now(self.sentence_of(f))
               for f in found):
            return "explicit"
        return "indirect" if found else None      # an explicit word in the past or in doubt: ask

    def sentence_of(self, finding: Finding) -> str:
        """The words of the sentence a finding stands in (the patient's own words about it)."""
        return _sentence(self.doc, finding.start)


def lexicon_crisis(text: str) -> str | None:
    """Crisis language the lexicon names in `text` (read with no question open)."""
    return read(text, date.today(), None).listed_crisis


@lru_cache(maxsize=2)
def _crisis_pattern(key: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in context_rules()[key]), re.IGNORECASE)


def _not_now(sentence: str) -> bool:
    """Plain words of suicide about someone's death or a distant past, not meant now (context.yml
    `crisis_not_now`, `crisis_still_now`)."""
    return bool(_crisis_pattern("crisis_not_now").search(sentence)) and \
        not _crisis_pattern("crisis_still_now").search(sentence)


def _sentence(doc: Doc, i: int) -> str:
    ends = {".", "!", "?", ";", "\n"}
    start = i
    while start > 0 and doc[start - 1].text not in ends and "\n" not in doc[start - 1].text:
        start -= 1
    end = i
    while end < len(doc) and doc[end].text not in ends and "\n" not in doc[end].text:
        end += 1
    return doc[start:end].text.strip(" ,")


# Symptoms a time far back dates are not now: "blisters in my ear in 2021", "my arm was weak in 2019".
DATED_FIELDS = {"eye_symptoms", "ear_symptoms", "eating_problems", "neuro_symptoms"}
LONG_AGO_DAYS = 30
# A red flag there "for two years" is long-standing, not new: noted, never an emergency.
CHRONIC_DAYS = 180
_STILL = ("since", "for", "ever since", "from")
_CLAUSE_MARKS = (".", "!", "?", "\n", ";", ",", " but ")
_SENTENCE_MARKS = (".", "!", "?", "\n", ";")
# Words that point back to a time told elsewhere in the sentence ("10 years ago, I had a small
# stroke, my arm was weak that time"): the clause takes the sentence's time.
_THAT_TIME = re.compile(r"\b(?:that time|at the time|at that time|back then|those days|then)\b", re.I)
# A clause that says the symptom goes on ("my hearing has got worse this year and there's a ringing"):
# its time is when it began or grew, not a past it is over.
_ONGOING = re.compile(r"\b(?:has|have|'s|'ve)\s+(?:got|gotten|become|been|started|begun)\b"
                      r"|\b(?:still|now|keeps|getting|there's|there is|there are)\b", re.I)
# Words that keep a long-standing sign new ("weak for years but much worse since Monday").
_NEWLY = re.compile(r"\b(?:worse|new|newly|again|suddenly|today|yesterday|this week|right now|since (?:this|last|yesterday"
                    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)


def _span(text: str, start: int, marks: tuple[str, ...]) -> tuple[int, int]:
    lo = max((text.rfind(c, 0, start) for c in marks), default=-1) + 1
    hi = min((i for i in (text.find(c, start) for c in marks) if i >= 0), default=len(text))
    return lo, hi


def _dated(f: Finding, doc: Doc, text: str, times: tuple[TimeMention, ...], today: date) -> Finding:
    """A symptom dated long ago (not "since" then) is historical; a red flag there "for" or "since"
    more than half a year is long-standing (historical too: not a new sign); a long-standing one
    said to be worse or new is asked about. The time must be in the symptom's clause, or in its sentence when the clause
    points back to it ("that time")."""
    start = doc[f.start].idx
    sentence = _span(text, start, _SENTENCE_MARKS)
    if f.chronic and _NEWLY.search(text[sentence[0]:sentence[1]]):
        return replace(f, historical=False, chronic=False, past=True)     # long-standing, but worse: asked
    if f.field not in DATED_FIELDS or not f.positive:
        return f
    lo, hi = _span(text, start, _CLAUSE_MARKS)
    ongoing = bool(_ONGOING.search(text[lo:hi]))
    if _THAT_TIME.search(text[lo:hi]):
        lo, hi = sentence
    for t in times:
        if t.date is None or t.event == "treatment":
            continue
        age = (today - t.date).days
        still = t.text.lower().startswith(_STILL)
        if lo <= t.start < hi and age > LONG_AGO_DAYS and not still and not ongoing:
            return replace(f, historical=True)
        if f.field == "neuro_symptoms" and still and age > CHRONIC_DAYS and sentence[0] <= t.start < sentence[1] \
                and not _NEWLY.search(text[sentence[0]:sentence[1]]):
            return replace(f, historical=True, chronic=True)
    return f


# A treatment dated well before this episode began was for an earlier one ("The first time was June
# 2011. The GP gave me steroids and it came back completely by September that year.").
EPISODE_FIELDS = {"prior_treatments"}
BEFORE_ONSET_DAYS = 30


def _before_this_episode(f: Finding, doc: Doc, text: str, times: tuple[TimeMention, ...],
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
EVENT_OF_QUESTION = {"recurrence": "earlier_episode"}
_THIS_TIME = re.compile(r"\b(?:this\s+time|this\s+one|now|currently|this\s+episode)\b", re.I)


def _bound_to_question(times: list[TimeMention], text: str, asked: str | None) -> list[TimeMention]:
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
        if t.event == "onset" and not t.since_birth and not _THIS_TIME.search(text[lo:hi]):
            t = replace(t, event=event)
        out.append(t)
    return out


@lru_cache(maxsize=512)
def read(text: str, today: date, asked: str | None = None) -> Reading:
    """Read `text`, said on `today` while `asked` was the open question."""
    text = text or ""
    matcher = default_matcher()
    doc = matcher.doc(text)
    times = tuple(_bound_to_question(find_times(text, today), text, asked))
    fixed = ordinal_words_as_numbers(normalise(text))    # "yday", "2day morning", "the first of february"
    if fixed != text.lower():
        fixed_times = _bound_to_question(find_times(fixed, today), fixed, asked)
        onset = find_onset(fixed, today, times=fixed_times) or find_onset(text, today, times=times)
    else:
        onset = find_onset(text, today, times=times)
    opening = _acknowledged(text)
    episode_onset = onset if asked not in EPISODE_FIELDS else None     # the answer to "what treatment" is this one's
    findings = tuple(_before_this_episode(_dated(f, doc, text, times, today), doc, text, times, episode_onset)
                     for f in doc._.findings
                     if (not f.asked_only or f.field == asked) and not (f.topic and doc[f.start].idx < opening))
    return Reading(text, asked, today, doc, findings, reply_kind(text), times, onset)


# ---------------------------------------------------------------- yes, no, don't know

@lru_cache(maxsize=1)
def _reply_phrases() -> dict[str, list[str]]:
    data = yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))
    return {str(k): sorted((normalise(str(p)) for p in v), key=len, reverse=True) for k, v in data.items()}


_FILLERS = re.compile(r"^\W*(?:(?:hmm+|um+|uh+|erm+|er|ah+|oh+|well|so|ok so|okay so)\b\W*)+")
_FIRST_CLAUSE = re.compile(r"^[\s\"'(]*([^.,;:!?\n]*)")
_LAST_CLAUSE = re.compile(r"(?<=[.,;:!?\n])\s*([^.,;:!?\n]+)[.!?\s]*$")


@lru_cache(maxsize=1)
def _acknowledgement() -> re.Pattern:
    phrases = "|".join(re.escape(p) for p in _reply_phrases().get("acknowledge", []))
    return re.compile(rf"^\W*(?:(?:{phrases})\b[\s,.;:!-]*)+(?=\w)")


def _acknowledged(text: str) -> int:
    """Where an opening acknowledgement clause ends ("I see.", "Oh I see, ..."): a topic word in it
    ("see") names nothing. 0 when there is none."""
    phrases = "|".join(re.escape(p) for p in _reply_phrases().get("acknowledge", []))
    m = re.match(rf"^\W*(?:(?:{phrases})\b\W*?)+(?:[,.;:!?]|$)", text.replace("’", "'"), re.I)
    return m.end() if m else 0


# Not understanding the question is no reply to it ("I don't really understand the question"): it is asked again.
_ABOUT_THE_QUESTION = re.compile(r"\b(?:understand|get|follow)\s+(?:the|your|this|that)\s+question\b"
                                 r"|\bwhat\s+(?:is|does)\s+(?:mean\s+)?[\w-]+\s+mean\b|\bwhat\s+is\s+mean\b"
                                 r"|\bwhat\s+do\s+you\s+mean\b|\bwhat\s+does\s+that\s+mean\b"
                                 r"|\b(?:understand|know)\s+what\s+you(?:'re|\s+are)\s+asking\b", re.I)


def about_the_question(text: str) -> bool:
    """"I don't understand the question", "what do you mean?": the question is to be put another way."""
    return bool(_ABOUT_THE_QUESTION.search(text or ""))


def reply_kind(text: str) -> str | None:
    """'yes', 'no' or 'dont_know' when the answer's first clause is such a reply, else None.
    An opening acknowledgement ("OK, then no, none of those") gives way to the reply after it."""
    if about_the_question(text):
        return None
    text = _FILLERS.sub("", normalise(text))        # "hmm, not that I have noticed"
    rest = _acknowledgement().sub("", text, count=1)
    if rest != text:
        after = _reply_of(rest)
        if after is not None:
            return after
    return _reply_of(text)


# Someone else cannot tell the person writing ("she's a baby, she can't tell me"): no doubt of theirs,
# unless what follows is the doubt ("he can't tell me if his hand is numb").
_CANNOT_TELL = re.compile(r"\b(?:can't|cannot|can not|couldn't|isn't able to|is not able to) (?:tell|say to|explain to)"
                          r" (?:me|us|you|anyone)\b(?! (?:if|whether|what|how|when|where|which|about))")
# A reply that closes the message as its conclusion ("she walks and eats as usual, so I'd say no").
_CONCLUSION = re.compile(r"^(?:so|then|therefore|thus|all in all|in short)\b")


def _reply_of(text: str) -> str | None:
    text = _CANNOT_TELL.sub(lambda m: "_" * len(m.group(0)), text)
    head = _FIRST_CLAUSE.match(text).group(1).strip()
    head = re.sub(r"\s+", " ", head)
    if not head:
        return None
    padded = f" {head} "
    if any(f" {phrase} " in padded for phrase in _reply_phrases()["dont_know"]):
        return "dont_know"     # "I really don't know" as well as "don't know"
    for kind in ("no", "yes"):
        for phrase in _reply_phrases()[kind]:
            if head == phrase or head.startswith(phrase + " "):
                return kind
    last = _LAST_CLAUSE.search(text)
    clause = last.group(1).strip() if last and last.start() > 0 else ""
    closing = _reply_of(_FILLERS.sub("", clause)) if clause else None
    whole = " " + re.sub(r"[^\w' ]+", " ", normalise(text)) + " "
    if any(f" {phrase} " in whole for phrase in _reply_phrases()["dont_know"]):
        # "maybe, not sure": the doubt comes after a pause; but a doubt that ends in a plain no
        # ("... she moves her arms normally. So no, I think") is that no
        return "no" if closing == "no" else "dont_know"
    if closing in ("yes", "no") and _CONCLUSION.match(clause):
        return closing
    return None
