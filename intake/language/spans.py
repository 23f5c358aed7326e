"""Entity spans for Rasa: the positive clinical terms and the onset time, as the annotation
policy spans them (docs/nlu.md), so that `rasa test nlu` measures the pipeline's findings.

The actions do not read these: they read the findings themselves (`intake.language.reading`).
"""
from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc, Span

from intake.language.lexicon import ENTITY_OF
from intake.language.matching import Finding
from intake.language.times import Onset, find_onset, find_times

SIDE_WORDS = {"left", "right", "both", "bilateral"}


def entities(doc: Doc, found: list[Finding]) -> list[Span]:
    """Positive findings of the clinical-term fields, plus the onset time, without overlaps.

    Spans follow the annotation policy (docs/nlu.md): the words that name the term, so the
    side word itself ("on the [left]") and a symptom without its organ ("[watery] eye").
    """
    spans = []
    short = len(doc) <= SHORT_ANSWER_TOKENS        # "left", "the right one": an answer on its own
    for f in found:
        if f.field not in ENTITY_OF or not f.positive:
            continue
        if f.asked_only and not (short and f.field == "affected_side"):
            continue
        start, end = f.start, f.end
        if f.field == "affected_side":               # the side word itself, not "on the left"
            words = [i for i in range(start, end) if doc[i].norm_ in SIDE_WORDS or doc[i].norm_ == "sides"]
            if words:
                start, end = words[0], words[-1] + 1
        elif ENTITY_OF[f.field] in ORGAN_TRIMMED:
            start, end = _without_organ(doc, start, end)
        spans.append(Span(doc, start, end, label=ENTITY_OF[f.field], kb_id=f.value))
    onset = _onset_span(doc, found)
    if onset is not None:
        spans = _settle_birth(onset, spans)
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def is_bare_answer(doc: Doc) -> bool:
    """Whether a message is nothing but clinical terms and times ("car accident", "late last
    night", "in 2015"): an answer, whatever intent a classifier gives it."""
    covered = {i for span in doc.ents if span.label_ != "red_flag" for i in range(span.start, span.end)}
    return bool(covered) and all(t.i in covered or t.is_punct or t.norm_ in BARE_ANSWER_FILLERS for t in doc)


def _without_organ(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A symptom without the organ around it: "[watery] eye", "[ringing] in my ear", "my eye is
    [red]"; the organ stays where it is part of the name ("ear pain", "pain behind my ear")."""
    words = [t.norm_ for t in doc[start:end]]
    for cut in range(1, len(words)):                  # a trailing "in my ear", or "eye" after its symptom
        tail = words[cut:]
        if tail[-1] not in ORGANS:
            break
        after_in = tail[0] in {"in", "of"} and all(w in ORGAN_LINKS for w in tail[:-1])
        if after_in or (len(tail) == 1 and words[cut - 1] not in ORGAN_LINKS | {"behind", "around"}):
            end = start + cut
            break
    for cut in range(1, end - start):                 # a leading "eye is", "my ear feels"
        head = [t.norm_ for t in doc[start:start + cut]]
        if head[-1] in ORGAN_VERBS and any(w in ORGANS for w in head) and all(
                w in ORGANS or w in ORGAN_LINKS or w in ORGAN_VERBS for w in head):
            return start + cut, end
    return start, end


def _settle_birth(onset: Span, spans: list[Span]) -> list[Span]:
    """Birth is a time or a cause by its words: "since birth" is when, "born with it" is why."""
    birth = [s for s in spans if s.label_ == "cause" and s.kb_id_ == "congenital"
             and s.start < onset.end and onset.start < s.end]
    if not birth:
        return spans + [onset]
    if onset.doc[onset.start].norm_ in BIRTH_TIME_LEAD:
        return [s for s in spans if s not in birth] + [onset]
    return spans


SHORT_ANSWER_TOKENS = 4
# Time spans: words taken in before the time ("[since] this morning", "[early] today"),
# hedges left out ("maybe [2 weeks ago]"), words cut from its end ("6 weeks [now]") and
# words that start a clause after it ("this morning [when I woke up]").
TIME_LEAD = {"since", "from", "in", "on", "at", "early", "late", "just", "about", "around", "approximately",
             "roughly", "nearly", "almost", "sometime", "sinse"}
TIME_PREPOSITIONS = {"since", "from", "in", "on", "at", "for", "during", "over", "sinse"}
HEDGES = {"maybe", "perhaps", "probably", "possibly"}
TIME_TAIL = {"now", "already"}
TIME_CLAUSE_STARTS = {"when", "while", "and", "but"}
BIRTH_TIME_LEAD = {"since", "from"}
# Words a bare answer may hold besides its terms: "a car accident", "it was in 2015".
BARE_ANSWER_FILLERS = {"a", "an", "the", "my", "his", "her", "their", "it", "it's", "was", "is", "just", "only",
                       "and", "or", "of", "i", "think", "um", "er", "oh", "well"}
# Symptom entities leave out the organ they are of: "[watery] eye", "[ringing] in my ear".
ORGAN_TRIMMED = {"eye_symptom", "ear_symptom"}
ORGANS = {"eye", "eyes", "ear", "ears", "vision"}
ORGAN_LINKS = {"in", "of", "my", "his", "her", "their", "the", "that", "this", "both"}
ORGAN_VERBS = {"is", "are", "feels", "feel", "'s"}
ONSET_CUES = {"since", "ago", "started", "start", "began", "begin", "after", "happened", "from", "back", "when",
              "face", "palsy", "weak", "weakness", "dropped", "droop", "paralysed", "sinse"}


def _looks_like_birth_date(doc: Doc, found) -> bool:
    """A bare full date (day and year) years ago, with nothing about the face: a date of birth,
    not an onset."""
    years_ago = (found.days_since_onset or 0) / 365.25
    has_year = any(len(t.text) == 4 and t.text.isdigit() for t in doc)
    has_day = any(re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", t.lower_) for t in doc)
    full_date = (has_year and has_day) or re.search(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", doc.text)   # not a bare year ("in 2015")
    return bool(full_date) and years_ago > 5 and not ({t.norm_ for t in doc} & ONSET_CUES)


def _onset_span(doc: Doc, found: list[Finding]) -> Span | None:
    """When the palsy began, as the annotation policy spans it: with its preposition and
    approximators ("[since this morning]", "[early this morning]"), without hedges, a
    trailing "now" or a clause after it; and not how long a treatment was taken or a
    stroke sign lasted ("prednisolone for 10 days", "vision went double for a minute")."""
    onset = find_onset(doc.text, date.today()) or _any_time(doc.text)
    if onset is None or not onset.text:
        return None
    if _looks_like_birth_date(doc, onset):
        return None
    at = doc.text.lower().find(onset.text.lower())
    if at < 0:
        return None
    span = doc.char_span(at, at + len(onset.text), alignment_mode="expand")
    if span is None:
        return None
    start, end = span.start, span.end
    if start > 0 and doc[start].norm_ not in TIME_PREPOSITIONS and doc[start - 1].norm_ in TIME_LEAD:
        start -= 1
    while end - start > 1 and doc[start].norm_ in HEDGES:
        start += 1
    cut = next((i for i in range(start + 1, end) if doc[i].norm_ in TIME_CLAUSE_STARTS), end)
    end = cut
    while end - start > 1 and (doc[end - 1].norm_ in TIME_TAIL or doc[end - 1].is_punct):
        end -= 1
    if doc[start].norm_ == "for" and _lasting_of(found, start):
        return None
    return Span(doc, start, end, label="time")


def _any_time(text: str):
    """With no onset, the time the annotation policy still marks (an appointment's "on friday"),
    but not how long a treatment lasted."""
    today = date.today()
    times = [t for t in find_times(text, today) if t.event != "treatment"]
    if not times:
        return None
    best = max(times, key=lambda t: (t.anchored, -t.start, t.end))
    return Onset(best.text, best.date, (today - best.date).days if best.date else None, best.since_birth)


def _lasting_of(found: list[Finding], start: int) -> bool:
    """Whether a "for ..." time right after a treatment or a red flag is how long that lasted."""
    return any(ENTITY_OF.get(f.field) in {"treatment", "red_flag"} and not f.asked_only and 0 <= start - f.end <= 2
               for f in found)
