"""The NLU test sets stay out of training: no line of them is in bot/data/nlu.yml."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from scripts.evaluate import TEST_SETS

ROOT = Path(__file__).resolve().parent.parent


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


@pytest.fixture(scope="module")
def training() -> set[str]:
    return {words(m.get("text")) for m in load_data(str(ROOT / "bot/data/nlu.yml")).intent_examples}


@pytest.mark.parametrize("path", TEST_SETS.values())
def test_no_test_line_is_trained_on(training, path):
    examples = load_data(str(ROOT / path)).intent_examples
    assert len(examples) > 100
    leaked = [m.get("text") for m in examples if words(m.get("text")) in training]
    assert leaked == []
