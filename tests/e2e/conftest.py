"""Start the trained bot (action server + Rasa server) on free local ports for a test session."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

MODELS = ROOT / "bot" / "models"
VENV_BIN = ROOT / ".venv" / "bin"
SIM_PYTHON = ROOT / ".venv-sim" / "bin" / "python"
READY_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, procs: list[subprocess.Popen], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"a bot process exited early ({proc.returncode}); log:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(1)
    pytest.fail(f"{url} not ready after {READY_TIMEOUT}s; log:\n{log.read_text()[-3000:]}")


class RunningBot:
    def __init__(self, data_dir: Path, env: dict[str, str], rasa_url: str) -> None:
        self.data_dir = data_dir
        self.env = env
        self.rasa_url = rasa_url
        self.token = env["RASA_TOKEN"]

    def intake(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(VENV_BIN / "intake"), *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)


class BotProcess:
    """scripts/run.sh (action server + Rasa server) on free ports over one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        rasa_port, actions_port = _free_port(), _free_port()
        self.env = {**os.environ, "INTAKE_DATA_DIR": str(data_dir), "RASA_PORT": str(rasa_port),
                    "ACTIONS_PORT": str(actions_port), "RASA_TOKEN": "e2e-token",
                    "INTAKE_DB_URL": f"sqlite:///{data_dir / 'intake.db'}",
                    "TRACKER_DB_NAME": str(data_dir / "tracker.db"),
                    "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook"}
        self.bot = RunningBot(data_dir, self.env, f"http://127.0.0.1:{rasa_port}")
        self.actions_url = f"http://127.0.0.1:{actions_port}/health"
        self.proc: subprocess.Popen | None = None

    def start(self) -> RunningBot:
        log = self.data_dir / "bot.log"
        with log.open("a") as out:
            self.proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for(self.actions_url, [self.proc], log)
        _wait_for(self.bot.rasa_url + "/", [self.proc], log)
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


def _trained() -> None:
    if not sorted(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in bot/models: `make test` trains one first")


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory) -> RunningBot:
    _trained()
    process = BotProcess(tmp_path_factory.mktemp("bot-data"))
    try:
        yield process.start()
    finally:
        process.stop()


@pytest.fixture
def bot_process(tmp_path) -> BotProcess:
    """A bot of the test's own, which the test may stop and start again."""
    _trained()
    process = BotProcess(tmp_path)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def sim_python() -> str:
    if not SIM_PYTHON.exists():
        pytest.fail(f"{SIM_PYTHON} missing: `make setup` creates the simulator's environment")
    return str(SIM_PYTHON)
