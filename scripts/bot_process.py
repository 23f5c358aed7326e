"""Run the bot (scripts/run.sh: action server + Rasa server) on free local ports.

Shared by the end-to-end tests, `make evaluate` and the benchmark.
"""
from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 240


class BotFailed(RuntimeError):
    """The bot did not start; the message ends with its log."""


def answers(url: str, accept_errors: bool = False) -> bool:
    """Whether a server answers at `url` now (an HTTP error counts with `accept_errors`).

    A malformed reply means "not yet" too: polling a loopback port nobody listens on yet can
    connect the client to itself (TCP simultaneous open), and its request comes back as the reply.
    """
    try:
        urllib.request.urlopen(url, timeout=2).read()
        return True
    except urllib.error.HTTPError:
        return accept_errors
    except (OSError, http.client.HTTPException):
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningBot:
    data_dir: Path
    env: dict[str, str]
    rasa_url: str
    web_url: str

    @property
    def token(self) -> str:
        return self.env["RASA_TOKEN"]

    def intake(self, *args: str) -> subprocess.CompletedProcess:
        """Run the project's `intake` command against this bot's store."""
        return subprocess.run([str(ROOT / ".venv" / "bin" / "intake"), *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)


class BotProcess:
    """One bot over one data folder; start() and stop() may be called again (restart tests)."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
        self.env = {**os.environ, "INTAKE_DATA_DIR": str(data_dir), "RASA_PORT": str(rasa_port),
                    "ACTIONS_PORT": str(actions_port), "RASA_TOKEN": "local-test-token",
                    "INTAKE_ACTION_KEY": secrets.token_hex(16),
                    "WEB_PORT": str(web_port), "RASA_URL": f"http://127.0.0.1:{rasa_port}",
                    "INTAKE_DB_URL": f"sqlite:///{self.data_dir / 'intake.db'}",
                    "TRACKER_DB_NAME": str(self.data_dir / "tracker.db"),
                    "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook", **(extra_env or {})}
        self.bot = RunningBot(self.data_dir, self.env, f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}")
        self.actions_url = f"http://127.0.0.1:{actions_port}/health"
        self.log = self.data_dir / "bot.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> RunningBot:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_for(self.actions_url)
        self._wait_for(self.bot.rasa_url + "/")
        self._wait_for(self.bot.web_url + "/chat/", accept_errors=True)
        return self.bot

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def _wait_for(self, url: str, accept_errors: bool = False) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BotFailed(f"the bot exited early ({self.proc.returncode}); log:\n{self.log.read_text()[-3000:]}")
            if answers(url, accept_errors):
                return
            time.sleep(1)
        raise BotFailed(f"{url} not ready after {READY_TIMEOUT}s; log:\n{self.log.read_text()[-3000:]}")
