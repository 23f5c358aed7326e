"""Turn a patient's free-text answer into the value of one intake field.

Every question kind is parsed here; the words themselves live in
`intake/language/lexicon/` and `replies.yml`, the questions in `questions.yml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from intake.language.terms import Finding, default_matcher, normalise
from intake.parsing import contact
from intake.parsing.onset import find_onset
from intake.questions import Question

UNKNOWN = "unknown"
REPLIES_FILE = Path(__file__).resolve().parent.parent / "language" / "replies.yml"
# A finding in a related field implies at least a mild difficulty ("food gets stuck" -> eating is harder).
IMPLIED_MILD = {"eating_difficulty": "eating_problems"}


@dataclass(frozen=True)
class Answer:
    """What one message said about one field."""

    value: Any = None
    understood: bool = False
    clarify: str | None = None       # a follow-up to ask instead of moving on

    @classmethod
    def of(cls, value: Any) -> "Answer":
        return cls(value=value, understood=True)


NOT_UNDERSTOOD = Answer()


@lru_cache(maxsize=1)
def _reply_phrases() -> dict[str, list[str]]:
    data = yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))
    return {str(k): sorted((normalise(str(p)) for p in v), key=len, reverse=True) for k, v in data.items()}


_FILLERS = re.compile(r"^\W*(?:(?:hmm+|um+|uh+|erm+|er|ah+|oh+|well|so|ok so|okay so)\b\W*)+")
_FIRST_CLAUSE = re.compile(r"^[\s\"'(]*([^.,;:!?\n]*)")


def reply_kind(text: str) -> str | None:
    """'yes', 'no' or 'dont_know' when the answer's first clause is such a reply, else None."""
    text = _FILLERS.sub("", normalise(text))        # "hmm, not that I have noticed"
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
    whole = " " + re.sub(r"[^\w' ]+", " ", normalise(text)) + " "
    if any(f" {phrase} " in whole for phrase in _reply_phrases()["dont_know"]):
        return "dont_know"     # "maybe, not sure": the doubt comes after a pause
    return None


def findings(text: str, field: str, asked: str | None) -> list[Finding]:
    return [f for f in default_matcher().find(text, asked=asked) if f.field == field]


def parse_answer(q: Question, text: str, today: date) -> Answer:
    """Parse `text` as the answer to question `q`, said on `today`."""
    text = text or ""
    if not text.strip():
        return NOT_UNDERSTOOD
    parser = _PARSERS[q.kind]
    return parser(q, text, today)


def _from_reply(q: Question, reply: str | None) -> Answer | None:
    """A bare yes / no / don't know, read through the question's own `replies`."""
    if reply is None:
        return None
    meaning = q.replies.get(reply)
    if isinstance(meaning, dict) and "clarify" in meaning:
        return Answer(clarify=meaning["clarify"])
    if meaning is not None:
        return Answer.of(meaning)
    if reply == "dont_know":
        return Answer.of(UNKNOWN)
    return None


def _parse_yes_no(q: Question, text: str, today: date) -> Answer:
    reply = reply_kind(text)
    meaning = q.replies.get(reply) if reply else None
    if isinstance(meaning, dict) and "clarify" in meaning:
        return Answer(clarify=meaning["clarify"])
    if reply == "yes":
        return Answer.of(True)
    if reply == "no":
        return Answer.of(False)
    return NOT_UNDERSTOOD


def _pick(q: Question, found: list[Finding]) -> str:
    if q.pick == "first_listed":
        return min(found, key=lambda f: default_matcher().rank(q.field, f.value)).value
    if q.pick == "highest":
        return max(found, key=lambda f: default_matcher().rank(q.field, f.value)).value
    return found[-1].value


def _parse_choice(q: Question, text: str, today: date) -> Answer:
    lex_field = q.field
    found = findings(text, lex_field, asked=q.field)
    positive = [f for f in found if f.positive]
    reply = reply_kind(text)
    if reply == "dont_know" and not [f for f in positive if not f.asked_only]:
        return Answer.of(UNKNOWN)
    if positive:
        specific = [f for f in positive if not f.asked_only]     # "left side" beats a passing "the right"
        return Answer.of(_pick(q, specific or positive))
    implied = IMPLIED_MILD.get(q.field)
    if implied and any(f.positive for f in findings(text, implied, asked=implied)):
        return Answer.of("mild")
    if any(f.uncertain for f in found):
        return Answer.of(UNKNOWN)
    return _from_reply(q, reply) or NOT_UNDERSTOOD


def _parse_multi(q: Question, text: str, today: date) -> Answer:
    found = findings(text, q.field, asked=q.field)
    values = list(dict.fromkeys(f.value for f in found if f.positive))
    reply = reply_kind(text)
    if values:
        return Answer.of(values)
    if reply == "dont_know" or any(f.uncertain for f in found):
        return Answer.of(UNKNOWN)
    if reply == "no" or (found and all(f.negated for f in found)):
        return Answer.of([])
    return _from_reply(q, reply) or (
        Answer(clarify="Which ones? A few words are enough.") if reply == "yes" else NOT_UNDERSTOOD)


def _parse_tri(q: Question, text: str, today: date) -> Answer:
    found = findings(text, q.field, asked=q.field)
    reply = reply_kind(text)
    if reply == "dont_know":
        return Answer.of(UNKNOWN)
    if any(f.positive and f.value == "yes" for f in found):
        return Answer.of("yes")
    if (reply == "no" or any(f.positive and f.value == "no" for f in found)
            or (found and all(f.negated for f in found))):
        return Answer.of("no")
    if reply == "yes":
        return Answer.of("yes")
    if any(f.uncertain for f in found):
        return Answer.of(UNKNOWN)
    return NOT_UNDERSTOOD


def onset_value(text: str, today: date) -> dict | None:
    """The onset slot value for `text`, or None when it states no time."""
    found = find_onset(text, today) or find_onset(normalise(text), today)   # "3 weaks ago"
    if found is None:
        return None
    return {
        "text": text.strip(),
        "date": found.date.isoformat() if found.date else None,
        "days_since_onset": found.days_since_onset,
        "since_birth": found.since_birth,
        "approximate": found.approximate,
        "said_on": today.isoformat(),
    }


def _parse_onset(q: Question, text: str, today: date) -> Answer:
    value = onset_value(text, today)
    if value is not None:
        return Answer.of(value)
    if reply_kind(text) == "dont_know":
        return Answer.of({"text": text.strip(), "date": None, "days_since_onset": None,
                          "since_birth": False, "unknown": True, "said_on": today.isoformat()})
    return NOT_UNDERSTOOD


_HAS_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def _parse_text(q: Question, text: str, today: date) -> Answer:
    if reply_kind(text) == "dont_know":
        return Answer.of(UNKNOWN)
    return Answer.of(text.strip()) if _HAS_LETTERS.search(text) else NOT_UNDERSTOOD


def _contact(parse):
    def parser(q: Question, text: str, today: date) -> Answer:
        value = parse(text, today) if parse is contact.parse_date_of_birth else parse(text)
        if value is not None:
            return Answer.of(value.isoformat() if isinstance(value, date) else value)
        reply = reply_kind(text)
        if q.field in {"email", "phone"} and reply in {"no", "dont_know"}:
            return Answer.of(UNKNOWN)      # the patient has none or won't say: move on
        if q.field == "date_of_birth" and reply == "dont_know":
            return Answer.of(UNKNOWN)
        return NOT_UNDERSTOOD
    return parser


_PARSERS = {
    "yes_no": _parse_yes_no,
    "choice": _parse_choice,
    "multi": _parse_multi,
    "tri": _parse_tri,
    "onset": _parse_onset,
    "text": _parse_text,
    "name": _contact(contact.parse_name),
    "date_of_birth": _contact(contact.parse_date_of_birth),
    "phone": _contact(contact.parse_phone),
    "email": _contact(contact.parse_email),
}
