"""One patient message in, slot updates and bot messages out.

The Rasa form validation action is a thin wrapper around `take_message`; everything
here is plain Python over a dict of slot values, so it is tested without Rasa. The
message is read once (`intake.language.reading.read`); the answer to the open question,
the facts volunteered beside it and the crisis check all come from that reading.

When the bot is not sure, it asks instead of guessing: a likely reading is offered for a
yes ("Did I get this right? Since then: about the same."), a doubtful red flag is checked
("do you have it right now?"), indirect signs of suicidal thoughts get one direct question
(`self_harm_check`). Such a check is kept in the `pending_check` slot while its field stays
the open question (`requested_slot`), as the contract asks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from intake import messages, readback
from intake.language import words
from intake.language.reading import Reading, about_the_question, read
from intake.parsing.answers import NONE_VALUE, UNKNOWN, Answer, Confirm, answer_from, confirmation_reply, red_flag_check
from intake.parsing.volunteered import volunteered
from intake.questions import question, questions
from intake.summary import history_of, route

MAX_FAILED_TRIES = 2
# Internal slots beside the contract's fields.
NOTED = "noted"                      # field -> list items mentioned before their question
FAILED = "failed_attempts"           # field -> misunderstood answers so far
UNSURE = "red_flags_unsure"          # "not sure" to the red-flag screen (rule R-UNSURE)
HANDOFF = "handoff_requested"
CAUSE_TEXT = "cause_text"
SELF_HARM = "self_harm_risk"
CRISIS_CUE = "crisis_cue"            # indirect signs of suicidal thoughts were seen (asks self_harm_check)
PENDING = "pending_check"            # a reading waiting for the patient's yes: {field, value, question, ...}
CRISIS_CHECK = "self_harm_check"
RED_FLAGS = "neuro_symptoms"
EYE_OPEN = {"partial", "unable"}
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass
class Turn:
    """What one message changed."""

    updates: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)   # fields set from this message's words

    @property
    def changed(self) -> bool:
        return bool(self.answered)


def is_correction(text: str) -> bool:
    return words.says("correction", text)


def take_message(slots: dict[str, Any], asked: str | None, text: str, today: date,
                 correction: bool | None = None) -> Turn:
    """Apply one patient message to the intake: the open question's answer first,
    then anything else it states. `correction` lets already answered fields change."""
    if correction is None:
        correction = is_correction(text) or asked == "confirm"   # the read-back invites corrections
    reading = read(text or "", today, asked)
    turn = Turn()
    state = dict(slots)
    noted = {k: list(v) if isinstance(v, list) else v for k, v in (state.get(NOTED) or {}).items()}
    pending = state.get(PENDING)
    understood_asked = False
    answer = None

    if asked:
        if pending and pending.get("field") == asked:
            answer = _answer_check(asked, reading, pending)
            turn.updates[PENDING] = None
        else:
            answer = answer_from(question(asked), reading)
            told = noted.get(asked)
            if not answer.understood and told is not None and not isinstance(told, list) \
                    and confirmation_reply(reading) == "yes":
                answer = Answer.of(told)          # "yes" to "You mentioned: getting worse."
            if asked == "recurrence" and (not answer.understood or answer.value == UNKNOWN):
                answer = _earlier_side(reading, state) or answer
        if answer.understood:
            understood_asked = True
            _set_answer(turn, state, noted, asked, answer.value, reading)
        elif answer.confirm is not None:
            turn.updates[PENDING] = _pending(asked, answer.confirm, reading)

    for name, value in volunteered(reading, asked=asked).items():
        _take_volunteered(turn, state, noted, name, value, reading, correction)
    if asked == "confirm":
        _correct_contact(turn, state, reading)
    _check_safety(turn, state, reading, asked)
    if turn.updates.get("eye_closure") in EYE_OPEN and slots.get("eye_closure") not in EYE_OPEN:
        turn.messages.append(messages.text("eye_advice"))

    if noted != (state.get(NOTED) or {}):
        turn.updates[NOTED] = noted
    for name, value in derive({**state, **turn.updates}).items():
        turn.updates[name] = value

    if asked and not understood_asked and answer is not None and answer.confirm is None:
        if answer.clarify and not turn.changed:
            turn.messages.append(answer.clarify)
        if not turn.changed:
            _count_failure(turn, state, asked, text, clarified=bool(answer.clarify))
    elif correction and not turn.changed and asked is None and any(state.get(q.field) is not None
                                                                   for q in questions()):
        turn.messages.append("Sorry, I couldn't tell what to change. I'll read everything back at the end, and you can correct it then.")
    return turn


def take_safety(slots: dict[str, Any], text: str, today: date) -> Turn:
    """Only the safety part of a message (crisis language, a clear red flag), for messages the
    interview does not otherwise read: a practical question, a request for a person, "stop"."""
    reading = read(text or "", today, None)
    turn = Turn()
    state = dict(slots)
    signs = volunteered(reading).get(RED_FLAGS)
    if signs:
        _take_volunteered(turn, state, {}, RED_FLAGS, signs, reading, correction=False)
    _check_safety(turn, state, reading, None)
    return turn


def has_safety_content(text: str, today: date) -> bool:
    """Whether a message holds crisis language or a red flag (clear or doubtful): it is then read
    as an answer, never passed over as a question about the service."""
    reading = read(text or "", today, None)
    return bool(reading.crisis) or any(f.positive or f.doubtful for f in reading.of(RED_FLAGS)
                                       if f.value != NONE_VALUE)


def mentions_self_harm(text: str, today: date | None = None) -> bool:
    """Plain words of suicide or self-harm, unless plainly negated ("I'm not suicidal")."""
    return read(text or "", today or date.today(), None).crisis == "explicit"


def _pending(field_name: str, confirm: Confirm, reading: Reading) -> dict[str, Any]:
    return {"field": field_name, "value": confirm.value, "question": confirm.question,
            "buttons": list(confirm.buttons), "safety": confirm.safety, "text": reading.text.strip().lower()}


def _answer_check(field_name: str, reading: Reading, pending: dict[str, Any]) -> Answer:
    """The reply to a check ("Did I get this right?", "right now?"): yes takes the reading, no
    the opposite; an answer of its own is read as one; an unclear reply to a safety check is
    "not sure", never a guess; the same words again take the likely reading."""
    q = question(field_name)
    reply = confirmation_reply(reading)
    fresh = answer_from(q, reading)
    if field_name == RED_FLAGS:
        if fresh.understood and fresh.value not in ([], UNKNOWN):
            return fresh                                   # "yes, my hand is numb": a sign, now
        if fresh.understood and fresh.value == []:
            return fresh                                   # "OK, then no, none of those"
        if fresh.confirm is not None and _checked_signs_cleared(reading, pending, fresh.confirm):
            return Answer.of([])                           # "it's dizziness, but I can walk without any trouble"
        if reply == "yes" and pending.get("value"):
            return Answer.of(pending["value"])
        if reply == "no":
            return Answer.of([])
        return Answer.of(UNKNOWN)                          # still unclear: R-UNSURE, never "none"
    if fresh.understood and reply is None:
        return fresh
    if reply == "yes":
        return Answer.of(pending.get("value"))
    if reply == "dont_know":
        return Answer.of(UNKNOWN)
    if fresh.understood:
        return fresh
    if reading.text.strip().lower() == pending.get("text"):
        return Answer.of(pending.get("value"))             # said again: the likely reading stands
    return fresh if reply != "no" else Answer(clarify=q.retry or q.ask)


def _checked_signs_cleared(reading: Reading, pending: dict[str, Any], doubt: Confirm) -> bool:
    """Asked whether a sign is there now, the patient says plainly that it is not ("I can walk in a
    straight line without any trouble") while telling again what made us ask ("the room spins"):
    the plain word about the sign asked is the answer. Only a doubt about the same signs; any
    other sign, or a clear one, is no such answer."""
    checked = set(pending.get("value") or [])
    cleared = {f.value for f in reading.of(RED_FLAGS) if f.negated}
    return bool(checked) and set(doubt.value) <= checked <= cleared


def _earlier_side(reading: Reading, state: dict) -> Answer | None:
    """"Yes, on the left when I was 20": the earlier episode's side against this one's."""
    sides = [f.value for f in reading.of("affected_side") if f.value in ("left", "right")]
    current = told(state, "affected_side")
    if not sides or current not in ("left", "right") or reading.reply == "no":
        return None
    return Answer.of("same_side" if sides[-1] == current else "other_side")


def _check_safety(turn: Turn, state: dict, reading: Reading, asked: str | None) -> None:
    """Crisis language on every message; a red flag that needs checking when told in passing."""
    crisis = reading.crisis
    if asked == CRISIS_CHECK:
        return                                             # the answer itself decides (see _set_answer)
    if crisis == "explicit" and not state.get(SELF_HARM):
        turn.updates[SELF_HARM] = True
    elif crisis == "indirect" and not state.get(SELF_HARM) and state.get(CRISIS_CHECK) is None:
        turn.updates[CRISIS_CUE] = True
    if asked != RED_FLAGS and not state.get(PENDING) and PENDING not in turn.updates:
        own = set(question(asked).own_signs) if asked else set()
        doubtful = {f.value for f in reading.of(RED_FLAGS) if (f.doubtful or f.in_passing) and f.value != NONE_VALUE
                    and not (f.value in own and not f.listed)}
        current = state.get(RED_FLAGS)
        values = sorted(doubtful - set(current if isinstance(current, list) else []))
        if values and not emergency_fired({**state, **turn.updates}):
            turn.updates[PENDING] = _pending(RED_FLAGS, red_flag_check(values), reading)


def _set_answer(turn: Turn, state: dict, noted: dict, name: str, value: Any, reading: Reading) -> None:
    q = question(name)
    if q.kind != "multi":
        noted.pop(name, None)
    if q.kind == "multi":
        denied = {f.value for f in reading.of(name) if f.negated or f.historical}   # "no botox yet", "the rash is gone"
        earlier = [v for v in noted.pop(name, []) if v not in denied]
        if value == UNKNOWN:
            value = earlier or UNKNOWN
        else:
            value = list(dict.fromkeys(earlier + list(value)))
    if name == RED_FLAGS and value == UNKNOWN:
        value = []
        turn.updates[UNSURE] = True
    if name == "cause":
        turn.updates[CAUSE_TEXT] = reading.text.strip()
    if name == CRISIS_CHECK:
        turn.updates[SELF_HARM] = value is not False      # yes, or unclear after the cues: the crisis pathway
    turn.updates[name] = value
    state[name] = value
    turn.answered.append(name)


def _take_volunteered(turn: Turn, state: dict, noted: dict, name: str, value: Any, reading: Reading,
                      correction: bool) -> None:
    q = question(name)
    current = state.get(name)
    if name == RED_FLAGS:                      # red flags are always added, never replaced
        merged = list(dict.fromkeys((current if isinstance(current, list) else []) + value))
        if merged != current:
            _set_answer(turn, state, noted, name, merged, reading)
        return
    if q.kind == "multi":
        if current is None:
            noted[name] = list(dict.fromkeys(noted.get(name, []) + value))
        elif correction and isinstance(current, list) and set(value) - set(current):
            _set_answer(turn, state, noted, name, list(dict.fromkeys(current + value)), reading)
        return
    if q.confirms_volunteered and current is None:
        noted[name] = value                  # confirmed when its question comes
        if name == "cause":
            turn.updates[CAUSE_TEXT] = _cause_words(reading) or reading.text.strip()
        return
    if current is None or current == UNKNOWN:
        _set_answer(turn, state, noted, name, value, reading)
        if name == "cause":
            turn.updates[CAUSE_TEXT] = _cause_words(reading) or reading.text.strip()
    elif correction and current != value and not _vaguer(name, value) \
            and (name != "cause" or words.says("cause_said", reading.text)):
        # a cause is changed only where the words are about the cause ("I mixed it up with the stroke
        # years ago" puts the side right, not the cause)
        _set_answer(turn, state, noted, name, value, reading)
        turn.messages.append(f"Thanks, I've changed that: {readback.line(name, value)}.")


def _vaguer(name: str, value: Any) -> bool:
    """A value that says less than an answer: never a correction of one ("when he was 15", told of an
    earlier episode, does not undo "10 days ago")."""
    if value == UNKNOWN:
        return True
    return name == "onset" and isinstance(value, dict) and value.get("days_since_onset") is None \
        and not value.get("since_birth")


def _correct_contact(turn: Turn, state: dict, reading: Reading) -> None:
    """Contact details put right at the read-back (they are never taken in passing elsewhere)."""
    from intake.parsing import contact

    birth = contact.corrected_birth_date(reading.text, state.get("date_of_birth"), reading.today)
    if birth:
        turn.updates["date_of_birth"] = birth
        turn.answered.append("date_of_birth")
        turn.messages.append(f"Thanks, I've changed that: {readback.line('date_of_birth', birth)}.")


def _cause_words(reading: Reading) -> str | None:
    """The sentence that names the cause, not the whole message."""
    found = reading.positive("cause")
    return reading.sentence_of(found[0]) if found else None


def _count_failure(turn: Turn, state: dict, asked: str, text: str, clarified: bool) -> None:
    failures = dict(state.get(FAILED) or {})
    failures[asked] = failures.get(asked, 0) + 1
    turn.updates[FAILED] = failures
    if asked == "consent":                      # never "nothing stored" for a misunderstanding
        if failures[asked] > MAX_FAILED_TRIES:
            turn.updates[HANDOFF] = True        # a third miss: a person, as the second said
            turn.updates[STAGE] = "handed_off"
            return
        turn.messages.append(messages.text("consent_retry" if failures[asked] == 1 else "consent_person"))
        return
    if failures[asked] >= MAX_FAILED_TRIES:
        give_up = give_up_value(asked)
        turn.updates[asked] = give_up
        turn.updates[HANDOFF] = True
        if asked == RED_FLAGS:
            turn.updates[UNSURE] = True
        if asked == CRISIS_CHECK:
            turn.updates[SELF_HARM] = True
        turn.messages.append("I'm sorry, I still couldn't understand that. I've noted it so a nurse can go "
                             "through it with you. If you'd like to talk to a person now, just say so. Let's carry on.")
    elif not clarified and about_the_question(text) and question(asked).why:
        # "I don't understand the question": why it is asked, then the question again
        turn.messages.append(f"Let me put it another way. {question(asked).why}")
    elif not clarified:
        turn.messages.append(not_understood_message(text, question(asked).retry))




def give_up_value(name: str) -> Any:
    """What a question records when the patient could not be understood twice."""
    kind = question(name).kind
    if name == RED_FLAGS:
        return []
    if name == CRISIS_CHECK:
        return True
    if kind == "yes_no":
        return UNKNOWN
    if kind == "onset":
        return {"text": None, "date": None, "days_since_onset": None, "since_birth": False, "unknown": True}
    return UNKNOWN


def not_understood_message(text: str, retry: str | None = None) -> str:
    """A clear re-ask: what was wrong with the message, or the question's own hint."""
    text = text or ""
    letters = _LETTER.findall(text)
    if not text.strip():
        return "I didn't receive any text. Could you type your answer?"
    if letters and len(_NON_LATIN.findall(text)) > len(letters) / 2:
        return ("Sorry, I can only understand English for now. If you need an interpreter, please phone the "
                "clinic and they will arrange one. Could you answer in English?")
    if retry:
        return retry
    if not letters:
        return "Sorry, I couldn't read an answer in that. Could you say it in a few words?"
    return "Sorry, I didn't quite understand. Could you say it another way? 'I don't know' is fine too."


def told(slots: dict[str, Any], name: str) -> Any:
    """A field's answer, or what the patient told in passing and is still to confirm."""
    value = slots.get(name)
    return value if value is not None else (slots.get(NOTED) or {}).get(name)


def derive(slots: dict[str, Any]) -> dict[str, Any]:
    """Answers that follow from others: congenital palsy is present since birth; eating that is
    no harder than before has none of its problems."""
    out: dict[str, Any] = {}
    if slots.get("eating_difficulty") == "none" and slots.get("eating_problems") is None:
        out["eating_problems"] = []
    onset = slots.get("onset")
    since_birth = (told(slots, "cause") == "congenital" or told(slots, "onset_speed") == "since_birth"
                   or (isinstance(onset, dict) and onset.get("since_birth")))
    if since_birth:
        if onset is None:
            out["onset"] = {"text": "since birth", "date": None, "days_since_onset": None, "since_birth": True}
        if slots.get("onset_speed") is None:
            out["onset_speed"] = "since_birth"
    return out


def next_question(slots: dict[str, Any]) -> str | None:
    """The next field to ask, or None when the intake should end."""
    if slots.get("consent") is False:
        return None
    if emergency_fired(slots):
        return "consent" if slots.get("consent") is None else None
    pending = slots.get(PENDING)
    if pending:
        return pending["field"]
    for q in questions():
        if q.interrupts and slots.get(q.field) is None and q.applies(slots):
            return q.field
    for q in questions():
        if not q.interrupts and slots.get(q.field) is None and q.applies(slots):
            return q.field
    return None


# Internal slot names the actions also use.
ANSWER_WORDS = "answer_words"
STAGE = "stage"          # new, asking, stopped, finished, handed_off


def record_words(slots: dict[str, Any], answered: list[str], text: str, message_id: str | None) -> dict:
    """The `answer_words` slot after `answered` were taken from one message."""
    words = dict(slots.get(ANSWER_WORDS) or {})
    for name in answered:
        words[name] = {"text": text, "message_id": message_id}
    return words


def status_of(slots: dict[str, Any]) -> str:
    """The contract's status for the intake as it stands."""
    stage = slots.get(STAGE)
    if emergency_fired(slots):
        return "emergency"          # the more urgent truth, even when a person was asked for too
    if stage == "handed_off":
        return "handed_off"
    if stage == "finished":
        return "completed"
    return "in_progress"


def triage_of(slots: dict[str, Any]) -> dict[str, Any]:
    """Urgency, clinics and reasons for the intake as it stands."""
    return route(history_of(slots))


def emergency_fired(slots: dict[str, Any]) -> bool:
    """An emergency rule fires: the questions stop and the patient is told to get help now."""
    return triage_of(slots)["urgency"] == "emergency"


CONSENT_AFTER_EMERGENCY = ("May we keep a record of what you told me, so that our team can follow up with you "
                           "after you have been seen? Please answer yes or no.")


def prompt_for(name: str, slots: dict[str, Any]) -> str:
    """The question to show for `name`, given what the patient already said."""
    q = question(name)
    pending = slots.get(PENDING)
    if pending and pending.get("field") == name:
        return pending["question"]
    if name == "consent" and emergency_fired(slots):
        return CONSENT_AFTER_EMERGENCY
    noted = (slots.get(NOTED) or {}).get(name)
    if noted and q.ask_noted:
        return q.ask_noted.format(noted=readback.value_text(name, noted))
    if noted is not None and q.confirms_volunteered:
        return f"{q.ask}\n(You mentioned: {readback.value_text(name, noted)}.)"
    if "{readback}" in q.ask:
        return q.ask.format(readback=readback.readback(slots))
    return q.ask


def buttons_for(name: str, slots: dict[str, Any]) -> list[str]:
    """The quick replies to show with the question (a check has its own)."""
    pending = slots.get(PENDING)
    if pending and pending.get("field") == name:
        return list(pending.get("buttons") or ["Yes", "No"])
    if name == "consent" and (slots.get(FAILED) or {}).get("consent"):
        return ["Yes", "No"]
    q = question(name)
    noted = (slots.get(NOTED) or {}).get(name)
    if noted is not None and q.confirms_volunteered:
        return [f"Yes, {readback.value_text(name, noted)}"] + [b for b in q.buttons]
    return list(q.buttons)


def closing_message(slots: dict[str, Any]) -> str:
    """The patient's next steps once the intake is complete: how urgently, where, and why."""
    return "Thank you, that's everything.\n" + messages.ending(triage_of(slots))


def emergency_message(slots: dict[str, Any]) -> str:
    """What to say the moment an emergency rule fires: the crisis message for self-harm."""
    return messages.text("crisis" if slots.get(SELF_HARM) else "emergency")
