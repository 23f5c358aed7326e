"""Safety first on every message: actions that answer something else (a practical question,
an off-topic remark, "why?", a request for a person, "stop", a message no rule expected) still
read the message for crisis language and red flags, and say the emergency or crisis message
before anything else."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import persistence, tracker_view
from bot.actions.turn import EMERGENCY_MARK
from intake import interview, messages


def check(dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict[str, Any]) -> list:
    """Apply the safety part of the latest message; say the emergency message when one fires now.
    `slots` is updated in place; the slot events (and a save) are returned."""
    was_emergency = interview.emergency_fired(slots)
    turn = interview.take_safety(slots, tracker_view.latest_text(tracker), tracker_view.conversation_date(tracker))
    if not turn.updates:
        return []
    slots.update(turn.updates)
    if interview.emergency_fired(slots) and not was_emergency:
        dispatcher.utter_message(text=interview.emergency_message(slots), json_message=EMERGENCY_MARK)
    events = [SlotSet(name, value) for name, value in turn.updates.items()]
    if interview.next_question(slots) != slots.get("requested_slot"):
        events.append(SlotSet("requested_slot", interview.next_question(slots)))
    return events + persistence.save_events(tracker, slots, turn.answered, dispatcher)


class ActionAnswerFaq(Action):
    """A practical question ("when are you open?"): the selected answer, after the safety check."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        events = check(dispatcher, tracker, slots)
        if interview.emergency_fired(slots):
            return events
        response = tracker_view.selected_response(tracker, "faq")
        if response:
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(text=messages.text("faq_unknown"))
        return events


class ActionOutOfScope(Action):
    """Something the intake cannot help with: say so, after the safety check."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        events = check(dispatcher, tracker, slots)
        if not interview.emergency_fired(slots):
            dispatcher.utter_message(response="utter_out_of_scope")
        return events


class ActionDefaultFallback(Action):
    """A message no rule expected: read it like any other (safety first), then carry on."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        events = check(dispatcher, tracker, slots)
        if not interview.emergency_fired(slots):
            dispatcher.utter_message(response="utter_default")
        return events
