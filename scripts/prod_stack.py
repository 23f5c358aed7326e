"""Start scripts/prod.sh (replicas behind nginx, PostgreSQL, Redis) for tests and benchmarks.

Each stack gets its own PostgreSQL database, Redis key prefix, ports and folder, and is
removed afterwards, so runs never see each other's conversations.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from intake.crypto import new_key
from scripts.bot_process import ROOT, BotFailed, answers, free_port

PG_ADMIN_URL = os.environ.get("INTAKE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _free_block(size: int) -> int:
    """A base port with `size` free ports above it (prod.sh numbers replicas from it)."""
    import socket

    for _ in range(50):
        base = random.randint(20000, 40000)
        try:
            for offset in range(1, size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise BotFailed("no free block of ports")


class ProdStack:
    def __init__(self, folder: Path, replicas: int = 2, intake_db_url: str | None = None,
                 extra_env: dict[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self.replicas = replicas
        self.name = f"intakestack{uuid.uuid4().hex[:10]}"   # Redis key prefixes must be alphanumeric
        admin = PG_ADMIN_URL.rsplit("/", 1)[0]
        self.db_url = f"{admin}/{self.name}"
        self.base_port = _free_block(60 + replicas + 1)
        self.rasa_port, self.actions_port, self.web_port = free_port(), free_port(), free_port()
        self.env = {**os.environ, "REPLICAS": str(replicas), "PROD_DIR": str(self.folder),
                    "PG_DATABASE": self.name, "INTAKE_DB_URL": intake_db_url or self.db_url,
                    "REDIS_KEY_PREFIX": self.name, "RASA_TOKEN": "stack-token", "INTAKE_ENV": "production",
                    "INTAKE_SECRET_KEY": uuid.uuid4().hex, "INTAKE_ACTION_KEY": uuid.uuid4().hex,
                    "INTAKE_ENCRYPTION_KEYS": os.environ.get("INTAKE_ENCRYPTION_KEYS") or new_key(),
                    "BASE_PORT": str(self.base_port),
                    "RASA_PORT": str(self.rasa_port), "ACTIONS_PORT": str(self.actions_port),
                    # the replicas reach the action servers through this stack's balancer, never a
                    # development server an inherited environment names (scripts/env.sh sets one)
                    "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
                    "WEB_PORT": str(self.web_port), "RECONCILE_EVERY": "3600", **(extra_env or {})}
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.proc: subprocess.Popen | None = None

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.base_port + i}"

    def action_port(self, i: int) -> int:
        return self.base_port + 50 + i

    def start(self, timeout: float = 300) -> "ProdStack":
        self.folder.mkdir(parents=True, exist_ok=True)
        log = self.folder / "prod.log"
        with log.open("a") as out:
            self.proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "prod.sh")], cwd=ROOT, env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        urls = [self.replica_url(i) + "/" for i in range(1, self.replicas + 1)] + [self.rasa_url + "/"]
        urls += [f"http://127.0.0.1:{self.action_port(i)}/health" for i in range(1, self.replicas + 1)]
        deadline = time.monotonic() + timeout
        try:
            for url in urls:
                while not answers(url):
                    if self.proc.poll() is not None:
                        raise BotFailed(f"prod.sh exited: {log.read_text()[-3000:]}")
                    if time.monotonic() > deadline:
                        raise BotFailed(f"{url} not ready; see {self.folder}")
                    time.sleep(1)
        except BaseException:
            self.stop()       # a stack that failed to start must not stay behind, supervised
            raise
        return self

    def kill(self, pattern: str) -> None:
        """Kill the server process whose command line matches (the supervisor restarts it)."""
        out = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True).stdout.split()
        for pid in out:
            os.kill(int(pid), signal.SIGKILL)
        if not out:
            raise BotFailed(f"no process matches {pattern!r}")
        deadline = time.monotonic() + 10          # until it is gone: its socket no longer accepts
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in out):
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": self.name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
        engine.dispose()
