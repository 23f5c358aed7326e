"""What a patient says about other questions than the one open.

"Left side since 3 weeks, after my parotid surgery" answers three questions at once;
they are filled from here so that they are not asked again. Only the lexicon's
specific `phrases` count (never the short `when_asked` ones), and only positive,
certain findings: a volunteered fact must be clear to be taken without asking.
"""
from __future__ import annotations

from typing import Any

from intake.language.pipeline import default_matcher
from intake.language.reading import Reading
from intake.parsing.answers import NONE_VALUE, onset_value
from intake.questions import Question, question, questions

RED_FLAGS = "neuro_symptoms"     # a sign in the past, not said to be gone, is checked, not taken


def volunteered(reading: Reading, asked: str | None = None) -> dict[str, Any]:
    """Field -> value for every volunteer-able field (other than `asked`) that the message states."""
    out: dict[str, Any] = {}
    if not reading.text.strip():
        return out
    own = set(question(asked).own_signs) if asked else set()     # "bit hard to talk", asked about speech
    found = [f for f in reading.findings if f.positive and not f.asked_only and not f.passing
             and not (f.field == RED_FLAGS and (f.past or (f.value in own and not f.listed)))
             and f.value != NONE_VALUE]
    for q in questions():
        if not q.volunteer or q.field == asked:
            continue
        if q.kind == "onset":
            value = onset_value(reading)
            if value is not None:
                out[q.field] = value
            continue
        values = [f.value for f in found if f.field == q.field]
        if not values:
            continue
        out[q.field] = _value_for(q, values)
    return out


def _value_for(q: Question, values: list[str]) -> Any:
    if q.kind == "multi":
        return list(dict.fromkeys(values))
    values = default_matcher().unbeaten(q.field, values)
    if q.pick == "first_listed":
        return min(values, key=lambda v: default_matcher().rank(q.field, v))
    return values[-1]
