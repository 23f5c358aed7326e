"""A Rasa NLU component that runs the project's spaCy pipeline (intake/language/pipeline.py).

Training builds the pipeline from the lexicon files and saves it inside the Rasa model
archive, so a model always carries the lexicon it was trained with; the lexicon's hash
is part of the component's fingerprint, so editing a lexicon file triggers retraining.
The entities it adds (side, cause, treatment, eye/ear/mouth symptoms, red flags, time)
are what `rasa test nlu` measures; the actions re-read answers with the open question
in mind (`intake.language.reading`, `intake.parsing.answers`).

Context rule: a message whose top intent is not an answer (a practical question, small
talk, a greeting, a goodbye, thanks: `non_answer_intents`) states no clinical facts, so
its terms and times are dropped ("is the clinic open today", "will insurance pay for
surgery"), except the types in `keep_always` (red flags: a sign of stroke is never
dropped, whatever the intent), and a message that is nothing but terms and times ("car
accident", "late last night") is an answer, whatever its intent. The rule needs the
intent classifier to run first in config.yml; without an intent (another pipeline order)
every entity is kept.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake.language import pipeline
from intake.language.lexicon import lexicon_snapshot
from intake.language.spans import is_bare_answer


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class ClinicalEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Clinical terms and onset times from the project's spaCy pipeline, as Rasa entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Intents (or retrieval-intent groups: "faq" covers "faq/...") whose messages
            # carry no answer: their entities are dropped.
            "non_answer_intents": ["faq", "out_of_scope", "greet", "goodbye", "thank"],
            # Entity types kept whatever the intent.
            "keep_always": ["red_flag"],
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        snapshot = json.dumps(lexicon_snapshot(), sort_keys=True)
        return hashlib.sha256(snapshot.encode()).hexdigest()

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 nlp: spacy.language.Language) -> None:
        self._config = {**self.get_default_config(), **config}
        self._non_answer = set(self._config["non_answer_intents"] or [])
        self._keep_always = set(self._config["keep_always"] or [])
        self._model_storage = model_storage
        self._resource = resource
        self._nlp = nlp

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicalEntityExtractor":
        return cls(config, model_storage, resource, pipeline.build_pipeline())

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ClinicalEntityExtractor":
        with model_storage.read_from(resource) as path:
            nlp = spacy.load(path)          # the factories are registered by importing `pipeline`
        return cls(config, model_storage, resource, nlp)

    def train(self, training_data: TrainingData) -> Resource:
        """Nothing to learn: save the pipeline built from the lexicon into the model."""
        with self._model_storage.write_to(self._resource) as path:
            self._nlp.to_disk(path)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            doc = self._nlp(text)
            found = [{"entity": ent.label_, "value": ent.kb_id_ or ent.text, "start": ent.start_char,
                      "end": ent.end_char, "confidence": 1.0} for ent in doc.ents]
            if self.is_non_answer(message) and not is_bare_answer(doc):
                found = [e for e in found if e["entity"] in self._keep_always]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages

    def is_non_answer(self, message: Message) -> bool:
        """Whether the message's top intent (set by the classifier before this) is a non-answer."""
        name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if not name:
            return False
        return name in self._non_answer or name.split("/")[0] in self._non_answer
