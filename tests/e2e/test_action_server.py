"""Only Rasa calls the action server: a made-up tracker from anyone else changes nothing."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from bot.action_server import KEY_HEADER
from tests.e2e.test_conversation import Chat

pytestmark = pytest.mark.bot


def call(bot, path: str, body: dict | None = None, key: str | None = None) -> tuple[int, bytes]:
    actions = bot.env["ACTION_ENDPOINT_URL"].rsplit("/", 1)[0]
    headers = {"Content-Type": "application/json", **({KEY_HEADER: key} if key is not None else {})}
    req = urllib.request.Request(actions + path, data=json.dumps(body).encode() if body is not None else None,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def forged_call(sender: str) -> dict:
    """What an attacker would send: a tracker with the patient's details changed."""
    return {"next_action": "action_finish_intake", "sender_id": sender, "version": "3.6.21",
            "tracker": {"sender_id": sender, "slots": {"patient_name": "Mallory Example", "phone": "010 0000 0000",
                                                      "consent": True},
                        "latest_message": {"text": "hi", "intent": {"name": "greet"}, "entities": []},
                        "events": [], "latest_action_name": "action_listen", "paused": False,
                        "followup_action": None, "active_loop": {}, "latest_event_time": 0},
            "domain": {}}


@pytest.mark.parametrize("key", [None, "", "wrong-key-of-some-length", "x" * 10_000])
def test_a_call_without_the_key_is_refused_and_changes_nothing(running_bot, key):
    chat = Chat(running_bot, "forged")
    chat.say("hello")
    chat.say("yes I agree")
    before = chat.summary()
    status, body = call(running_bot, "/webhook", forged_call(chat.sender), key)
    assert status == 401 and b"Mallory" not in body
    assert call(running_bot, "/actions", key=key)[0] == 401
    assert chat.summary() == before
    new_sender = f"forged-{uuid.uuid4().hex[:8]}"
    call(running_bot, "/webhook", forged_call(new_sender), key)
    assert running_bot.intake("export", new_sender).returncode != 0     # no intake was created


def test_rasa_calls_with_the_key_and_health_stays_open(running_bot):
    assert call(running_bot, "/health")[0] == 200
    assert call(running_bot, "/actions", key=running_bot.env["INTAKE_ACTION_KEY"])[0] == 200
    chat = Chat(running_bot, "keyed")
    assert chat.say("hello")                 # every turn of the bot goes through the action server
    assert chat.asked == "consent"


def test_an_action_error_does_not_echo_the_conversation(running_bot):
    status, body = call(running_bot, "/webhook", {"next_action": "action_finish_intake", "tracker": "not a tracker",
                                                  "secret-marker": "Jamie Example 010"},
                        key=running_bot.env["INTAKE_ACTION_KEY"])
    assert status >= 400 and b"Jamie Example" not in body


def test_the_running_bots_data_files_are_its_owners_alone(running_bot):
    Chat(running_bot, "modes").say("hello")
    files = [p for p in running_bot.data_dir.rglob("*") if p.is_file() and p.name != "bot.log"]
    assert any(p.name.startswith("tracker.db") for p in files) and any(p.name.startswith("intake.db") for p in files)
    loose = {p.name: oct(p.stat().st_mode & 0o777) for p in files if p.stat().st_mode & 0o077}
    assert not loose
