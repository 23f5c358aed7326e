"""rasa-webchat (npm, pinned in the Makefile) on a hospital page, over the socket.io channel, in Chromium.

The page and the socket.io endpoint share one origin through nginx, as a hospital's own proxy
would serve them: a whole conversation with a reload in the middle, and an emergency.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from scripts.bot_process import answers, free_port
from tests.conftest import ROOT
from tests.web.conftest import started_bot
from tests.web.test_chat_browser import ANSWERS

pytestmark = pytest.mark.bot
WEBCHAT = ROOT / ".cache" / "rasa-webchat-1.0.1" / "lib" / "index.js"
WAIT = 30_000
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Facial nerve clinic</title></head>
<body><h1>Facial nerve clinic</h1><div id="webchat"></div>
<script src="/rasa-webchat.js"></script>
<script>
  WebChat.default({initPayload: "/greet", socketUrl: window.location.origin, socketPath: "/socket.io/",
                   title: "Facial nerve team", embedded: true, withRules: false, connectOn: "mount",
                   hideWhenNotConnected: false, customMessageDelay: () => 0, params: {storage: "local"},
                   inputTextFieldHint: "Type a message...", showMessageDate: false, docViewer: false,
                   displayUnreadCount: false, showCloseButton: false, fullScreenMode: false,
                   customData: {}, onSocketEvent: {}, protocol: "socketio", protocolOptions: {}},
                  document.getElementById("webchat"));
</script></body></html>"""
NGINX = """{user}
worker_processes 1; daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    types {{ text/html html; application/javascript js; }}
    client_body_temp_path {dir}/b; proxy_temp_path {dir}/p; fastcgi_temp_path {dir}/f;
    uwsgi_temp_path {dir}/u; scgi_temp_path {dir}/s;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/site;
        location /socket.io/ {{
            proxy_pass {rasa};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
        }}
    }}
}}"""


def _need(what: str, present: bool) -> None:
    if not present:
        if os.environ.get("CI"):
            pytest.fail(f"{what} missing (make setup fetches it)")
        pytest.skip(f"{what} missing (make setup fetches it)")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    _need("rasa-webchat", WEBCHAT.exists())
    _need("nginx", bool(shutil.which("nginx")))
    yield from started_bot(tmp_path_factory.mktemp("webchat-bot"))


@pytest.fixture(scope="module")
def site(bot, tmp_path_factory):
    """The hospital's page and its socket.io endpoint on one origin, through nginx."""
    folder = tmp_path_factory.mktemp("hospital-site")
    (folder / "site").mkdir()
    (folder / "site" / "index.html").write_text(PAGE)
    shutil.copy(WEBCHAT, folder / "site" / "rasa-webchat.js")
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX.format(user="user root;" if os.getuid() == 0 else "", dir=folder, port=port,
                                 rasa=bot.rasa_url))
    proc = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 20
    while not answers(url + "/") and time.monotonic() < deadline:
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


class Webchat:
    def __init__(self, page, bot) -> None:
        self.page, self.bot = page, bot
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.locator(".rw-response").first.wait_for(timeout=WAIT)
        self.settle()

    def settle(self) -> None:
        """Wait until the bot has stopped answering (no new message for a second)."""
        count, quiet_since = -1, time.monotonic()
        deadline = time.monotonic() + WAIT / 1000
        while time.monotonic() < deadline:
            now = self.page.locator(".rw-response").count()
            if now != count:
                count, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since > 1.0:
                return
            time.sleep(0.1)

    @property
    def sender(self) -> str:
        session = self.page.evaluate("() => JSON.parse(localStorage.getItem('chat_session') || '{}').session_id")
        return session.split(".")[0]

    def tracker(self) -> dict:
        query = urllib.parse.urlencode({"token": self.bot.token})
        with urllib.request.urlopen(f"{self.bot.rasa_url}/conversations/{self.sender}/tracker?{query}",
                                    timeout=30) as resp:
            return json.loads(resp.read())

    def say(self, text: str) -> None:
        before = self.page.locator(".rw-response").count()
        button = self.page.locator(".rw-reply", has_text=text)
        if button.count():
            button.first.click()
        else:
            box = self.page.locator(".rw-new-message")
            box.fill(text)
            box.press("Enter")
        self.page.wait_for_function("n => document.querySelectorAll('.rw-response').length > n", arg=before,
                                    timeout=WAIT)
        self.settle()

    def texts(self) -> list[str]:
        return self.page.locator(".rw-response").all_inner_texts()


def test_a_whole_conversation_with_a_reload(context, bot, site):
    chat = Webchat(context.new_page(), bot)
    chat.open(site)
    assert any("store your answers" in t for t in chat.texts()), chat.texts()
    sender = chat.sender
    for _ in range(40):
        field = chat.tracker()["slots"].get("requested_slot")
        if field is None:
            break
        if field == "paralysis_extent":          # a reload mid-way: the same conversation goes on
            chat.page.reload()
            chat.page.locator(".rw-response").first.wait_for(timeout=WAIT)
            assert chat.sender == sender
        chat.say(ANSWERS[field])
    assert chat.tracker()["slots"].get("requested_slot") is None
    summary = json.loads(bot.intake("export", sender).stdout)
    assert summary["status"] == "completed" and summary["patient"]["name"] == "Ada Testperson"
    assert any("within" in t or "nurse" in t for t in chat.texts()[-4:])
    assert not chat.errors


def test_an_emergency_through_webchat_is_kept(context, bot, site):
    chat = Webchat(context.new_page(), bot)
    chat.open(site)
    chat.say("Yes, I agree")
    chat.say("my left arm went weak an hour ago and my words are slurred")
    assert any("119" in t for t in chat.texts())
    summary = json.loads(bot.intake("export", chat.sender).stdout)
    assert summary["status"] == "emergency"
    assert "limb_weakness" in summary["history"]["neuro_symptoms"]
    user = [e["text"] for e in chat.tracker()["events"] if e.get("event") == "user"]
    assert user[-1] == "my left arm went weak an hour ago and my words are slurred"
    assert not chat.errors
