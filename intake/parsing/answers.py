"""Turn a patient's answer into the value of one intake field, from the message's reading.

Every question kind is parsed here, from `intake.language.reading.Reading` (the message read
once); the words themselves live in `intake/language/lexicon/` and `replies.yml`, the questions
in `questions.yml`. An answer is understood, or asks for something: a clarification ("which of
them?"), or a confirmation of the likely reading ("Do you mean it is staying about the same?").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from intake import messages, readback
from intake.language import words
from intake.language.lexicon import load_lexicon, normalise
from intake.language.matching import Finding
from intake.language.pipeline import default_matcher
from intake.language.reading import Reading, padded_words, read
from intake.language.times import age_at_onset
from intake.parsing import contact
from intake.questions import Question

UNKNOWN = "unknown"
NONE_VALUE = "none"         # a lexicon value that says "none of these" for a list question
# A finding in a related field implies at least a mild difficulty ("food gets stuck" -> eating is harder).
IMPLIED_MILD = {"eating_difficulty": "eating_problems"}
LIKELY_SCORE = 86           # rapidfuzz partial_ratio a lexicon phrase needs to be offered as the likely reading


@dataclass(frozen=True)
class Confirm:
    """A reading to check with the patient before it is taken: "Do you mean ...?" with buttons."""

    value: Any
    question: str
    buttons: tuple[str, ...] = ("Yes", "No")
    safety: bool = False     # a red-flag or crisis check: an unclear reply never becomes a guess


@dataclass(frozen=True)
class Answer:
    """What one message said about one field."""

    value: Any = None
    understood: bool = False
    clarify: str | None = None       # a follow-up to ask instead of moving on
    confirm: Confirm | None = None   # a likely reading to confirm before taking it

    @classmethod
    def of(cls, value: Any) -> "Answer":
        return cls(value=value, understood=True)


NOT_UNDERSTOOD = Answer()


def parse_answer(q: Question, text: str, today: date) -> Answer:
    """Parse `text` as the answer to question `q`, said on `today`."""
    return answer_from(q, read(text or "", today, q.field))


def answer_from(q: Question, reading: Reading) -> Answer:
    """The answer to `q` in a message already read."""
    if not reading.text.strip():
        return NOT_UNDERSTOOD
    if q.field == "neuro_symptoms":
        return _parse_red_flags(q, reading)
    if q.field == "consent":
        return _parse_consent(q, reading)
    if q.field == "self_harm_check":
        return _parse_self_harm_check(reading)
    return _PARSERS[q.kind](q, reading)


def findings(reading: Reading, field: str) -> list[Finding]:
    return [f for f in reading.findings if f.field == field]


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


# ---------------------------------------------------------------- yes / no questions

@lru_cache(maxsize=1)
def _reply_phrases() -> dict[str, list[str]]:
    from intake.language.reading import _reply_phrases as phrases

    return phrases()


def _stance_phrases() -> dict[str, list[str]]:
    phrases = _reply_phrases()
    return {"agree": phrases.get("agree", []), "refuse": phrases.get("refuse", [])}


_AGREE_SIGNS = ("👍", "✅", "👌", "🙆", "✔", "☑", "🆗")


# Agreement that is not given yet: asked about ("who reads it?"), or put off ("before I say yes, ...").
_PUT_OFF = re.compile(r"\b(?:before|if|unless|until|should|do|would|must|can|will|when|what if)\s+(?:i|we)\s+"
                      r"(?:say|answer|agree|click|type|press|give)\b[\w' ]{0,20}", re.I)
_QUESTION = re.compile(r"[^.!?\n]*\?")


def _not_yet_said(text: str) -> str:
    """The message without its questions of more than a few words and its put-off agreements."""
    text = _PUT_OFF.sub(" ", text)
    return _QUESTION.sub(lambda m: m.group(0) if len(m.group(0).split()) <= 3 else " ", text)


def stance(text: str) -> str | None:
    """"agree" or "refuse" as the message's last word on it ("why? ... ok, fine, yes" agrees); words
    inside a question ("is it ok if my GP sees it?") or a put-off ("before I say yes") are not said."""
    words = padded_words(_not_yet_said(text))
    if words.strip() == "" and any(sign in (text or "") for sign in _AGREE_SIGNS):
        return "agree"                    # a thumbs-up and nothing else
    last: tuple[int, str] | None = None
    spans: list[tuple[int, int, str]] = []
    for kind in ("agree", "refuse"):
        for phrase in _stance_phrases()[kind]:
            for m in re.finditer(rf"(?<= ){re.escape(phrase)}(?= )", words):
                spans.append((m.start(), m.end(), kind))
    # the longest phrase wins where two overlap ("no problem" is agreement, not "no")
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    for start, _, kind in kept:
        if last is None or start > last[0]:
            last = (start, kind)
    return last[1] if last else None


def _parse_consent(q: Question, reading: Reading) -> Answer:
    """Ordinary words of agreement are consent; only a clear no is a refusal."""
    said = stance(reading.text)
    if said == "agree":
        return Answer.of(True)
    if said == "refuse":
        return Answer.of(False)
    return _parse_yes_no(q, reading)


def _parse_yes_no(q: Question, reading: Reading) -> Answer:
    reply = reading.reply
    meaning = q.replies.get(reply) if reply else None
    if isinstance(meaning, dict) and "clarify" in meaning:
        return Answer(clarify=meaning["clarify"])
    if reply == "yes":
        return Answer.of(True)
    if reply == "no":
        return Answer.of(False)
    return NOT_UNDERSTOOD


def _parse_self_harm_check(reading: Reading) -> Answer:
    """After signs of suicidal thoughts only a clear no is a no: yes, "I don't know", "sometimes" or
    anything unclear is the crisis pathway; a no that goes on with more signs, a hedge or a "but"
    is not a clear no (replies.yml `not_a_clear_no`)."""
    return Answer.of(not clear_no(reading))


def clear_no(reading: Reading) -> bool:
    """A no with nothing that unsays it: laughter or a reason to live around it is fine; a hedge, a
    "but", a later sentence starting "yes" or listed crisis words are not."""
    phrases = _reply_phrases()
    fillers = set(phrases.get("clear_no_fillers", []))
    sentences = [" ".join(w for w in re.sub(r"[^\w' ]+", " ", part).split() if w not in fillers)
                 for part in re.split(r"[.!?;\n]+", normalise(reading.text))]
    sentences = [f" {s} " for s in sentences if s]
    if not sentences:
        return False
    words = " ".join(sentences)
    no = reading.reply == "no" or sentences[0].split()[:1] in (["no"], ["nope"], ["nah"], ["n"]) \
        or any(f" {p} " in words for p in phrases.get("clear_no_phrases", []))      # "never" is a phrase
    admits = any(s.startswith(f" {a} ") for s in sentences[1:] for a in phrases.get("admission_starts", []))
    return no and not admits and reading.listed_crisis is None and \
        not any(f" {p} " in words for p in phrases.get("not_a_clear_no", []))


# ---------------------------------------------------------------- the red-flag screen

RED_FLAG_BUTTONS = ("Yes, right now", "No, not now", "I'm not sure")


def _parse_red_flags(q: Question, reading: Reading) -> Answer:
    """A clear current sign is an emergency at once; a negated or reassured list is "none";
    anything doubtful (maybe, in the past without being gone, something odd, an answer that is
    unsure of itself) is checked once; "not sure" with nothing named is R-UNSURE."""
    found = [f for f in findings(reading, q.field) if f.value != NONE_VALUE]
    # "arm", "yes my arm": a topic word alone names the sign; beside a word for a sign ("I keep
    # feeling dizzy") or in a longer answer ("I understand everything") it says nothing unless reassured
    bare = _bare(reading) and all(f.topic for f in found)
    signs = [f for f in found if not (f.topic and not bare and f.positive)]
    current = sorted({f.value for f in signs if f.positive and not f.past})
    hedged = reading.reply == "dont_know" or _asks_back(reading)
    if current and not hedged:
        return Answer.of(current)
    doubtful = sorted({f.value for f in signs if f.doubtful} | set(current))
    if doubtful:
        return Answer(confirm=red_flag_check(doubtful))
    if reading.reply == "dont_know":
        return Answer.of(UNKNOWN)
    said_none = any(f.value == NONE_VALUE and f.positive for f in findings(reading, q.field))
    absent = bool(signs) and all(not f.positive for f in signs)
    if reading.reply == "no" or said_none or absent:
        return Answer.of([])
    meaning = _from_reply(q, reading.reply)
    return meaning or NOT_UNDERSTOOD


BARE_WORDS = 4
_ASKS_BACK = re.compile(r"\b(?:is that what you mean|does that count|do you mean|is that it|would that count|is that one"
                        r"|is that a|does this count|is that relevant|is that what)\b[^.!]*\?\s*$", re.I)


def _asks_back(reading: Reading) -> bool:
    """An answer that ends by asking whether it is the answer ("... is that what you mean?")."""
    return bool(_ASKS_BACK.search(reading.text))


def _only_doubt(reading: Reading) -> bool:
    """Nothing but a "don't know" ("dont know", "I really don't know."): its "don't" is no answer."""
    words = padded_words(reading.text)
    for phrase in _reply_phrases()["dont_know"]:
        words = words.replace(f" {phrase} ", " ")
    return not set(words.split()) - {"i", "really", "honestly", "just", "sorry", "um", "hmm", "well", "tbh"}


def _bare(reading: Reading) -> bool:
    """A short answer of a few words ("arm", "yes, my arm"), where a topic word is the answer."""
    return sum(1 for t in reading.doc if t.is_alpha) <= BARE_WORDS


def red_flag_check(values: list[str]) -> Confirm:
    """"Do you have <these signs> right now?", with its buttons."""
    signs = readback.value_text("neuro_symptoms", values)
    return Confirm(values, messages.text("red_flag_check", signs=signs[:1].upper() + signs[1:]), RED_FLAG_BUTTONS,
                   safety=True)


def confirmation_reply(reading: Reading) -> str | None:
    """A reply to "Do you mean ...?": yes, no or don't know, from the reply words or a button."""
    if reading.reply in ("yes", "no", "dont_know"):
        return reading.reply
    text = normalise(reading.text).strip(" .!")
    if text.startswith(("yes", "yeah", "yep", "correct", "right now")):
        return "yes"
    if text.startswith(("no", "nope", "not now", "nah")):
        return "no"
    return None


# ---------------------------------------------------------------- choices and lists

def _pick(q: Question, found: list[Finding]) -> str:
    keep = set(default_matcher().unbeaten(q.field, [f.value for f in found]))
    found = [f for f in found if f.value in keep]
    if q.pick == "specific":          # the longest wording wins: "not fully, a gap when he closes it"
        longest = max(f.end - f.start for f in found)
        found = [f for f in found if f.end - f.start == longest]
    if q.pick == "first_listed":
        return min(found, key=lambda f: default_matcher().rank(q.field, f.value)).value
    if q.pick == "highest":
        return max(found, key=lambda f: default_matcher().rank(q.field, f.value)).value
    return found[-1].value


# A diagnosis beats a suspicion: what a clinician said or found, against a relative's worry or a search.
DIAGNOSED_FIELDS = {"cause"}
# A state told now beats one told of earlier in the same answer.
STATE_FIELDS = {"eye_closure", "paralysis_extent", "speech_difficulty", "eating_difficulty"}


def _part_of(reading: Reading, f: Finding, clauses: bool = False) -> str:
    """The finding's sentence, and of it the side of a "but" the finding stands on; with `clauses`,
    the side of a comma too ("it closes now, it didn't at first": a state told of two times)."""
    doc = reading.doc
    stops = {"but", ".", "!", "?", "\n", *((",", ";") if clauses else ())}

    def stop(i: int) -> bool:
        return doc[i].lower_ in stops or "\n" in doc[i].text
    lo = f.start
    while lo > 0 and not stop(lo - 1):
        lo -= 1
    hi = f.end
    while hi < len(doc) and not stop(hi):
        hi += 1
    return doc[lo:hi].text




def _diagnosed(reading: Reading, said: list[Finding]) -> list[Finding]:
    """Beside what a clinician said, a cause someone only believes or found online is dropped."""
    parts = {id(f): _part_of(reading, f) for f in said}
    told = [f for f in said if f.positive and words.says("clinician_said", parts[id(f)])]
    if not told:
        return said
    return [f for f in said if f in told or not words.says("suspected", parts[id(f)])]


def _as_it_is_now(reading: Reading, said: list[Finding]) -> list[Finding]:
    when = [(f, words.says("now", part), words.says("earlier", part)) for f in said
            for part in [_part_of(reading, f, clauses=True)]]
    now = [f for f, is_now, earlier in when if is_now and not earlier]
    then = [f for f, is_now, earlier in when if earlier and not is_now]
    return now if now and then else said


def _parse_choice(q: Question, reading: Reading) -> Answer:
    """One value. A guess counts ("hard to say, the same I guess" is unchanged): the patient's
    best reading beats "unknown"; only a bare "I don't know" is unknown."""
    found = findings(reading, q.field)
    implied = IMPLIED_MILD.get(q.field)
    if implied and any(f.positive for f in findings(reading, implied)) and \
            not any(f.positive and f.value in ("mild", "severe") for f in found):
        return Answer.of("mild")           # "she drinks ok but some milk comes out": a problem, however said
    if reading.reply == "dont_know" and (any(f.hypothetical for f in found) or _only_doubt(reading)):
        return Answer.of(UNKNOWN)          # "No one knows. My GP thought Bell's at first, but ...": a suspicion;
        #                                    "I don't know" (whose "don't" is no answer of its own)
    said = [f for f in found if f.positive] or [f for f in found if q.guess and f.uncertain and not f.negated
                                                 and not (f.hypothetical or f.other_person)]
    if said and not any(f.positive for f in said) and len({f.value for f in said}) > 1:
        return Answer.of(UNKNOWN)          # "maybe the same, maybe a little better": no one guess
    if said and q.field in DIAGNOSED_FIELDS:
        said = _diagnosed(reading, said)      # "my dad was convinced it was a stroke, but the GP said Bell's"
    if said and q.field in STATE_FIELDS:
        said = _as_it_is_now(reading, said)   # "now can close OK. first week cannot."
    if said:
        # "left side" beats a passing "the right"; a severity takes the highest said ("ok ... some spills")
        specific = [f for f in said if not f.asked_only] if q.pick != "highest" else said
        return Answer.of(_pick(q, specific or said))
    reply = reading.reply
    if reply == "dont_know":
        return Answer.of(UNKNOWN)
    return _from_reply(q, reply) or _likely(q, reading) or NOT_UNDERSTOOD


def _parse_multi(q: Question, reading: Reading) -> Answer:
    found = findings(reading, q.field)
    bare = _bare(reading)      # a topic word alone is the answer ("hearing"); in a longer one it names nothing
    values = list(dict.fromkeys(f.value for f in found if f.positive and f.value != NONE_VALUE
                                and not (f.topic and not bare)))
    reply = reading.reply
    if values:
        return Answer.of(values)
    if reply == "dont_know" or any(f.uncertain and not f.hypothetical for f in found if f.value != NONE_VALUE):
        return Answer.of(UNKNOWN)          # a treatment asked about ("do I need steroids?") is not one had
    said_none = any(f.value == NONE_VALUE and f.positive for f in found)
    if reply == "no" or said_none or (found and all(not f.positive for f in found)):
        return Answer.of([])
    return _from_reply(q, reply) or (
        Answer(clarify="Which ones? A few words are enough.") if reply == "yes" else NOT_UNDERSTOOD)


def _parse_tri(q: Question, reading: Reading) -> Answer:
    found = findings(reading, q.field)
    reply = reading.reply
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
    return _likely(q, reading) or NOT_UNDERSTOOD


@lru_cache(maxsize=64)
def _phrases_by_value(field: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    lexicon = load_lexicon(field)
    return tuple((str(value), tuple(normalise(str(p)) for kind in ("phrases", "when_asked")
                                    for p in (spec or {}).get(kind) or [] if len(str(p)) >= 4))
                 for value, spec in lexicon.items())


def _likely(q: Question, reading: Reading) -> Answer | None:
    """The value whose lexicon phrase the answer comes closest to, offered for a yes: a misspelt
    or unusual answer is checked, not guessed and not refused."""
    text = normalise(reading.text)
    if len(text) < 3:
        return None
    best: dict[str, float] = {}
    for value, phrases in _phrases_by_value(q.field):
        if value == NONE_VALUE and q.kind == "multi":
            continue
        score = max((fuzz.partial_ratio(p, text) for p in phrases if len(p) <= len(text) + 2), default=0)
        best[value] = score
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < LIKELY_SCORE or (len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 4):
        return None
    value = ranked[0][0]
    return Answer(confirm=Confirm(value, readback.confirm_question(q.field, value), ("Yes", "No")))


# ---------------------------------------------------------------- onset, text, contact details

def onset_value(reading: Reading) -> dict | None:
    """The onset slot value a message states, or None when it states no time."""
    found = reading.onset
    if found is None:
        at_age = age_at_onset(reading.text)
        if at_age is None:
            return None
        return {"text": reading.text.strip(), "date": None, "days_since_onset": None, "since_birth": False,
                "at_age": at_age, "approximate": True, "said_on": reading.today.isoformat()}
    return {
        "text": found.text,
        "date": found.date.isoformat() if found.date else None,
        "days_since_onset": found.days_since_onset,
        "since_birth": found.since_birth,
        "approximate": found.approximate,
        "said_on": reading.today.isoformat(),
    }


def _parse_onset(q: Question, reading: Reading) -> Answer:
    value = onset_value(reading)
    if value is not None:
        return Answer.of(value)
    if reading.reply == "dont_know":
        return Answer.of({"text": reading.text.strip(), "date": None, "days_since_onset": None,
                          "since_birth": False, "unknown": True, "said_on": reading.today.isoformat()})
    return NOT_UNDERSTOOD


_HAS_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def _parse_text(q: Question, reading: Reading) -> Answer:
    if reading.reply == "dont_know":
        return Answer.of(UNKNOWN)
    text = reading.text
    return Answer.of(text.strip()) if _HAS_LETTERS.search(text) else NOT_UNDERSTOOD


def _contact(parse):
    def parser(q: Question, reading: Reading) -> Answer:
        text = reading.text
        value = parse(text, reading.today) if parse is contact.parse_date_of_birth else parse(text)
        if value is not None:
            return Answer.of(value.isoformat() if isinstance(value, date) else value)
        reply = reading.reply
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
