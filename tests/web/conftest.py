"""Browser and web-server fixtures: Debian's Chromium driven by Playwright, the real server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts.bot_process import free_port
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (installed by `make setup`); fails in CI when missing."""
    if not Path(CHROMIUM).exists():
        reason = "Debian's chromium is not installed (make setup installs it as root)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test, with no request allowed off this machine."""
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
    yield context
    context.close()


def _local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "http://localhost", "data:", "about:", "blob:"))


def started_bot(data_dir: Path, extra_env: dict[str, str] | None = None):
    """The trained bot (action server, Rasa, web front) over `data_dir`, for a module's tests."""
    from scripts.bot_process import BotFailed, BotProcess

    if not sorted((ROOT / "bot" / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in bot/models: `make test` trains one first")
    process = BotProcess(data_dir, extra_env=extra_env)
    try:
        yield process.start()
    except BotFailed as error:
        pytest.fail(str(error))
    finally:
        process.stop()


class WebServer:
    """`python -m web.serve` on a free port over its own database (no Rasa needed)."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "WEB_PORT": str(self.port), "INTAKE_ENV": "development",
                    "INTAKE_DB_URL": f"sqlite:///{data_dir / 'intake.db'}", "INTAKE_DATA_DIR": str(data_dir),
                    "RASA_URL": "http://127.0.0.1:9", "RASA_TOKEN": "web-test-token", **(extra_env or {})}
        self.log = data_dir / "web.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "WebServer":
        with self.log.open("a") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "web.serve"], cwd=ROOT, env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"web server exited: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/chat/", timeout=2)
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.3)
        pytest.fail("web server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


@pytest.fixture
def web_server(tmp_path):
    server = WebServer(tmp_path).start()
    yield server
    server.stop()
