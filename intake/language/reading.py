"""A message read once: everything the interview needs to know about what the patient wrote.

`read(text, today, asked)` runs the pipeline once and returns a `Reading`: the findings with
their context, the times (each bound to the event it dates), this episode's onset, whether the
message is a bare yes / no / "don't know", and any crisis language. The answer parsers, the
finder of volunteered facts and the crisis check all work from it, never from the text again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc

from intake.language.attribution import EPISODE_FIELDS, before_this_episode, bound_to_question, dated
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


@lru_cache(maxsize=512)
def read(text: str, today: date, asked: str | None = None) -> Reading:
    """Read `text`, said on `today` while `asked` was the open question."""
    text = text or ""
    matcher = default_matcher()
    doc = matcher.doc(text)
    times = tuple(bound_to_question(find_times(text, today), text, asked))
    fixed = ordinal_words_as_numbers(normalise(text))    # "yday", "2day morning", "the first of february"
    if fixed != text.lower():
        fixed_times = bound_to_question(find_times(fixed, today), fixed, asked)
        onset = find_onset(fixed, today, times=fixed_times) or find_onset(text, today, times=times)
    else:
        onset = find_onset(text, today, times=times)
    opening = _acknowledged(text)
    episode_onset = onset if asked not in EPISODE_FIELDS else None     # the answer to "what treatment" is this one's
    findings = tuple(before_this_episode(dated(f, doc, text, times, today), doc, text, times, episode_onset)
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


def padded_words(text: str) -> str:
    """The text's words after the spelling fixes, punctuation gone, a space either side (so a
    phrase matches whole words with `f" {phrase} " in words`)."""
    return " " + re.sub(r"[^\w' ]+", " ", normalise(text)) + " "


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
    whole = padded_words(text)
    if any(f" {phrase} " in whole for phrase in _reply_phrases()["dont_know"]):
        # "maybe, not sure": the doubt comes after a pause; but a doubt that ends in a plain no
        # ("... she moves her arms normally. So no, I think") is that no
        return "no" if closing == "no" else "dont_know"
    if closing in ("yes", "no") and _CONCLUSION.match(clause):
        return closing
    return None
