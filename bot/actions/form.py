"""The intake form's validation and its questions: thin wrappers over `intake.interview`."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import persistence, tracker_view
from bot.actions.turn import apply_message
from intake import interview
from intake.language.cues import default_matcher as default_cues
from intake.language.reading import about_the_question
from intake.parsing.answers import parse_answer
from intake.questions import question, questions

# Intents that interrupt the form; the rules answer them and the form resumes.
INTERRUPTIONS = {"ask_why", "request_human", "stop_intake", "start_over", "faq", "out_of_scope"}
INTERRUPTION_CONFIDENCE = 0.5
ALWAYS_HONOURED = {"request_human": 0.7}      # asking for a person wins even over a parsable answer
# A free-text answer (goals) is only taken for a request when it is short: "I want to know
# what's happening and get it treated" is a goal, not a question about what happens next.
FREE_TEXT_REQUEST_WORDS = 6
PERSON_IN_ANSWER_CONFIDENCE = 0.3
STOP_WORDS = 3          # "stop please", "stop the questions": a stop; a longer goal that starts with "stop" is a goal


_PERSON_REQUEST = re.compile(
    r"\b(?:talk|speak|chat)\s+(?:to|with)\b|\b(?:call|ring|phone)\s+(?:me|us)\b|\bcall\s*back\b"
    r"|\b(?:want|need|like|get|have|see)\s+(?:a\s+|an\s+|to\s+talk\s+to\s+)?(?:real\s+)?(?:person|human|nurse|doctor|someone|somebody)\b"
    r"|\bput\s+me\s+through\b|\btransfer\s+me\b|\b(?:is|are)\s+(?:this|there|you)\s+a\s+(?:real\s+)?(?:person|human)\b",
    re.I)


def asks_for_person(text: str, intent: str | None, confidence: float) -> bool:
    """A request for a person inside an answer ("nothing yet. can I talk to a real person?"): words of a
    request, and the classifier or a question mark agreeing; "the receptionist said maybe shingles?" is none."""
    if "any:human" not in default_cues().features(text) or not _PERSON_REQUEST.search(text):
        return False
    return (intent == "request_human" and confidence >= PERSON_IN_ANSWER_CONFIDENCE) or "?" in text


def is_interruption(tracker: Tracker, asked: str | None) -> bool:
    """A question or request about the conversation, not an answer to the open question.

    A structured answer that parses wins over the intent ("No, it doesn't close" is an
    answer, whatever NLU thinks). The same words sent twice in a row are an answer:
    the patient is telling us the first reading was wrong. A message too long to read
    whole is a story, never a quick question: it is read as an answer (and acknowledged).
    """
    intent, confidence = tracker_view.latest_intent(tracker)
    if intent not in INTERRUPTIONS or confidence < INTERRUPTION_CONFIDENCE:
        return False
    if tracker_view.was_truncated(tracker):
        return False
    if interview.has_safety_content(tracker_view.latest_text(tracker), tracker_view.conversation_date(tracker)):
        return False          # crisis words or a red flag are read, whatever else the message asks
    if intent == "stop_intake" and about_the_question(tracker_view.latest_text(tracker)):
        return False          # "I don't understand the question" is no stop: the question is put another way
    if confidence >= ALWAYS_HONOURED.get(intent, 2.0):
        return True
    text = tracker_view.latest_text(tracker)
    if tracker_view.repeated_message(tracker):
        return False
    if not asked:
        return True
    q = question(asked)
    if q.kind == "text":
        if intent == "stop_intake":        # "stop choking, it scares me" is a goal, "stop please" a stop
            cues = default_cues().features(text)
            return "only:stop" in cues or ("lead:stop" in cues and len(text.split()) <= STOP_WORDS)
        return len(text.split()) <= FREE_TEXT_REQUEST_WORDS
    return not parse_answer(q, text, tracker_view.conversation_date(tracker)).understood


class ValidateIntakeForm(FormValidationAction):
    """Parses each answer, fills what else the patient said, saves, and picks the next question."""

    def name(self) -> str:
        return "validate_intake_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        slots = tracker_view.slots(tracker)
        asked = slots.get("requested_slot")
        events: list[dict[str, Any]] = []
        if tracker_view.is_fresh_user_turn(tracker):
            if is_interruption(tracker, asked):
                persistence.save(tracker, slots, [])   # the message is kept, though no answer
                return []            # the form rejects; a rule answers, then the form asks again
            intent, confidence = tracker_view.latest_intent(tracker)
            turn_events, turn = apply_message(dispatcher, tracker, slots, asked,
                                              correction=True if intent == "correct" else None)
            events += turn_events
            if asked and asked not in turn.updates:
                events.append(SlotSet(asked, None))     # keeps the form from rejecting: it asks again
            if (asks_for_person(tracker_view.latest_text(tracker), intent, confidence)
                    or turn.updates.get(interview.STAGE) == "handed_off") and not interview.emergency_fired(slots):
                # "nothing yet. can I talk to a real person?": the answer is kept, and a person asked for
                slots[interview.STAGE] = "handed_off"
                return events + [SlotSet(interview.STAGE, "handed_off"), SlotSet(interview.HANDOFF, True),
                                 SlotSet("requested_slot", None)]
        events.append(SlotSet("requested_slot", interview.next_question(slots)))
        return events


def _ask_action(name: str) -> type[Action]:
    """An `action_ask_<field>` that words the question from questions.yml and the answers so far."""

    class AskAction(Action):
        def name(self) -> str:
            return f"action_ask_{name}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
            slots = tracker_view.slots(tracker)
            buttons = [{"title": title, "payload": title} for title in interview.buttons_for(name, slots)]
            dispatcher.utter_message(text=interview.prompt_for(name, slots), buttons=buttons)
            return []

    AskAction.__name__ = AskAction.__qualname__ = f"Ask_{name}"
    return AskAction


ASK_ACTIONS = {q.field: _ask_action(q.field) for q in questions()}
