"""The production layout (scripts/prod.sh) for failure tests: needs PostgreSQL, Redis and nginx.

On a machine without them the tests are skipped with the reason; in CI (CI set) they fail.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import urllib.parse
import urllib.request
import uuid

import pytest

from scripts.prod_stack import ProdStack
from tests.conftest import ROOT

pytestmark = pytest.mark.production


def _missing() -> str | None:
    if not shutil.which("nginx"):
        return "nginx is not installed (make setup installs it as root)"
    for host, port, name in (("127.0.0.1", 5432, "PostgreSQL"), ("127.0.0.1", 6379, "Redis")):
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as error:
            return f"{name} not reachable at {host}:{port}: {error}"
    if not sorted((ROOT / "bot" / "models").glob("*.tar.gz")):
        return "no trained model in bot/models"
    return None


class DatabaseProxy:
    """A TCP forwarder in front of PostgreSQL: stop() is the intake database going down."""

    def __init__(self, target=("127.0.0.1", 5432)) -> None:
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.close()
        self.conns: list[socket.socket] = []
        self.running = False

    def start(self) -> "DatabaseProxy":
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def stop(self) -> None:
        self.running = False
        try:
            self.listener.shutdown(socket.SHUT_RDWR)    # wakes the thread blocked in accept()
        except OSError:
            pass
        self.listener.close()
        for conn in self.conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            except OSError:
                pass
        self.conns = []


@pytest.fixture(scope="session")
def db_proxy():
    proxy = DatabaseProxy().start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, db_proxy):
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("prod")
    probe = ProdStack(folder)     # its database name, reached through the proxy for the intake store
    intake_url = f"postgresql://postgres@127.0.0.1:{db_proxy.port}/{probe.name}"
    probe.env["INTAKE_DB_URL"] = intake_url
    probe.intake_url = intake_url
    probe.start()
    yield probe
    probe.stop()


class Patient:
    """One simulated patient talking to the stack over the REST channel."""

    def __init__(self, stack: ProdStack, name: str = "p") -> None:
        self.stack = stack
        self.sender = f"{name}-{uuid.uuid4().hex[:10]}"

    def say(self, text: str, via: str | None = None) -> list[str]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        req = urllib.request.Request(f"{via or self.stack.rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as resp:
            return [m.get("text") or "" for m in json.loads(resp.read() or b"[]")]

    def slots(self, via: str | None = None) -> dict:
        q = urllib.parse.urlencode({"token": self.stack.env["RASA_TOKEN"], "include_events": "NONE"})
        url = f"{via or self.stack.rasa_url}/conversations/{urllib.parse.quote(self.sender)}/tracker?{q}"
        with urllib.request.urlopen(url, timeout=60) as resp:
            return json.loads(resp.read())["slots"]
