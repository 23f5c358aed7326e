"""Rasa's ResponseSelector, run only on messages classified as its retrieval intent (``faq``).

The stock selector runs its neural network on every message, although its answer is used
only when the intent is a practical question (the ``utter_faq`` rule). Under `make bench` it
took 10% of the Rasa server's time, and its ranking doubled the size of every stored
patient message. Trained exactly as the stock one; needs the intent classifier before it in
config.yml (without an intent, it selects for every message, as the stock one does).
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """Selects a response only for messages whose top intent is the retrieval intent."""

    def _asked(self, message: Message) -> bool:
        intent = message.get(INTENT)
        if not intent or not self.retrieval_intent:
            return True
        return intent.get(INTENT_NAME_KEY) == self.retrieval_intent

    def process(self, messages: List[Message]) -> List[Message]:
        super().process([message for message in messages if self._asked(message)])
        return messages
