"""A Rasa featurizer: the cue words of conversational moves (cues.yml) as sparse features.

Three features per move (`cues.KINDS`): a cue anywhere, a cue leading the message, and a
message made only of cues. Sentence features feed the intent classifier; token features
mark the tokens a cue covers, as Rasa's RegexFeaturizer does, for components that read
sequences. The cue lists are saved inside the model, so a model always carries the
columns it was trained with; their hash is the component's fingerprint, so editing
cues.yml triggers retraining.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake.language import cues

CUES_JSON = "cues.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class MoveCueFeaturizer(SparseFeaturizer, GraphComponent):
    """Marks the cue words of greetings, goodbyes, thanks, yes, no, stop, ... in a message."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """No options beyond the featurizer's own."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return hashlib.sha256(json.dumps(cues.load_cues(), sort_keys=True).encode()).hexdigest()

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, cue_lists: dict[str, list[str]]) -> None:
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._cue_lists = cue_lists
        self._matcher = cues.CueMatcher(cue_lists)
        self._column = {name: i for i, name in enumerate(self._matcher.feature_names)}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MoveCueFeaturizer":
        return cls(config, model_storage, resource, execution_context, cues.load_cues())

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "MoveCueFeaturizer":
        with model_storage.read_from(resource) as path:
            cue_lists = json.loads((path / CUES_JSON).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, execution_context, cue_lists)

    def train(self, training_data: TrainingData) -> Resource:
        """Nothing to learn: keep the cue lists the features were built from."""
        with self._model_storage.write_to(self._resource) as path:
            (path / CUES_JSON).write_text(json.dumps(self._cue_lists, sort_keys=True), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT])
            if tokens is not None:    # an empty message too: the classifier needs every column, as zeros
                sequence, sentence = self.features(message.get(TEXT) or "", tokens)
                self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages

    def features(self, text: str, tokens: list) -> tuple[scipy.sparse.coo_matrix, scipy.sparse.coo_matrix]:
        """Token features (the "any" column of each cue a token lies in) and sentence features."""
        width = len(self._column)
        names, found = self._matcher.match(text)
        sentence = np.zeros((1, width))
        for name in names:
            sentence[0, self._column[name]] = 1.0
        sequence = np.zeros((len(tokens), width))
        for move, spans in found.items():
            column = self._column[f"any:{move}"]
            for i, token in enumerate(tokens):
                if any(token.start < end and token.end > start for start, end in spans):
                    sequence[i, column] = 1.0
        return scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence)
