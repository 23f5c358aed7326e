"""Cue words of conversational moves: what the matcher finds, and the Rasa featurizer built on it."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from intake.language import cues
from intake.language.cue_featurizer import MoveCueFeaturizer

SMALL = {"farewell": ["bye", "see you", "ta ta"], "thanks": ["thanks", "ta"], "yes": ["yes", "ok", "that's right"],
         "no": ["no"], "correction": ["no wait", "actually"]}


@pytest.fixture(scope="module")
def small():
    return cues.CueMatcher(SMALL)


def test_the_shipped_lists_load_as_strings():
    lists = cues.load_cues()
    assert "yes" in lists and "no" in lists            # YAML's yes/no are keys, not booleans
    assert "yes" in lists["yes"] and "no" in lists["no"]
    assert all(isinstance(p, str) and p == p.lower() for phrases in lists.values() for p in phrases)


@pytest.mark.parametrize("text, move", [
    ("toodles", "farewell"), ("cya later", "farewell"), ("operator", "human"), ("halt", "stop"),
    ("start over please", "restart"), ("thx", "thanks"), ("dunno", "dont_know"), ("nope", "no"),
    ("what's that got to do with it", "why"), ("scratch that, it was the left", "correction"),
    ("what are your opening hours", "practical"), ("will it rain tomorrow", "small_talk"),
])
def test_the_shipped_lists_know_everyday_words(text, move):
    assert f"any:{move}" in cues.default_matcher().features(text)


def test_anywhere_leading_and_only(small):
    assert small.features("bye") == {"any:farewell", "lead:farewell", "only:farewell"}
    assert small.features("bye bye!") == {"any:farewell", "lead:farewell", "only:farewell"}
    assert small.features("ok, see you") == {"any:yes", "lead:yes", "any:farewell"}   # two moves: neither is "only"
    assert small.features("I have to go, bye") == {"any:farewell"}


def test_whole_words_only(small):
    assert small.features("nobody okayed it") == set()         # "no" and "ok" inside words
    assert small.features("tata motors") == set()


def test_apostrophes_are_optional_and_curly_ones_read_alike(small):
    for text in ("that's right", "thats right", "That\u2019s RIGHT"):
        assert "only:yes" in small.features(text)


def test_phrases_match_whole_and_longest(small):
    assert small.features("ta ta") >= {"any:farewell", "only:farewell"}
    assert small.features("no wait, it's the other side") >= {"any:correction", "lead:correction", "lead:no"}


def test_spans_keep_positions(small):
    text = "OK \u2014 see you"
    spans = small.spans(text)
    assert [text[a:b] for a, b in spans["farewell"]] == ["see you"]
    assert [text[a:b] for a, b in spans["yes"]] == ["OK"]


def test_empty_and_odd_input(small):
    for text in ("", "   ", "\U0001F600", "<b>bye</b>", "x" * 10_000):
        small.features(text)                       # no error
    assert "any:farewell" in small.features("<b>bye</b>")


# ---------------------------------------------------------------- the Rasa component

@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("models"))


def featurize(component, text):
    message = Message(data={"text": text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    component.process([message])
    return message


def sentence_columns(component, message):
    _, sentence = message.get_sparse_features("text")
    names = component._matcher.feature_names
    return {names[i] for i in sentence.features.tocsr().indices}


def test_component_features_persist_and_load(storage):
    context = ExecutionContext(GraphSchema({}), "cue_featurizer")
    resource = Resource("cues")
    trained = MoveCueFeaturizer(MoveCueFeaturizer.get_default_config(), storage, resource, context, SMALL)
    trained.train(TrainingData())
    loaded = MoveCueFeaturizer.load(MoveCueFeaturizer.get_default_config(), storage, resource, context)

    for component in (trained, loaded):
        message = featurize(component, "ok thanks, bye")
        assert sentence_columns(component, message) == {"any:yes", "lead:yes", "any:thanks", "any:farewell"}
        sequence, sentence = message.get_sparse_features("text")
        assert sequence.features.shape == (3, len(component._matcher.feature_names))
        tokens_marked = sequence.features.tocsr().sum(axis=1).A.ravel().tolist()
        assert tokens_marked == [1.0, 1.0, 1.0]      # "ok", "thanks," and "bye" each lie in one cue


def test_component_gives_an_empty_message_every_column(storage):
    """Zeros, not nothing: without these columns the classifier refuses the message (its width differs)."""
    component = MoveCueFeaturizer.create(MoveCueFeaturizer.get_default_config(), storage, Resource("cues2"),
                                         ExecutionContext(GraphSchema({}), "cue_featurizer"))
    for text in ("", "   "):
        sequence, sentence = featurize(component, text).get_sparse_features("text")
        assert sentence.features.shape == (1, len(component._matcher.feature_names))
        assert sentence.features.nnz == 0 and sequence.features.nnz == 0


def test_fingerprint_follows_the_cue_file():
    assert MoveCueFeaturizer.fingerprint_addon({}) == MoveCueFeaturizer.fingerprint_addon({})
    assert len(MoveCueFeaturizer.fingerprint_addon({})) == 64
