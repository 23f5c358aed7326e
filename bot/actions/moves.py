"""Conversation moves around the form: start, why, person, stop, start over, finish."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import persistence, safety, tracker_view
from bot.actions.turn import apply_message
from intake import interview, messages
from intake.questions import question


def _take_and_save(dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict, asked: str | None) -> list:
    """Apply the latest message outside the form (it may state answers) and save."""
    events, _ = apply_message(dispatcher, tracker, slots, asked, acknowledge=True)
    return events


def _begin_asking(dispatcher: CollectingDispatcher, tracker: Tracker, greeting: str) -> list:
    """Greet, then keep whatever the message said (the form asks the rest)."""
    dispatcher.utter_message(text=messages.text(greeting))
    slots = tracker_view.slots(tracker)
    slots[interview.STAGE] = "asking"
    return [SlotSet(interview.STAGE, "asking")] + _take_and_save(dispatcher, tracker, slots, asked=None)


class ActionStartIntake(Action):
    """First message: say what the bot is, and keep whatever the opening message told us."""

    def name(self) -> str:
        return "action_start_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        return _begin_asking(dispatcher, tracker, "intro")


class ActionResumeIntake(Action):
    """After "stop", any message but a no carries on where the patient left off."""

    def name(self) -> str:
        return "action_resume_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        return _begin_asking(dispatcher, tracker, "resume")


class ActionExplainQuestion(Action):
    """'Why do you ask?': the reason, then the form asks the same question again."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        events = safety.check(dispatcher, tracker, slots)
        if interview.emergency_fired(slots):
            return events
        asked = tracker.get_slot("requested_slot")
        if asked:
            dispatcher.utter_message(text=question(asked).why)
        else:
            dispatcher.utter_message(text=messages.text("why_general"))
        return events


class ActionHandoff(Action):
    """The patient asked for a person: stop asking, save, say how they will be contacted."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        return safety.check(dispatcher, tracker, slots) + _hand_off(dispatcher, tracker, slots)


def _hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict) -> list:
    """Stop asking, save, say how a person will be in touch, pause the bot."""
    slots.update({interview.STAGE: "handed_off", interview.HANDOFF: True})
    events = [SlotSet(interview.STAGE, "handed_off"), SlotSet(interview.HANDOFF, True),
              ActiveLoop(None), SlotSet("requested_slot", None)]
    if slots.get("consent") is True:
        dispatcher.utter_message(text=messages.text("handoff"))
        events += persistence.save_events(tracker, slots, [], dispatcher)
    else:
        dispatcher.utter_message(text=messages.text("handoff_no_consent"))
    return events + [ConversationPaused()]


class ActionStopIntake(Action):
    """'Stop': end the questions; what was said is kept, and the patient may carry on later."""

    def name(self) -> str:
        return "action_stop_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        events = safety.check(dispatcher, tracker, slots)
        if not interview.emergency_fired(slots):
            dispatcher.utter_message(text=messages.text("stopped"))
        return events + [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet(interview.STAGE, "stopped")]


class ActionRestartIntake(Action):
    """'Start over': forget every answer in this conversation and begin again."""

    def name(self) -> str:
        return "action_restart_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        dispatcher.utter_message(text=messages.text("start_over"))
        # The form stays (or becomes) active: with every slot empty it asks for consent again.
        return [AllSlotsReset(), SlotSet(interview.STAGE, "asking")]


class ActionFinishIntake(Action):
    """The form is done: save the final summary and tell the patient what happens next."""

    def name(self) -> str:
        return "action_finish_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        if slots.get(interview.STAGE) == "handed_off":      # asked for a person inside an answer
            return _hand_off(dispatcher, tracker, slots)
        slots[interview.STAGE] = "finished"
        events: list[Any] = [SlotSet(interview.STAGE, "finished")]
        if slots.get("consent") is not True:
            dispatcher.utter_message(text=messages.text("no_consent"))
            return events
        events += persistence.save_events(tracker, slots, [], dispatcher)
        if interview.emergency_fired(slots):
            dispatcher.utter_message(text=messages.text("emergency_recorded"))
        else:
            dispatcher.utter_message(text=interview.closing_message(slots))
        return events


class ActionAfterIntake(Action):
    """A message after the intake ended: keep it for the nurse and say so."""

    def name(self) -> str:
        return "action_after_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        slots = tracker_view.slots(tracker)
        if slots.get("consent") is not True:
            dispatcher.utter_message(text=messages.text("no_consent"))
            return []
        events = _take_and_save(dispatcher, tracker, slots, asked=None)
        dispatcher.utter_message(text=messages.text("after_intake"))
        return events
