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
from intake import interview

SAFETY_STOP = "safety_stop"          # slot: this message (or an earlier one) fired an emergency


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


class ActionCheckSafety(Action):
    """Before answering a practical question or an off-topic remark: the safety check. It sets
    `safety_stop`, on which the rules go on to the answer or straight back to the intake."""

    def name(self) -> str:
        return "action_check_safety"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        events = check(dispatcher, tracker, slots)
        return events + [SlotSet(SAFETY_STOP, interview.emergency_fired(slots))]


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
