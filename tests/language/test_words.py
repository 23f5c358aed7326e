"""The shared word lists: each list a reader names exists, and a phrase means what words.yml says."""
import re
from pathlib import Path

import pytest

from intake.language import words

ROOT = Path(__file__).resolve().parents[2]


def test_every_list_the_code_names_is_in_words_yml():
    named = set()
    for path in (ROOT / "intake").rglob("*.py"):
        named |= set(re.findall(r"words\.(?:says|pattern)\(\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert named, "no reader uses the word lists"
    assert named <= set(words._entries()), named - set(words._entries())


@pytest.mark.parametrize("name, text, said", [
    ("correction", "Actually it is the left one", True),
    ("correction", "not the left but the right", True),
    ("correction", "Not right now. Last week I had a headache, but that's gone", False),
    ("correction", "what I meant by that was my eye", False),          # a question about wording
    ("correction", "I meant the right side", True),
    ("cause_said", "The doctor diagnosed Bell's palsy", True),       # a trailing * takes the word's rest
    ("cause_said", "it happened on a Tuesday", False),
    ("clinician_said", "the neurologist at the big hospital said it was a virus", True),
    ("clinician_said", "my mum said it was a virus", False),
    ("clinician_said", "they did a scan. my mum said it was a virus", False),   # not across a sentence
    ("suspected", "my wife reckons it's a stroke", True),
    ("newly", "weak for years but much worse since Monday", True),
    ("newly", "weak for years, the same as always", False),
    ("newly", "weak since 2015, nothing new", False),                 # "nothing new" says it is not new
    ("ongoing", "my hearing has   got worse", True),                # any run of spaces
    ("this_time", "and this time it started on Monday", True),
    ("self_correction", "ten days ago - no wait, 12", True),
    ("self_correction", "ten days ago, no waiting list", False),
])
def test_phrases(name, text, said):
    assert words.says(name, text) is said


def test_an_unknown_list_is_an_error_not_a_silent_miss():
    with pytest.raises(KeyError):
        words.pattern("no_such_list")
