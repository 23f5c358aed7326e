"""FaqResponseSelector: the response network runs only for practical questions (intent faq).

The bot answering a practical question mid-intake, with the trained model, is tested in
tests/e2e/test_conversation.py."""
from __future__ import annotations

from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.training_data.message import Message

from intake.language.faq_selector import FaqResponseSelector


def _selector(monkeypatch, retrieval_intent="faq"):
    seen: list[str] = []
    monkeypatch.setattr(ResponseSelector, "process",
                        lambda self, messages: seen.extend(m.get("text") for m in messages) or messages)
    selector = FaqResponseSelector.__new__(FaqResponseSelector)    # no training needed to route
    selector.retrieval_intent = retrieval_intent
    return selector, seen


def _message(text, intent=None):
    data = {"text": text}
    if intent:
        data["intent"] = {"name": intent, "confidence": 0.9}
    return Message(data=data)


def test_only_messages_classified_as_faq_reach_the_network(monkeypatch):
    selector, seen = _selector(monkeypatch)
    messages = [_message("when are you open", "faq"), _message("my left side", "inform"),
                _message("yes", "affirm")]
    assert selector.process(messages) == messages          # every message goes on down the pipeline
    assert seen == ["when are you open"]


def test_without_an_intent_or_a_retrieval_intent_it_selects_as_rasa_does(monkeypatch):
    selector, seen = _selector(monkeypatch)
    selector.process([_message("no intent yet")])
    assert seen == ["no intent yet"]
    selector, seen = _selector(monkeypatch, retrieval_intent=None)
    selector.process([_message("my left side", "inform")])
    assert seen == ["my left side"]
