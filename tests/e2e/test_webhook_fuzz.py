"""Random text and malformed payloads at the REST webhook: no 5xx, no crash, nothing lost."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.test_conversation import Chat

pytestmark = pytest.mark.bot


def post_raw(bot, body: bytes, content_type: str = "application/json") -> tuple[int, bytes]:
    req = urllib.request.Request(f"{bot.rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def user_texts(bot, sender: str) -> list[str]:
    q = urllib.parse.urlencode({"token": bot.token})
    with urllib.request.urlopen(f"{bot.rasa_url}/conversations/{urllib.parse.quote(sender)}/tracker?{q}",
                                timeout=60) as resp:
        events = json.loads(resp.read())["events"]
    return [(e.get("metadata") or {}).get("full_text") or e.get("text") for e in events if e["event"] == "user"]


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(json_values, st.fixed_dictionaries({"sender": json_values, "message": json_values})))
def test_malformed_payloads_never_cause_a_server_error(running_bot, payload):
    status, _ = post_raw(running_bot, json.dumps(payload).encode())
    assert status < 500


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200))
def test_bytes_that_are_not_json_never_cause_a_server_error(running_bot, body):
    status, _ = post_raw(running_bot, body)
    assert status < 500


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_gets_a_reply_and_is_kept(running_bot, text):
    sender = f"fuzz-{uuid.uuid4().hex[:10]}"
    status, body = post_raw(running_bot, json.dumps({"sender": sender, "message": text}).encode())
    assert status == 200 and json.loads(body)
    assert user_texts(running_bot, sender)[-1].strip() == text.strip()     # surrounding blanks say nothing


def test_a_very_long_message_is_read_in_part_and_kept_whole(running_bot):
    chat = Chat(running_bot, "long")
    chat.through_screen()
    text = "my face " + "and it is hard to explain " * 500
    replies = chat.say(text)
    assert any("long message" in r for r in replies)
    assert chat.asked == "affected_side"
    assert user_texts(running_bot, chat.sender)[-1] == text
    proc = running_bot.intake("export", chat.sender)
    assert proc.returncode == 0
