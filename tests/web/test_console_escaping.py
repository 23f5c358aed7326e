"""A patient who types markup runs nothing in a nurse's browser, and the nurse reads it literally.

Hostile text goes everywhere a patient's words reach the console: name, goals, cause in their
own words, onset words, and a chat message. The browser checks both the server-rendered page
and the rows console.js rebuilds from the JSON API. No <script> or <img> element may appear
(so the test does not merely rely on the CSP blocking them).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from intake.store import IntakeStore
from tests.web.conftest import WebServer
from tests.web.console_data import (
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    browser_login,
    cheap_password_hashing,
    client_login,
    full_summary,
    intake_id,
    make_console_app,
    save,
)

NAME = f"Eve {HOSTILE_SCRIPT}"
GOALS = f"smile {HOSTILE_IMG} & {HOSTILE_SCRIPT}"
CAUSE = f"{HOSTILE_IMG} said the doctor"
MESSAGE = f"hello {HOSTILE_SCRIPT}{HOSTILE_IMG}"
CONVERSATION = "conv-<b>hostile</b>"


def hostile_summary() -> dict:
    data = full_summary(CONVERSATION, name=NAME, started_at=datetime.now(timezone.utc) - timedelta(minutes=5),
                        goals=GOALS, cause_text=CAUSE)
    data["history"]["onset"]["text"] = HOSTILE_SCRIPT
    data["triage"]["reasons"].append({"rule": "R-X", "text": f"reason {HOSTILE_IMG}"})
    return data


def seed(url: str) -> IntakeStore:
    store = IntakeStore(url)
    save(store, hostile_summary(), [MESSAGE])
    return store


def test_pages_escape_patient_text(tmp_path, monkeypatch):
    cheap_password_hashing(monkeypatch)
    url = f"sqlite:///{tmp_path / 'escape.db'}"
    store = seed(url)
    try:
        client = make_console_app(url).test_client()
        client_login(client, "dev-nurse")
        pages = [client.get("/console/").get_data(as_text=True),
                 client.get(f"/console/intakes/{intake_id(store, CONVERSATION)}").get_data(as_text=True)]
    finally:
        store.dispose()
    for html in pages:
        assert "window.__pwned" in html                       # the text is there ...
        assert "<script>window" not in html and "<img src=x" not in html   # ... but never as markup
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in pages[1]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    server = WebServer(tmp_path_factory.mktemp("console-escape"), {"INTAKE_CONSOLE_POLL_SECONDS": "1"}).start()
    store = seed(server.env["INTAKE_DB_URL"])
    yield server, store
    store.dispose()
    server.stop()


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("main script, main img").count() == 0


def test_hostile_text_runs_nothing_and_reads_literally(context, hostile_server):
    server, store = hostile_server
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_login(page, server.url)

    row = page.locator("#queue-body tr", has=page.locator(".conversation-id", has_text=CONVERSATION))
    expect(row.locator(".patient-link")).to_have_text(NAME)
    assert_nothing_ran(page)
    # After console.js rebuilt the table from the JSON API: still text, still nothing ran.
    expect(page.locator("#queue-table")).to_have_attribute("data-refreshed", re.compile(r"^[1-9]"))
    expect(row.locator(".patient-link")).to_have_text(NAME)
    expect(row.locator(".reasons")).to_contain_text(f"reason {HOSTILE_IMG}")
    assert_nothing_ran(page)

    row.locator(".patient-link").click()
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator("#patient-name")).to_have_text(NAME)
    expect(page.locator("#goals-text")).to_have_text(GOALS)
    expect(page.locator(".note")).to_contain_text(CAUSE)
    expect(page.locator(".note")).to_contain_text(HOSTILE_SCRIPT)            # the onset words
    expect(page.locator("#transcript .said")).to_have_text([MESSAGE])
    expect(page.locator(".conversation-id")).to_have_text(CONVERSATION)
    assert page.title().startswith(NAME)
    assert_nothing_ran(page)
    assert dialogs == []
