"""The Rasa entity component: entities from the lexicon, the context rule, persistence."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake.language.rasa_component import ClinicalEntityExtractor


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def extractor(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    component = ClinicalEntityExtractor.create(ClinicalEntityExtractor.get_default_config(), storage,
                                               Resource("clinical_entities"), context)
    component.train(TrainingData())
    return component


def entities(component, text, intent=None, confidence=0.9):
    data = {"text": text}
    if intent is not None:
        data["intent"] = {"name": intent, "confidence": confidence}
    message = Message(data=data)
    component.process([message])
    return sorted((e["entity"], e["value"]) for e in message.get("entities", []))


def test_answer_keeps_its_entities(extractor):
    found = entities(extractor, "my left side dropped yesterday after my parotid surgery", "inform")
    assert ("side", "left") in found
    assert ("cause", "surgery") in found
    assert "time" in {e for e, _ in found}


def test_without_an_intent_every_entity_is_kept(extractor):
    assert entities(extractor, "is the clinic open today") == entities(extractor, "is the clinic open today", "inform")
    assert "time" in {e for e, _ in entities(extractor, "is the clinic open today")}


@pytest.mark.parametrize("text, intent", [
    ("is the clinic open today", "faq"),
    ("will insurance pay for surgery", "faq/insurance"),
    ("what's the news today", "out_of_scope"),
    ("good morning, I had Bell's palsy", "greet"),
    ("thanks, see you on friday", "goodbye"),
    ("thanks for the steroids info", "thank"),
])
def test_non_answer_intents_drop_clinical_terms(extractor, text, intent):
    assert entities(extractor, text) != []          # the extractor does find something
    assert entities(extractor, text, intent) == []


def test_red_flags_are_kept_whatever_the_intent(extractor):
    text = "is the clinic open today? my arm is weak"
    assert entities(extractor, text, "faq") == [("red_flag", "limb_weakness")]
    assert {"time", "red_flag"} <= {e for e, _ in entities(extractor, text, "inform")}


def test_the_rule_is_configurable(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    component = ClinicalEntityExtractor.create({"non_answer_intents": [], "keep_always": []}, storage,
                                               Resource("clinical_entities_all"), context)
    assert "time" in {e for e, _ in entities(component, "is the clinic open today", "faq")}


def test_persistence_round_trip(extractor, storage):
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = ClinicalEntityExtractor.load(ClinicalEntityExtractor.get_default_config(), storage,
                                          Resource("clinical_entities"), context)
    for text, intent in [("my left side dropped yesterday", "inform"), ("is the clinic open today", "faq"),
                         ("I can't close my eye and it's dry", None)]:
        assert entities(loaded, text, intent) == entities(extractor, text, intent)


@pytest.mark.parametrize("text, kept", [("car accident", "cause"), ("late last night", "time"), ("in 2015", "time")])
def test_a_bare_answer_keeps_its_entities_whatever_the_intent(extractor, text, kept):
    """A message that is nothing but terms and times is an answer the classifier misread."""
    assert kept in {e for e, _ in entities(extractor, text, "out_of_scope")}
    assert entities(extractor, "did it rain yesterday", "out_of_scope") == []
