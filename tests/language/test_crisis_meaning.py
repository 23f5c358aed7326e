"""The crisis check's reader of meaning (intake/language/crisis_meaning.py, semantic.py).

Phrasings written for this test, of kinds the lexicon does not list word for word; never taken
from the blind sets. The reader only asks (the indirect tier): the crisis response itself needs
plain words or a yes to the direct question.
"""
from datetime import date

import numpy as np
import pytest

from intake.language import crisis_meaning, semantic
from intake.language.reading import read

TODAY = date(2026, 12, 1)
pytestmark = pytest.mark.skipif(not semantic.available(), reason="sentence model not installed (make setup)")


def test_the_encoder_places_paraphrases_nearer_than_unrelated_sentences():
    a = semantic.encode("I can't shut my eye at night")
    b = semantic.encode("my eyelid won't close when I sleep")
    c = semantic.encode("the parking is behind the main building")
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-4
    assert float(a @ b) > float(a @ c) + 0.3


def test_a_batch_padded_to_its_longest_sentence_encodes_each_as_alone():
    texts = ["no", "my eyelid won't close when I sleep and my eye waters all day long at work", "fine thanks"]
    model = semantic.model()
    batch = model.encode_batch(texts)
    for text, row in zip(texts, batch):
        assert float(row @ model.encode_batch([text])[0]) > 0.9999


@pytest.mark.parametrize("text", [
    "to be honest I keep hoping my heart just stops in my sleep",        # a passive wish
    # Known misses, kept in sight: both readers must agree, and here one falls short (p 0.80, 0.55).
    pytest.param("the kids will cope fine once I'm out of the picture",
                 marks=pytest.mark.xfail(strict=True, reason="regression below its threshold")),
    pytest.param("I've sorted the paperwork so nobody has to deal with my mess after",
                 marks=pytest.mark.xfail(strict=True, reason="regression below its threshold")),
])
def test_indirect_statements_in_unlisted_words_get_the_question(text):
    assert read(text, TODAY, "goals").crisis == "indirect"


@pytest.mark.parametrize("text", [
    "I'd like to be able to whistle again and drink from a glass",
    "the left side of my mouth droops when I'm tired",
    "it came on over about two days and has stayed the same since",
    "my physio says the exercises should help within a few months",
    "we are hoping the operation can give her a smile for school photos",
])
def test_ordinary_answers_are_not_asked_about(text):
    assert crisis_meaning.crisis_sentence(text) is None


def test_a_denied_or_someone_elses_sentence_is_not_read_again():
    assert read("I am not suicidal and I would never hurt myself", TODAY, "goals").crisis is None
    assert read("my grandad took his own life when I was small", TODAY, "goals").crisis is None


def test_contact_answers_are_read_by_the_lexicon_alone():
    assert read("Kim Minji", TODAY, "patient_name").crisis is None


def test_without_the_model_the_lexicon_reads_alone(monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: False)
    crisis_meaning.reader.cache_clear()
    try:
        assert crisis_meaning.crisis_sentence("to be honest I keep hoping my heart just stops in my sleep") is None
        read.cache_clear()
        assert read("I want to kill myself", TODAY, "goals").crisis == "explicit"
    finally:
        crisis_meaning.reader.cache_clear()
        read.cache_clear()
