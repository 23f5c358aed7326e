"""A conversation survives a restart of the servers (Rasa's SQL tracker store, the intake store)."""
from __future__ import annotations

import pytest

from tests.e2e.test_conversation import Chat

pytestmark = pytest.mark.bot


def test_conversation_resumes_after_a_restart(bot_process):
    chat = Chat(bot_process.start(), "restart")
    chat.through_screen()
    chat.say("left")
    assert chat.asked == "paralysis_extent"
    bot_process.stop()

    chat.bot = bot_process.start()
    assert chat.asked == "paralysis_extent"
    chat.say("a little")
    slots = chat.tracker()["slots"]
    assert slots["affected_side"] == "left" and slots["paralysis_extent"] == "partial"
    assert chat.summary()["history"]["paralysis_extent"] == "partial"
