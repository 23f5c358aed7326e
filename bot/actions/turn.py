"""Apply the patient's latest message to the intake: one place for the form and the moves around it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import persistence, tracker_view
from intake import interview, messages, readback

# Sent with the emergency and crisis messages, so that a chat window can set them apart.
EMERGENCY_MARK = {"kind": "emergency"}


def apply_message(dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict[str, Any], asked: str | None,
                  correction: bool | None = None, acknowledge: bool = False) -> tuple[list, interview.Turn]:
    """Parse the message (answer, volunteered facts, corrections), say what the patient must read,
    save, and return the slot events. `slots` is updated in place; `acknowledge` repeats back
    what was understood (used outside the form, where no question follows to show it)."""
    text = tracker_view.latest_text(tracker)
    was_emergency = interview.emergency_fired(slots)
    turn = interview.take_message(slots, asked, text, tracker_view.conversation_date(tracker), correction=correction)
    if turn.answered:
        turn.updates[interview.ANSWER_WORDS] = interview.record_words(
            slots, turn.answered, text, tracker_view.latest_message_id(tracker))
    slots.update(turn.updates)
    if tracker_view.was_truncated(tracker):
        dispatcher.utter_message(text=messages.text("long_message"))
    if acknowledge:
        understood = [readback.line(f, slots[f]) for f in turn.answered if f != "neuro_symptoms"]
        if understood:
            dispatcher.utter_message(text="Thank you. I've noted: " + "; ".join(understood) + ".")
    for message in turn.messages:
        dispatcher.utter_message(text=message)
    if interview.emergency_fired(slots) and not was_emergency:
        dispatcher.utter_message(text=interview.emergency_message(slots), json_message=EMERGENCY_MARK)
    events = [SlotSet(name, value) for name, value in turn.updates.items()]
    return events + persistence.save_events(tracker, slots, turn.answered, dispatcher), turn
