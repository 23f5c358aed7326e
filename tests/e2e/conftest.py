"""Start the trained bot (action server + Rasa server) on free local ports for the tests."""
from __future__ import annotations

import pytest

from scripts.bot_process import BotFailed, BotProcess, RunningBot
from tests.conftest import ROOT

MODELS = ROOT / "bot" / "models"
EMBED_ORIGIN = "https://www.hospital.example"      # the hospital's site, embedding the chat (CORS)
SIM_PYTHON = ROOT / ".venv-sim" / "bin" / "python"


def _trained() -> None:
    if not sorted(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in bot/models: `make test` trains one first")


def _start(process: BotProcess) -> RunningBot:
    try:
        return process.start()
    except BotFailed as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory) -> RunningBot:
    _trained()
    process = BotProcess(tmp_path_factory.mktemp("bot-data"), {"CHAT_EMBED_ORIGINS": EMBED_ORIGIN})
    try:
        yield _start(process)
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
