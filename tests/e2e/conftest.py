"""Start the trained bot (action server + Rasa server) on free local ports for a test session."""
from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory) -> RunningBot:
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail("no trained model in bot/models: `make test` trains one first")
    data_dir = tmp_path_factory.mktemp("bot-data")
    rasa_port, actions_port = _free_port(), _free_port()
    env = {**os.environ, "INTAKE_DATA_DIR": str(data_dir), "RASA_PORT": str(rasa_port),
           "ACTIONS_PORT": str(actions_port), "RASA_TOKEN": "e2e-token",
           "INTAKE_DB_URL": f"sqlite:///{data_dir / 'intake.db'}",
           "TRACKER_DB_NAME": str(data_dir / "tracker.db"),
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook"}
    log = data_dir / "bot.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(f"http://127.0.0.1:{actions_port}/health", [proc], log)
        _wait_for(f"http://127.0.0.1:{rasa_port}/", [proc], log)
        yield RunningBot(data_dir, env, f"http://127.0.0.1:{rasa_port}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def sim_python() -> str:
    if not SIM_PYTHON.exists():
        pytest.fail(f"{SIM_PYTHON} missing: `make setup` creates the simulator's environment")
    return str(SIM_PYTHON)
