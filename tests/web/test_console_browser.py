"""The nurse console in Debian's Chromium against the real server (`python -m web.serve`).

One server for the module (Rasa is not running: the console must work without it), its
SQLite store filled the way the bot fills it, and a fresh browser profile per test.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from fhir.resources.bundle import Bundle
from playwright.sync_api import expect

from intake.store import IntakeStore
from intake.store.audit import AuditLog
from tests.web.conftest import WebServer
from tests.web.console_data import browser_login, full_summary, intake_id, save, summary

NOW = datetime.now(timezone.utc)
# name -> (urgency, minutes waiting, extra): the queue order below is what nurses must see.
QUEUE = {
    "Rita Routine": ("routine", 300, {}),
    "Una Urgent-Newer": ("urgent", 20, {"phone": "020 1111 2222"}),
    "Olga Urgent-Older": ("urgent", 200, {}),
    "Emil Emergency": ("emergency", 2, {"status": "emergency", "clinics": ["emergency_department"]}),
    "Sam Soon": ("soon", 400, {"handoff": True, "status": "handed_off"}),
    "Nina Notriaged": (None, 500, {"status": "in_progress"}),
}
EXPECTED_ORDER = ["Emil Emergency", "Olga Urgent-Older", "Una Urgent-Newer", "Sam Soon", "Rita Routine",
                  "Nina Notriaged"]


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    server = WebServer(tmp_path_factory.mktemp("console-web"), {"INTAKE_CONSOLE_POLL_SECONDS": "1"}).start()
    store = IntakeStore(server.env["INTAKE_DB_URL"])
    for n, (name, (urgency, minutes, extra)) in enumerate(QUEUE.items()):
        save(store, summary(f"queue-{n}", name=name, urgency=urgency, started_at=NOW - timedelta(minutes=minutes),
                            **extra))
    save(store, full_summary("note-ada", name="Ada Testperson", started_at=NOW - timedelta(minutes=30)),
         ["my left side droops", "about six weeks ago"])
    for name in ("Wendy Workflow", "Ed Export", "Pia Print"):
        cid = name.split()[0].lower()
        save(store, summary(cid, name=name, urgency="routine", started_at=NOW - timedelta(minutes=600)))
    yield server, store
    store.dispose()
    server.stop()


def queue_names(page) -> list[str]:
    return page.locator("#queue-body .patient-link").all_inner_texts()


def test_login_wrong_password_then_sign_in_and_out(context, console):
    server, _ = console
    page = context.new_page()
    page.goto(f"{server.url}/console/")
    expect(page).to_have_url(f"{server.url}/console/login?next=/console/")
    page.fill("#username", "dev-nurse")
    page.fill("#password", "not-the-password")
    page.click("form.stacked-form button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Wrong username or password.")
    page.fill("#password", "dev-password-change-me")
    page.click("form.stacked-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Queue")
    expect(page.locator("nav")).to_contain_text("dev-nurse (nurse)")
    expect(page.locator("nav")).not_to_contain_text("Users")            # admin pages are not offered
    page.click("#sign-out")
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator(".flash")).to_have_text("You are signed out.")
    page.goto(f"{server.url}/console/")
    expect(page.locator("h1")).to_have_text("Sign in")


def test_queue_is_most_urgent_first_then_longest_waiting(context, console):
    server, _ = console
    page = context.new_page()
    browser_login(page, server.url)
    shown = [name for name in queue_names(page) if name in QUEUE]
    assert shown == EXPECTED_ORDER
    emergency = page.locator("#queue-body tr", has_text="Emil Emergency")
    expect(emergency).to_have_class("queue-row urgency-emergency")
    expect(emergency.locator(".badge")).to_have_text("Emergency")
    handoff = page.locator("#queue-body tr", has_text="Sam Soon")
    expect(handoff.locator(".flag-handoff")).to_have_text("Asked for a person")
    expect(page.locator("#handoff-strip")).to_contain_text("Sam Soon")
    # The order survives the page's own refresh (rows rebuilt by console.js from the JSON API).
    expect(page.locator("#queue-table")).to_have_attribute("data-refreshed", re.compile(r"^[1-9]"))
    assert [name for name in queue_names(page) if name in QUEUE] == EXPECTED_ORDER


def test_filter_by_urgency_and_search_by_phone(context, console):
    server, _ = console
    page = context.new_page()
    browser_login(page, server.url)
    page.select_option("#f-urgency", "urgent")
    page.click("#apply-filters")
    expect(page).to_have_url(f"{server.url}/console/?q=&state=open&urgency=urgent&clinic=&status=&handoff=&from=&to=")
    assert [n for n in queue_names(page) if n != "Lena Late"] == ["Olga Urgent-Older", "Ada Testperson",
                                                                  "Una Urgent-Newer"]
    assert set(page.locator("#queue-body tr").evaluate_all("rows => rows.map(r => r.dataset.urgency)")) == {"urgent"}
    page.select_option("#f-urgency", "")
    page.fill("#f-q", "0201111 2222")
    page.click("#apply-filters")
    expect(page.locator("#queue-body .patient-link")).to_have_text(["Una Urgent-Newer"])
    expect(page.locator("#queue-count")).to_have_text("1 intake")
    page.select_option("#f-handoff", "yes")
    page.click("#apply-filters")
    expect(page.locator("#queue-body")).to_have_text("No intakes match these filters.")


def test_new_intakes_appear_without_reload(context, console):
    server, store = console
    page = context.new_page()
    browser_login(page, server.url)
    page.evaluate("window.__sameDocument = true")
    save(store, summary("late-arrival", name="Lena Late", urgency="urgent", started_at=NOW))
    expect(page.locator("#queue-body tr", has_text="Lena Late")).to_be_visible(timeout=10_000)
    expect(page.locator("#queue-live")).to_have_text("1 new intake")
    assert page.evaluate("window.__sameDocument") is True          # refreshed in place, not reloaded
    assert queue_names(page).index("Lena Late") < queue_names(page).index("Sam Soon")


def test_summary_page_reads_like_a_clinical_note(context, console):
    server, _ = console
    page = context.new_page()
    browser_login(page, server.url)
    page.click("text=Ada Testperson")
    expect(page.locator("h1")).to_have_text("Ada Testperson")
    headings = page.locator(".note h2").all_inner_texts()
    assert headings[:8] == ["Red flags", "Urgency and reasons", "History", "Eye", "Ear", "Speech and eating",
                            "Goals", "Contact details"]
    expect(page.locator(".red-flags")).to_contain_text("None of the red-flag signs")
    reasons = page.locator(".reasons-table tbody tr")
    expect(reasons).to_have_count(2)
    expect(reasons.first).to_contain_text("R2-ACUTE")
    expect(reasons.first).to_contain_text("72-hour window")
    expect(page.locator(".note")).to_contain_text("Neurology, Ophthalmology")
    expect(page.locator(".since-onset")).to_have_text("45 days (1.5 months) since onset")
    expect(page.locator(".note")).to_contain_text("closes only partly")
    expect(page.locator(".note")).to_contain_text("pain, dryness")
    expect(page.locator("#goals-text")).to_have_text("close my eye again")
    expect(page.locator("#patient-phone")).to_have_text("010 0000 7777")
    # Rasa is down here: the patient's side of the conversation, and the page says so.
    expect(page.locator("#transcript-note")).to_contain_text("could not be reached")
    expect(page.locator("#transcript li")).to_have_count(2)
    expect(page.locator("#transcript li").first).to_contain_text("my left side droops")


def test_status_change_and_note_are_recorded(context, console):
    server, store = console
    page = context.new_page()
    browser_login(page, server.url)
    page.click("text=Wendy Workflow")
    expect(page.locator("#current-state")).to_have_text("Workflow: New")
    page.select_option("#new-state", "contacted")
    page.click("#state-form button")
    expect(page.locator("#current-state")).to_have_text("Workflow: Contacted")
    expect(page.locator("#workflow-history li")).to_contain_text("dev-nurse: New → Contacted")
    page.fill("#note-text", "Phoned, booked ENT on Tuesday.")
    page.click(".note-form button")
    expect(page.locator("#notes-list li")).to_contain_text("dev-nurse")
    expect(page.locator("#notes-list .note-text")).to_have_text("Phoned, booked ENT on Tuesday.")
    page.click("text=← Queue")
    expect(page.locator("#queue-body tr", has_text="Wendy Workflow").locator(".col-state")).to_contain_text("Contacted")
    actions = {e.action for e in AuditLog(store.engine).recent(intake_id=intake_id(store, "wendy"))}
    assert {"view_intake", "change_state", "add_note"} <= actions


def test_export_downloads_valid_fhir(context, console):
    server, store = console
    page = context.new_page()
    browser_login(page, server.url)
    page.click("text=Ed Export")
    expect(page.locator("h1")).to_have_text("Ed Export")
    with page.expect_download() as download_info:
        page.click("#export-fhir")
    download = download_info.value
    assert download.suggested_filename == f"intake-{intake_id(store, 'ed')}.fhir.json"
    bundle = json.loads(open(download.path(), encoding="utf-8").read())
    parsed = Bundle.parse_obj(bundle)
    response = parsed.entry[1].resource
    assert response.resource_type == "QuestionnaireResponse" and response.identifier.value == "ed"
    assert parsed.entry[0].resource.resource_type == "Questionnaire"
    assert "export_fhir" in [e.action for e in AuditLog(store.engine).recent(intake_id=intake_id(store, "ed"))]


def test_print_button_logs_and_prints_the_note_only(context, console):
    server, store = console
    page = context.new_page()
    browser_login(page, server.url)
    page.click("text=Pia Print")
    expect(page.locator("h1")).to_have_text("Pia Print")
    # A function, so Playwright runs it once (a bare assignment would return, and so call, the new print).
    page.evaluate("() => { window.print = () => { document.body.dataset.printed = 'yes'; }; }")
    page.click("#print-button")
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    assert "print" in [e.action for e in AuditLog(store.engine).recent(intake_id=intake_id(store, "pia"))]
    page.emulate_media(media="print")
    expect(page.locator(".transcript")).to_be_hidden()
    expect(page.locator(".actions")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text("printed")
    expect(page.locator("#note")).to_be_visible()
