"""A Rasa NLU component that runs the project's spaCy pipeline (intake/language/terms.py).

Training builds the pipeline from the lexicon files and saves it inside the Rasa model
archive, so a model always carries the lexicon it was trained with; the lexicon's hash
is part of the component's fingerprint, so editing a lexicon file triggers retraining.
The entities it adds (side, cause, treatment, eye/ear/mouth symptoms, red flags, time)
are what `rasa test nlu` measures; the actions re-read answers with the open question
in mind (`intake.parsing.answers`).
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
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake.language import terms


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class ClinicalEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Clinical terms and onset times from the project's spaCy pipeline, as Rasa entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        snapshot = json.dumps(terms.lexicon_snapshot(), sort_keys=True)
        return hashlib.sha256(snapshot.encode()).hexdigest()

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 nlp: spacy.language.Language) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._nlp = nlp

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicalEntityExtractor":
        return cls(config, model_storage, resource, terms.build_pipeline())

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ClinicalEntityExtractor":
        with model_storage.read_from(resource) as path:
            nlp = spacy.load(path)          # the factories are registered by importing `terms`
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
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
