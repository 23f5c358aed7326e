"""The console's repositories over one database connection pool, opened on first use.

Opening lazily lets the web front start (and the patient chat work) while the database is
still coming up; console pages answer 503 until it is reachable.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from flask import current_app

from intake.store import IntakeStore
from intake.store.accounts import Accounts, LoginThrottle
from intake.store.audit import AuditLog
from intake.store.queue import Queue
from intake.store.workflow import Workflow

EXTENSION = "intake_console"


@dataclass
class Services:
    store: IntakeStore          # summaries and patient messages (the bot writes them)
    accounts: Accounts
    throttle: LoginThrottle
    workflow: Workflow
    queue: Queue
    audit: AuditLog

    @classmethod
    def open(cls, db_url: str | None) -> "Services":
        store = IntakeStore(db_url)          # migrates to the newest schema on first open
        engine = store.engine
        return cls(store=store, accounts=Accounts(engine), throttle=LoginThrottle(engine),
                   workflow=Workflow(engine), queue=Queue(engine), audit=AuditLog(engine))


class LazyServices:
    """Opens ``Services`` once, the first time they are needed; ``on_open`` runs right after."""

    def __init__(self, db_url: str | None, on_open: Callable[[Services], None] | None = None) -> None:
        self._db_url = db_url
        self._on_open = on_open
        self._lock = threading.Lock()
        self._services: Services | None = None

    def get(self) -> Services:
        if self._services is None:
            with self._lock:
                if self._services is None:
                    services = Services.open(self._db_url)
                    if self._on_open:
                        self._on_open(services)
                    self._services = services
        return self._services


def services() -> Services:
    return current_app.extensions[EXTENSION].get()
