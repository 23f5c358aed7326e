"""The conversation beside the summary: both sides from Rasa's HTTP API, or the stored patient
messages when Rasa is down or slow, said on the page."""
from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from intake.store import IntakeStore
from tests.web.console_data import (
    HOSTILE_SCRIPT,
    cheap_password_hashing,
    client_login,
    intake_id,
    make_console_app,
    save,
    summary,
)

T0 = datetime.now(timezone.utc) - timedelta(minutes=10)
TRACKER = {"sender_id": "conv-t", "events": [
    {"event": "action", "name": "action_listen", "timestamp": T0.timestamp()},
    {"event": "user", "text": "hi, my face droops " + HOSTILE_SCRIPT, "timestamp": T0.timestamp() + 1},
    {"event": "bot", "text": "Which side of the face is affected: left, right, or both?",
     "timestamp": T0.timestamp() + 2},
    {"event": "bot", "text": None, "data": {"custom": {}}, "timestamp": T0.timestamp() + 3},
    {"event": "user", "text": "left", "timestamp": T0.timestamp() + 4},
]}
LONG = "it started on a tuesday " * 400 + "and the end of the story: FINAL-WORDS"


class FakeRasa(BaseHTTPRequestHandler):
    requests: list[str] = []
    delay_s = 0.0
    tracker = TRACKER

    def do_GET(self):
        FakeRasa.requests.append(self.path)
        time.sleep(FakeRasa.delay_s)
        body = json.dumps(FakeRasa.tracker).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_rasa():
    FakeRasa.requests, FakeRasa.delay_s, FakeRasa.tracker = [], 0.0, TRACKER
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    cheap_password_hashing(monkeypatch)
    url = f"sqlite:///{tmp_path / 'transcript.db'}"
    store = IntakeStore(url)
    save(store, summary("conv-t", name="Tom Transcript", started_at=T0), ["hi, my face droops", "left"])
    store.dispose()
    return url


def page_of(db_url: str, rasa_url: str) -> str:
    client = make_console_app(db_url, rasa_url=rasa_url).test_client()
    client_login(client, "dev-nurse")
    store = IntakeStore(db_url)
    try:
        return client.get(f"/console/intakes/{intake_id(store, 'conv-t')}").get_data(as_text=True)
    finally:
        store.dispose()


def test_both_sides_come_from_rasa(db_url, fake_rasa):
    html = page_of(db_url, fake_rasa)
    assert "Which side of the face is affected" in html
    assert html.count('class="said-by-patient"') == 2 and html.count('class="said-by-bot"') == 1
    assert "&lt;script&gt;" in html and "<script>window" not in html
    assert 'id="transcript-note"' not in html
    [path] = FakeRasa.requests
    assert path.startswith("/conversations/conv-t/tracker?") and "token=web-test-token" in path


def test_rasa_down_shows_the_stored_patient_messages_and_says_so(db_url):
    html = page_of(db_url, "http://127.0.0.1:9")
    assert "could not be reached" in html and "only the patient&#39;s messages" in html
    assert html.count('class="said-by-patient"') == 2 and 'class="said-by-bot"' not in html


def test_slow_rasa_does_not_hold_the_page(db_url, fake_rasa, monkeypatch):
    monkeypatch.setenv("INTAKE_RASA_TIMEOUT", "0.3")
    FakeRasa.delay_s = 3
    started = time.monotonic()
    html = page_of(db_url, fake_rasa)
    assert time.monotonic() - started < 2.5
    assert "could not be reached" in html


def test_a_long_message_is_shown_whole_and_a_big_tracker_still_opens(db_url, fake_rasa):
    events = list(TRACKER["events"]) + [
        {"event": "user", "text": LONG[:2000], "metadata": {"full_text": LONG, "truncated": True},
         "timestamp": T0.timestamp() + 5},
        {"event": "action", "name": "action_listen", "timestamp": T0.timestamp() + 6,
         "padding": "x" * (6 * 1024 * 1024)}]
    FakeRasa.tracker = {"sender_id": "conv-t", "events": events}
    html = page_of(db_url, fake_rasa)
    assert "FINAL-WORDS" in html and 'id="transcript-note"' not in html
    assert html.count('class="said-by-patient"') == 3
