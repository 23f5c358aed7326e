"""The socket.io channel with a real python-socketio client, as rasa-webchat uses it."""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import socketio

from tests.e2e.conftest import EMBED_ORIGIN

pytestmark = pytest.mark.bot
WAIT = 60


class Widget:
    """A socket.io client speaking the widget's events: session_request, user_uttered, bot_uttered."""

    def __init__(self, bot, token: str | None = None, headers: dict | None = None) -> None:
        self.bot, self.token, self.headers = bot, token, headers or {}
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: asyncio.Queue = asyncio.Queue()
        self.confirmed: asyncio.Future | None = None
        self.client.on("bot_uttered", self.received.put_nowait)
        self.client.on("session_confirm", self._confirm)

    def _confirm(self, data):
        if self.confirmed and not self.confirmed.done():
            self.confirmed.set_result(data["session_id"] if isinstance(data, dict) else data)

    async def open(self) -> str:
        self.confirmed = asyncio.get_running_loop().create_future()
        await self.client.connect(self.bot.rasa_url, socketio_path="/socket.io", headers=self.headers,
                                  transports=["polling"])   # aiohttp 3.9 (Rasa pin) lacks the websocket client engineio wants
        await self.client.emit("session_request", {"session_id": self.token})
        self.token = await asyncio.wait_for(self.confirmed, WAIT)
        return self.token

    @property
    def sender(self) -> str:
        return self.token.split(".")[0]

    async def say(self, text: str, settle: float = 1.5) -> list[dict]:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.token})
        out = [await asyncio.wait_for(self.received.get(), WAIT)]
        while True:                      # the rest of this turn's messages
            try:
                out.append(await asyncio.wait_for(self.received.get(), settle))
            except asyncio.TimeoutError:
                return out

    async def close(self) -> None:
        await self.client.disconnect()


def tracker(bot, sender: str) -> dict:
    q = urllib.parse.urlencode({"token": bot.token})
    with urllib.request.urlopen(f"{bot.rasa_url}/conversations/{sender}/tracker?{q}", timeout=60) as resp:
        return json.loads(resp.read())


def test_the_emergency_turn_is_kept_through_socketio_as_through_rest(running_bot):
    async def talk():
        widget = Widget(running_bot)
        await widget.open()
        await widget.say("hello")
        await widget.say("yes I agree")
        replies = await widget.say("my right arm went weak an hour ago and my speech is slurred")
        await widget.close()
        return widget.sender, replies

    sender, replies = asyncio.run(talk())
    assert any("119" in (m.get("text") or "") for m in replies)
    assert {"custom": {"kind": "emergency"}} in replies
    state = tracker(running_bot, sender)
    texts = [e.get("text") for e in state["events"] if e.get("event") == "user"]
    assert texts[-1] == "my right arm went weak an hour ago and my speech is slurred"
    assert "limb_weakness" in state["slots"]["neuro_symptoms"]
    summary = json.loads(running_bot.intake("export", sender).stdout)
    assert summary["status"] == "emergency"
    assert "limb_weakness" in summary["history"]["neuro_symptoms"]


def test_a_conversation_is_joined_by_its_token_not_by_its_id(running_bot):
    async def talk():
        first = Widget(running_bot)
        await first.open()
        await first.say("hello")
        again = Widget(running_bot, token=first.token)          # a reload: the widget brings its token back
        same = await again.open()
        guess = Widget(running_bot, token=first.sender)         # someone who knows only the id
        other = await guess.open()
        forged = Widget(running_bot, token=first.sender + ".AAAA")
        forged_token = await forged.open()
        replies = await again.say("yes I agree")
        stolen = guess.received.qsize() + forged.received.qsize()
        for w in (first, again, guess, forged):
            await w.close()
        return first, same, other, forged_token, replies, stolen

    first, same, other, forged_token, replies, stolen = asyncio.run(talk())
    assert same == first.token
    assert other.split(".")[0] != first.sender and forged_token.split(".")[0] != first.sender
    assert replies and stolen == 0
    assert tracker(running_bot, first.sender)["slots"]["consent"] is True


def test_socketio_gets_the_rest_channels_input_checks(running_bot):
    async def talk():
        widget = Widget(running_bot)
        await widget.open()
        await widget.say("/restart")
        await widget.say("\ud800 hello " + "x" * 3000)
        await widget.close()
        return widget.sender

    sender = asyncio.run(talk())
    events = [e for e in tracker(running_bot, sender)["events"] if e.get("event") == "user"]
    assert events[0]["parse_data"]["intent"]["name"] != "restart" and events[0]["text"] == "restart"
    assert len(events[1]["text"]) <= 2000 and "\ufffd" in events[1]["text"]
    assert events[1]["metadata"]["full_text"].endswith("x" * 3000)


def _handshake(bot, origin: str) -> tuple[int, str | None]:
    req = urllib.request.Request(f"{bot.rasa_url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Access-Control-Allow-Origin")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Access-Control-Allow-Origin")


def test_socketio_lets_in_the_hospitals_sites_only(running_bot):
    assert _handshake(running_bot, EMBED_ORIGIN) == (200, EMBED_ORIGIN)
    assert _handshake(running_bot, "https://evil.example")[0] == 400
