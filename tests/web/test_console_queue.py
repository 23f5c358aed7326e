"""The queue's filters as the page and the JSON API read them from the query string, and the
note's 'today' count of days since onset. Flask test client over the real app."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from intake.store import IntakeStore
from intake.store.audit import AuditLog
from intake.store.workflow import Workflow
from tests.web.console_data import (
    cheap_password_hashing,
    client_login,
    full_summary,
    intake_id,
    make_console_app,
    save,
    summary,
)

NOW = datetime.now(timezone.utc)
YESTERDAY = (NOW - timedelta(days=1)).date().isoformat()
LAST_WEEK = (NOW - timedelta(days=7)).date().isoformat()


@pytest.fixture
def env(tmp_path, monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("INTAKE_TIMEZONE", "UTC")
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    store = IntakeStore(url)
    save(store, summary("old", name="Olive Old", urgency="soon", started_at=NOW - timedelta(days=7),
                        clinics=["speech_therapy"]))
    save(store, summary("new", name="Ned New", urgency="urgent", started_at=NOW - timedelta(minutes=5),
                        handoff=True))
    save(store, summary("gone", name="Gil Gone", urgency="routine", started_at=NOW - timedelta(days=2)))
    Workflow(store.engine).change(intake_id(store, "gone"), "closed", "nurse.one")
    client = make_console_app(url).test_client()
    client_login(client, "dev-nurse")
    yield client, store
    store.dispose()


def names(client, query: str = "") -> list[str]:
    response = client.get(f"/console/api/queue?{query}")
    assert response.status_code == 200
    return [row["patient_name"] for row in response.json["intakes"]]


@pytest.mark.parametrize("query, expected", [
    ("", ["Ned New", "Olive Old"]),
    ("state=all", ["Ned New", "Olive Old", "Gil Gone"]),
    ("state=closed", ["Gil Gone"]),
    ("state=nonsense", ["Ned New", "Olive Old"]),                    # unknown values fall back, never error
    ("clinic=speech_therapy", ["Olive Old"]),
    ("handoff=yes", ["Ned New"]),
    ("handoff=no&state=all", ["Olive Old", "Gil Gone"]),
    (f"from={YESTERDAY}", ["Ned New"]),
    (f"to={LAST_WEEK}", ["Olive Old"]),
    (f"from={LAST_WEEK}&to={LAST_WEEK}", ["Olive Old"]),
    ("q=olive", ["Olive Old"]),
    ("urgency=soon", ["Olive Old"]),
    ("urgency=none", []),
])
def test_api_queue_filters(env, query, expected):
    client, _ = env
    assert names(client, query) == expected


def test_a_bad_date_is_ignored_with_a_message(env):
    client, _ = env
    response = client.get("/console/api/queue?from=31/12/2026")
    assert [row["patient_name"] for row in response.json["intakes"]] == ["Ned New", "Olive Old"]
    assert "not a date" in response.json["problems"][0]
    assert "not a date" in client.get("/console/?from=31/12/2026").get_data(as_text=True)


def test_api_rows_carry_values_and_display_texts(env):
    client, _ = env
    row = client.get("/console/api/queue").json["intakes"][0]
    assert row["urgency"] == "urgent" and row["urgency_label"] == "Urgent (within 72 hours)"
    assert row["handoff_requested"] is True and row["state"] == "new" and row["url"].startswith("/console/intakes/")
    assert row["reasons"] == [{"rule": "R-DEFAULT", "text": "urgent intake"}]


def test_auto_refresh_is_audited_once_not_every_poll(env):
    client, store = env
    client.get("/console/")
    for _ in range(5):
        client.get("/console/api/queue?refresh=1")
    views = [e for e in AuditLog(store.engine).recent(actor="dev-nurse") if e.action == "view_queue"]
    assert len(views) == 1


def test_the_note_counts_days_since_onset_to_today(env):
    client, store = env
    data = full_summary("onset", name="Ona Onset", started_at=NOW - timedelta(days=10))   # said 45 days, 10 days ago
    save(store, data)
    html = client.get(f"/console/intakes/{intake_id(store, 'onset')}").get_data(as_text=True)
    assert "45 days (1.5 months) since onset" in html
    assert "Today: 55 days (1.8 months) since onset" in html
