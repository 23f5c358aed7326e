"""The input checks every channel applies before NLU (bot/channels/checks.py)."""
from __future__ import annotations

import pytest

from bot.channels.checks import clean_text, for_nlu, valid_sender, whole_text_metadata


@pytest.mark.parametrize("raw, clean", [
    ("\ud800 hello", "\ufffd hello"),            # a lone surrogate: kept as a visible mark, not lost
    ("tab\tand\nline", "tab\tand\nline"),
    ("nul\x00here\x1b", "nulhere"),
    ("cafe\u0301", "caf\u00e9"),
    (None, ""), (42, ""), (["a"], ""),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean
    clean_text(raw).encode("utf-8")                 # always storable and loggable


@pytest.mark.parametrize("text, nlu", [
    ("/restart", "restart"),
    ("  //stop_intake{\"x\": 1}", "stop_intake{\"x\": 1}"),
    ("/", "?"),
    ("/greet", "/greet"),                           # the opening the web front and widgets send
    ("left side / both?", "left side / both?"),
])
def test_no_text_is_read_as_an_intent_but_the_opening(text, nlu):
    assert for_nlu(text) == nlu


def test_a_long_message_is_cut_for_nlu_and_kept_whole(monkeypatch):
    monkeypatch.setenv("INTAKE_MAX_MESSAGE_CHARS", "100")
    text = "my face " * 50
    assert len(for_nlu(text)) == 100
    assert whole_text_metadata(text) == {"full_text": text, "truncated": True}
    assert whole_text_metadata("/restart") == {"full_text": "/restart"}
    assert whole_text_metadata("fine") == {}


@pytest.mark.parametrize("sender, ok", [
    ("8c3d0c1e-0d4c-4b59-9a51-1f4b2f0f2f10", True), ("", False), ("   ", False), ("x" * 129, False),
    (None, False), (7, False), ("a\x00b", False), ("\ud800", False),
])
def test_valid_sender(sender, ok):
    assert valid_sender(sender) is ok


def test_what_nlu_does_not_read_is_kept_exactly():
    assert whole_text_metadata("hi\x08") == {"full_text": "hi\x08"}
    assert for_nlu("left \ud800\x00") == "left \ufffd"
