"""Rasa's SQL tracker store with every event's data encrypted at rest (``intake.crypto``).

Rasa keeps each conversation as events whose JSON holds what the patient typed and the slots
(name, phone, answers). This store seals that JSON; the columns Rasa queries (sender, event
type, timestamp, intent and action names) stay plain. Events written before encryption are
read as they are. Configured in endpoints.yml as
``type: intake.tracker_store.SealedSQLTrackerStore`` with the same settings as ``type: SQL``.
"""
from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path
from typing import Optional, Text

import ujson
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event

from intake import config
from intake.crypto import sealer

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent


OPENED_CACHE_SIZE = 20000


def seal_event(data: dict) -> str:
    return sealer().seal(json.dumps(data))


def open_event(stored: str) -> dict:
    return ujson.loads(_opened(stored))     # as json.loads, in about half the time


@functools.lru_cache(maxsize=OPENED_CACHE_SIZE)
def _opened(stored: str) -> str:
    """Event JSON by its sealed text. Rasa re-reads a conversation's every event at every
    message; events are never changed once written, so each is decrypted once per process
    (about 60 conversations' worth are kept; a key taken out of the settings stops opening
    them at the next restart)."""
    return sealer().open(stored)


class SealedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose ``events.data`` column is sealed (and, on SQLite, whose files are 0600)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            database = self.engine.url.database
            config.make_private(database)
            event.listen(self.engine, "connect", lambda *_: config.make_private(database))

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            # only the data column: no ORM object per event (this runs for every message)
            events = [open_event(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=seal_event(data),
                    )
                )
            session.commit()
        log.debug("tracker %s stored", tracker.sender_id)


def from_environment() -> "SealedSQLTrackerStore":
    """Rasa's SQL tracker store, configured from the same TRACKER_DB_* settings as Rasa."""
    from rasa.shared.core.domain import Domain

    env = os.environ
    data_dir = config.data_dir_path()
    dialect = env.get("TRACKER_DB_DIALECT", "sqlite")
    return SealedSQLTrackerStore(
        domain=Domain.load(str(ROOT / "domain.yml")), dialect=dialect,
        host=env.get("TRACKER_DB_HOST") or None, port=env.get("TRACKER_DB_PORT") or None,
        db=env.get("TRACKER_DB_NAME") or str(data_dir / "tracker.db"),
        username=env.get("TRACKER_DB_USER") or None, password=env.get("TRACKER_DB_PASSWORD") or None)
