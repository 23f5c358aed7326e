"""Rasa's tracker store, sealed: the conversation events hold no patient text in the clear,
come back as Rasa wrote them, and older plain events still read."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text
from sqlalchemy.engine import make_url

from intake import crypto
from intake.rekey import rekey
from intake.store import IntakeStore
from intake.tracker_store import SealedSQLTrackerStore
from tests.conftest import ROOT

PHONE, NAME = "07700 900461", "Ada Quillfeather"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def tracker_store(cls, db_url: str, domain: Domain):
    """A tracker store on the same database as the intake store, as in production."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return cls(domain=domain, dialect="sqlite", db=url.database)
    return cls(domain=domain, dialect="postgresql", host=url.host, port=url.port or 5432,
               db=url.database, username=url.username)


def conversation(sender: str, domain: Domain, start: float = 1_700_000_000.0) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in (ActionExecuted("action_listen", timestamp=start),
                  UserUttered(f"my phone is {PHONE}", {"name": "inform", "confidence": 0.9}, timestamp=start + 1),
                  SlotSet("phone", PHONE, timestamp=start + 2),
                  SlotSet("patient_name", NAME, timestamp=start + 3),
                  BotUttered(f"Thank you, {NAME}.", timestamp=start + 4)):
        tracker.update(event)
    return tracker


def raw_events(engine) -> str:
    with engine.connect() as conn:
        return "\n".join(str(v) for row in conn.execute(text("SELECT * FROM events")) for v in row)


def test_events_are_sealed_and_read_back_as_written(db_url, domain):
    trackers = tracker_store(SealedSQLTrackerStore, db_url, domain)
    asyncio.run(trackers.save(conversation("conv-t", domain)))
    raw = raw_events(trackers.engine)
    assert PHONE not in raw and NAME not in raw and "Quillfeather" not in raw
    assert "inform" in raw and "action_listen" in raw          # what Rasa queries stays plain
    back = asyncio.run(trackers.retrieve("conv-t"))
    assert back.get_slot("phone") == PHONE and back.get_slot("patient_name") == NAME
    assert back.latest_message.text == f"my phone is {PHONE}"
    assert [e.as_dict() for e in back.events] == [e.as_dict() for e in conversation("conv-t", domain).events]
    trackers.engine.dispose()


def test_plain_events_written_before_encryption_read_and_rekey_seals_them(db_url, domain):
    plain = tracker_store(SQLTrackerStore, db_url, domain)
    asyncio.run(plain.save(conversation("conv-old", domain)))
    assert PHONE in raw_events(plain.engine)
    plain.engine.dispose()
    trackers = tracker_store(SealedSQLTrackerStore, db_url, domain)
    assert asyncio.run(trackers.retrieve("conv-old")).get_slot("phone") == PHONE
    store = IntakeStore(db_url)
    try:
        assert rekey(store, trackers).rows["tracker events"] == 5
    finally:
        store.dispose()
    assert PHONE not in raw_events(trackers.engine)
    assert asyncio.run(trackers.retrieve("conv-old")).get_slot("phone") == PHONE
    trackers.engine.dispose()


def test_the_wrong_key_is_refused_not_misread(db_url, domain, monkeypatch):
    trackers = tracker_store(SealedSQLTrackerStore, db_url, domain)
    asyncio.run(trackers.save(conversation("conv-k", domain)))
    monkeypatch.setenv(crypto.KEYS_ENV, crypto.new_key())
    with pytest.raises(crypto.EncryptionError):
        asyncio.run(trackers.retrieve("conv-k"))
    trackers.engine.dispose()
