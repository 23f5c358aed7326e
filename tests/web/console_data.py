"""Invented patients for the nurse console tests, written through IntakeStore as the bot would."""
from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone

from intake.store import IntakeStore

DEV_PASSWORD = "dev-password-change-me"
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'

_BLANK_HISTORY = {
    "affected_side": None, "paralysis_extent": None,
    "onset": {"date": None, "days_since_onset": None, "text": None},
    "onset_speed": None, "course": None, "recurrence": None, "cause": None, "cause_text": None,
    "eye_closure": None, "eye_symptoms": None, "speech_difficulty": None, "eating_difficulty": None,
    "eating_problems": None, "synkinesis": None, "ear_symptoms": None, "neuro_symptoms": None,
    "prior_treatments": None, "goals": None, "self_harm_risk": None, "red_flags_unsure": False,
}


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def summary(conversation_id: str, *, name: str | None, started_at: datetime, urgency: str | None = "routine",
            status: str = "completed", phone: str | None = "010 0000 0000", handoff: bool = False,
            clinics: list[str] | None = None, reasons: list[dict] | None = None, history: dict | None = None,
            unknown_answers: list[str] | None = None) -> dict:
    """A schema-valid summary (../shared/contract) for an invented patient."""
    merged = copy.deepcopy(_BLANK_HISTORY)
    merged.update(history or {})
    return {
        "schema_version": "1",
        "conversation_id": conversation_id,
        "status": status,
        "language": "en",
        "started_at": iso(started_at),
        "updated_at": iso(started_at + timedelta(minutes=4)),
        "consent": True,
        "patient": {"name": name, "date_of_birth": "1980-01-15", "age_years": 46, "phone": phone,
                    "email": None},
        "history": merged,
        "triage": {
            "urgency": urgency,
            "clinics": clinics if clinics is not None else ["facial_reanimation_surgery"],
            "reasons": reasons if reasons is not None else [{"rule": "R-DEFAULT", "text": f"{urgency} intake"}],
            "handoff_requested": handoff,
        },
        "unknown_answers": unknown_answers or [],
        "confirmed": status == "completed",
    }


def full_summary(conversation_id: str, *, name: str, started_at: datetime, goals: str = "close my eye again",
                 cause_text: str = "the doctor said Bell's palsy") -> dict:
    """An urgent intake with every section of the clinical note filled."""
    return summary(
        conversation_id, name=name, started_at=started_at, urgency="urgent", phone="010 0000 7777",
        clinics=["neurology", "ophthalmology"],
        reasons=[{"rule": "R2-ACUTE",
                  "text": "Began 2 days ago: inside the 72-hour window in which steroids help most."},
                 {"rule": "R4-EYE-AT-RISK", "text": "The eye does not close fully and has pain: risk to the cornea."}],
        history={"affected_side": "left", "paralysis_extent": "partial",
                 "onset": {"date": (started_at - timedelta(days=45)).date().isoformat(), "days_since_onset": 45,
                           "text": "about six weeks ago"},
                 "onset_speed": "sudden", "course": "unchanged", "recurrence": "none", "cause": "bells_palsy",
                 "cause_text": cause_text, "eye_closure": "partial", "eye_symptoms": ["pain", "dryness"],
                 "speech_difficulty": "mild", "eating_difficulty": "mild", "eating_problems": ["drooling"],
                 "synkinesis": "no", "ear_symptoms": [], "neuro_symptoms": [], "prior_treatments": ["steroids"],
                 "goals": goals},
    )


def save(store: IntakeStore, data: dict, messages: list[str] = ()) -> None:
    store.save_summary(data["conversation_id"], data)
    for n, text in enumerate(messages):
        store.record_message(data["conversation_id"], text=text, message_id=f"{data['conversation_id']}-m{n}")


def intake_id(store: IntakeStore, conversation_id: str) -> int:
    from sqlalchemy import select

    from intake.store.tables import intakes

    with store.engine.connect() as conn:
        return conn.execute(select(intakes.c.id).where(intakes.c.conversation_id == conversation_id)).scalar_one()


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def client_login(client, username: str, password: str = DEV_PASSWORD):
    """Sign a Flask test client in through the login form (with its CSRF token)."""
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})


def browser_login(page, base_url: str, username: str = "dev-nurse", password: str = DEV_PASSWORD) -> None:
    page.goto(f"{base_url}/console/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(f"{base_url}/console/")


def make_console_app(db_url: str, *, development: bool = True, rasa_url: str = "http://127.0.0.1:9"):
    """The real app (web.app.create_app) over its own database, for Flask test-client tests."""
    from web.app import create_app
    from web.settings import Settings

    settings = Settings(development=development, secret_key="test-secret-" + "x" * 40, rasa_url=rasa_url,
                        rasa_token="web-test-token", host="127.0.0.1", port=0, secure_cookies=not development)
    return create_app(settings, INTAKE_DB_URL=db_url, TESTING=True)


def cheap_password_hashing(monkeypatch) -> None:
    """argon2id with the cheapest parameters, for in-process tests that create many accounts.

    Production keeps argon2-cffi's default (RFC 9106 low-memory) profile, which one test checks.
    """
    from argon2 import PasswordHasher, profiles

    import intake.store.accounts as accounts_module

    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    monkeypatch.setattr(accounts_module, "_hasher", lambda: cheap)
