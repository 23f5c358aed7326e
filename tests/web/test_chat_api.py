"""The patient chat's JSON API (web/chat): input checks, the bot being down, and the Rasa plumbing.

The first group runs against the real web server (waitress, no Rasa behind it);
the second uses Flask's test client with a fake Rasa client; the third the pure functions.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from tests.web.conftest import WebServer
from web.chat import MAX_TEXT, UNAVAILABLE
from web.chat.rasa import RasaUnavailable, fold_rest_messages, messages_from_events, replies_after


def call(url: str, body=None, method: str | None = None, headers: dict | None = None, raw: bytes | None = None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"),
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def sender() -> str:
    return str(uuid.uuid4())


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    """One real web server (waitress) for the module; its Rasa address leads nowhere."""
    server = WebServer(tmp_path_factory.mktemp("chat-web")).start()
    yield server
    server.stop()


# ---- the real server, with the bot down ---------------------------------------------------
def test_page_and_widget_are_served_with_the_csp(web_server):
    status, headers, body = call(web_server.url + "/chat/")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    html = body.decode()
    assert 'src="/chat/widget.js"' in html and 'id="intake-chat"' in html
    assert "<script>" not in html and "style=" not in html          # nothing inline
    status, headers, body = call(web_server.url + "/chat/widget.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert b"api/message" in body
    status, headers, _ = call(web_server.url + "/chat/static/chat.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")


def test_config_has_the_privacy_notice(web_server):
    status, _, body = call(web_server.url + "/chat/api/config")
    config = json.loads(body)
    assert status == 200
    assert "facial nerve team" in config["privacy_notice"] and "emergency" in config["privacy_notice"]


@pytest.mark.parametrize("path,body", [
    ("/chat/api/message", {"text": "hello"}),
    ("/chat/api/start", {}),
    ("/chat/api/history", None),
])
def test_bot_down_is_a_clear_503(web_server, path, body):
    s = sender()
    if body is None:
        status, headers, raw = call(f"{web_server.url}{path}?sender={s}")
    else:
        status, headers, raw = call(web_server.url + path, {"sender": s, **body})
    assert status == 503
    reply = json.loads(raw)
    assert reply == {"error": "assistant_unavailable", "message": UNAVAILABLE}
    assert "your message is kept" in reply["message"]
    assert headers["Retry-After"] == "5" and headers["Content-Type"].startswith("application/json")


def test_a_retry_with_the_bot_down_is_a_503_too(web_server):
    status, _, _ = call(web_server.url + "/chat/api/message",
                        {"sender": sender(), "text": "hello", "id": str(uuid.uuid4()), "retry": True})
    assert status == 503


@pytest.mark.parametrize("body,code", [
    ({"text": "hello"}, "invalid_sender"),
    ({"sender": "not-a-uuid", "text": "hello"}, "invalid_sender"),
    ({"sender": "../../conversations", "text": "hello"}, "invalid_sender"),
    ({"sender": 12, "text": "hello"}, "invalid_sender"),
    ({"sender": "VALID", "text": ""}, "empty_text"),
    ({"sender": "VALID", "text": "   \n "}, "empty_text"),
    ({"sender": "VALID"}, "invalid_text"),
    ({"sender": "VALID", "text": ["hello"]}, "invalid_text"),
    ({"sender": "VALID", "text": "x" * (MAX_TEXT + 1)}, "text_too_long"),
    ({"sender": "VALID", "text": "hello", "id": "nope"}, "invalid_id"),
])
def test_bad_input_is_a_clear_400(web_server, body, code):
    body = {k: (sender() if v == "VALID" else v) for k, v in body.items()}
    status, headers, raw = call(web_server.url + "/chat/api/message", body)
    assert status == 400, raw
    reply = json.loads(raw)
    assert reply["error"] == code and reply["message"]
    assert headers["Content-Type"].startswith("application/json")


def test_not_json_and_too_big_are_clear_errors(web_server):
    status, _, raw = call(web_server.url + "/chat/api/message", raw=b"sender=1&text=hi",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and json.loads(raw)["error"] == "invalid_json"
    status, _, raw = call(web_server.url + "/chat/api/message", raw=json.dumps({"sender": sender(), "text": "x" * 70000}).encode())
    assert status == 413 and json.loads(raw)["message"]
    status, _, raw = call(web_server.url + "/chat/api/history?sender=nope")
    assert status == 400 and json.loads(raw)["error"] == "invalid_sender"


def test_text_of_exactly_the_limit_passes_the_checks(web_server):
    status, _, _ = call(web_server.url + "/chat/api/message", {"sender": sender(), "text": "y" * MAX_TEXT})
    assert status == 503          # accepted, then the bot is down


def test_cross_origin_calls_only_from_the_configured_site(tmp_path):
    server = WebServer(tmp_path, {"CHAT_EMBED_ORIGINS": "https://www.hospital.example"}).start()
    try:
        url = server.url + "/chat/api/config"
        _, headers, _ = call(url, headers={"Origin": "https://www.hospital.example"})
        assert headers.get("Access-Control-Allow-Origin") == "https://www.hospital.example"
        _, headers, _ = call(url, headers={"Origin": "https://elsewhere.example"})
        assert "Access-Control-Allow-Origin" not in headers
        status, headers, _ = call(server.url + "/chat/api/message", method="OPTIONS", raw=b"",
                                  headers={"Origin": "https://www.hospital.example",
                                           "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
        assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]
        assert headers["Access-Control-Allow-Headers"] == "Content-Type"
    finally:
        server.stop()


# ---- the Flask app with a fake Rasa ------------------------------------------------------------
class FakeRasa:
    def __init__(self) -> None:
        self.events_by_sender: dict[str, list] = {}
        self.sent: list[tuple] = []
        self.down = False

    def send(self, sender, text, message_id=None):
        if self.down:
            raise RasaUnavailable("down")
        self.sent.append((sender, text, message_id))
        events = self.events_by_sender.setdefault(sender, [])
        events.append({"event": "user", "text": text, "metadata": {"message_id": message_id}})
        reply = {"from": "bot", "text": f"echo {text}", "buttons": [], "emergency": False}
        events.append({"event": "bot", "text": reply["text"], "data": {}})
        return [reply]

    def events(self, sender):
        if self.down:
            raise RasaUnavailable("down")
        return list(self.events_by_sender.get(sender, []))

    def history(self, sender):
        return messages_from_events(self.events(sender))


@pytest.fixture
def fake():
    return FakeRasa()


@pytest.fixture
def client(fake):
    from web.app import create_app
    from web.settings import Settings

    settings = Settings(development=True, secret_key="x" * 32, rasa_url="http://127.0.0.1:9", rasa_token="t",
                        host="127.0.0.1", port=0, secure_cookies=False)
    app = create_app(settings, TESTING=True, CHAT_RASA_CLIENT=fake)
    return app.test_client()


def test_start_greets_once(client, fake):
    s = sender()
    first = client.post("/chat/api/start", json={"sender": s}).get_json()
    again = client.post("/chat/api/start", json={"sender": s}).get_json()
    assert first["started"] is True and first["messages"][0]["text"] == "echo /greet"
    assert again == {"sender": s, "started": False, "messages": []}
    assert [t for _, t, _ in fake.sent] == ["/greet"]
    assert client.get(f"/chat/api/history?sender={s}").get_json()["messages"] == [
        {"from": "bot", "text": "echo /greet", "buttons": [], "emergency": False, "id": None}]


def test_a_retried_message_that_already_arrived_is_not_sent_twice(client, fake):
    s, mid = sender(), str(uuid.uuid4())
    first = client.post("/chat/api/message", json={"sender": s, "text": "left", "id": mid}).get_json()
    again = client.post("/chat/api/message", json={"sender": s, "text": "left", "id": mid, "retry": True}).get_json()
    assert first["messages"] == again["messages"] and again["duplicate"] is True
    assert len(fake.sent) == 1
    history = client.get(f"/chat/api/history?sender={s}").get_json()["messages"]
    assert history[0] == {"from": "user", "text": "left", "buttons": [], "emergency": False, "id": mid}


def test_a_retried_message_that_never_arrived_is_sent(client, fake):
    s, mid = sender(), str(uuid.uuid4())
    fake.down = True
    assert client.post("/chat/api/message", json={"sender": s, "text": "left", "id": mid}).status_code == 503
    fake.down = False
    reply = client.post("/chat/api/message", json={"sender": s, "text": "left", "id": mid, "retry": True})
    assert reply.status_code == 200 and reply.get_json()["messages"][0]["text"] == "echo left"
    assert len(fake.sent) == 1


def test_typed_text_is_cleaned_not_read_as_an_intent(client, fake):
    s = sender()
    client.post("/chat/api/message", json={"sender": s, "text": "/restart please\x00"})
    client.post("/chat/api/message", json={"sender": s, "text": "  my face\x07 \n"})
    assert [t for _, t, _ in fake.sent] == ["restart please", "my face"]


def test_text_no_encoder_can_write_is_kept_as_a_mark_not_lost(client, fake):
    s = sender()
    reply = client.post("/chat/api/message", data='{"sender": "%s", "text": "left \\ud800 side"}' % s,
                        content_type="application/json")
    assert reply.status_code == 200 and [t for _, t, _ in fake.sent] == ["left \ufffd side"]


@pytest.mark.parametrize("raw", ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000],
                         ids=["lists", "objects"])
def test_deeply_nested_json_is_a_clear_400(client, fake, raw):
    reply = client.post("/chat/api/message", data=raw, content_type="application/json")
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_json"
    assert fake.sent == []


def test_api_replies_are_not_cached(client):
    reply = client.get(f"/chat/api/history?sender={sender()}")
    assert reply.headers["Cache-Control"] == "no-store"


# ---- the plumbing ------------------------------------------------------------------------------------
def test_emergency_custom_message_flags_the_text_before_it():
    raw = [{"recipient_id": "a", "text": "Call 119 now."}, {"recipient_id": "a", "custom": {"kind": "emergency"}},
           {"recipient_id": "a", "text": "Passed on.", "buttons": [{"title": "OK", "payload": "ok"}]}]
    assert fold_rest_messages(raw) == [
        {"from": "bot", "text": "Call 119 now.", "buttons": [], "emergency": True},
        {"from": "bot", "text": "Passed on.", "buttons": [{"title": "OK", "payload": "ok"}], "emergency": False},
    ]


def test_history_keeps_what_the_patient_saw():
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "/greet", "metadata": {}},
        {"event": "bot", "text": "Hello", "data": {"buttons": None}},
        {"event": "bot", "text": "May we store?", "data": {"buttons": [{"title": "Yes, I agree", "payload": "Yes, I agree"}]}},
        {"event": "user", "text": "Yes, I agree", "metadata": {"message_id": "m1"}},
        {"event": "slot", "name": "consent", "value": True},
        {"event": "bot", "text": "Call 119.", "data": {"custom": {"kind": "emergency"}}},
        {"event": "bot", "text": None, "data": {"custom": {"kind": "other"}}},
    ]
    messages = messages_from_events(events)
    assert [(m["from"], m["text"], m["emergency"]) for m in messages] == [
        ("bot", "Hello", False), ("bot", "May we store?", False), ("user", "Yes, I agree", False),
        ("bot", "Call 119.", True)]
    assert messages[1]["buttons"] == [{"title": "Yes, I agree", "payload": "Yes, I agree"}]
    assert messages[2]["id"] == "m1"
    assert replies_after(events, "m1") == [{"from": "bot", "text": "Call 119.", "buttons": [], "emergency": True}]
    assert replies_after(events, "missing") is None
