"""Who may do what in the nurse console: login, roles, CSRF, sessions, throttling, API token.

Flask test client over the real app and a real SQLite store: fast, and no browser needed to
see a status code.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.routing import Rule

from intake.store import IntakeStore
from intake.store.accounts import Accounts
from intake.store.audit import AuditLog
from tests.web.console_data import (
    DEV_PASSWORD,
    cheap_password_hashing,
    client_login,
    csrf_token,
    intake_id,
    make_console_app,
    save,
    summary,
)
from web.settings import SettingsError

API_TOKEN = "test-api-token-0123456789abcdef"
NOW = datetime.now(timezone.utc)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'console.db'}"


@pytest.fixture
def store(db_url):
    store = IntakeStore(db_url)
    save(store, summary("conv-1", name="Ada Testperson", started_at=NOW - timedelta(hours=1)), ["hello"])
    yield store
    store.dispose()


@pytest.fixture
def app(db_url, store, monkeypatch):
    monkeypatch.setenv("INTAKE_API_TOKEN", API_TOKEN)
    return make_console_app(db_url)


@pytest.fixture
def client(app):
    return app.test_client()


def _console_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules()
            if r.endpoint.startswith("console.") and r.endpoint not in ("console.static", "console.login")]


def _url(rule: Rule) -> str:
    values = {name: ("conv-1" if name == "conversation_id" else 1) for name in rule.arguments}
    return rule.build(values)[1]


def test_every_console_route_needs_login(app, client):
    rules = _console_rules(app)
    assert len(rules) >= 15          # the guard covers routes added later too: this list grows
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    for rule in rules:
        url = _url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token})
            if rule.endpoint.startswith("console.api_"):
                assert response.status_code == 401, (method, url)
                assert response.is_json and "Bearer" in response.headers["WWW-Authenticate"]
            elif method == "GET":
                assert response.status_code == 302, (method, url)
                assert response.headers["Location"].startswith("/console/login?next=")
            else:
                assert response.status_code == 401, (method, url)
            assert b"Ada Testperson" not in response.data


def test_login_then_queue_then_logout_ends_the_session(client):
    response = client_login(client, "dev-nurse")
    assert response.status_code == 302 and response.headers["Location"] == "/console/"
    assert b"Ada Testperson" in client.get("/console/").data
    cookie = client.get_cookie("session")
    token = csrf_token(client.get("/console/").get_data(as_text=True))
    assert client.post("/console/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/console/").status_code == 302
    # A copy of the old cookie is useless after logout.
    client.set_cookie("session", cookie.value, domain=cookie.domain, path=cookie.path)
    assert client.get("/console/").status_code == 302


def test_wrong_password_is_refused_and_audited(client, store):
    response = client_login(client, "dev-nurse", "not the password")
    assert response.status_code == 401
    assert b"Wrong username or password." in response.data
    assert client.get("/console/").status_code == 302
    assert [e.action for e in AuditLog(store.engine).recent(actor="dev-nurse")] == ["login_failed"]


def test_login_rotates_the_session(client):
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "x"
    client_login(client, "dev-nurse")
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session and "uid" in session


def test_next_only_leads_to_console_pages(client):
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    response = client.post("/console/login", data={"username": "dev-nurse", "password": DEV_PASSWORD,
                                                   "csrf_token": token, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/console/"


@pytest.mark.parametrize("target", ["/console/\r\nSet-Cookie: x=1", "/console/\nx", "/console/%0d%0a\x00",
                                    "/console/\x7f"])
def test_a_next_with_control_characters_goes_to_the_queue(client, target):
    assert client.get("/console/login", query_string={"next": target}).status_code == 200
    token = csrf_token(client.get("/console/login").get_data(as_text=True))
    response = client.post("/console/login", data={"username": "dev-nurse", "password": DEV_PASSWORD,
                                                   "csrf_token": token, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/console/"


def test_login_attempts_are_rate_limited(client):
    for _ in range(5):
        assert client_login(client, "dev-nurse", "guess").status_code == 401
    refused = client_login(client, "dev-nurse", DEV_PASSWORD)       # even the right password now
    assert refused.status_code == 429
    assert b"Too many failed sign-ins" in refused.data
    assert client_login(client, "dev-admin").status_code == 302     # another account is not locked


def test_disabled_user_is_signed_out_at_once(client, store):
    client_login(client, "dev-nurse")
    assert client.get("/console/").status_code == 200
    Accounts(store.engine).set_active("dev-nurse", False)
    assert client.get("/console/").status_code == 302
    assert client_login(client, "dev-nurse").status_code == 401


@pytest.mark.parametrize("method, url, data", [
    ("GET", "/console/admin/users", {}),
    ("POST", "/console/admin/users", {"username": "sneaky", "role": "admin", "password": "a-long-password-1"}),
    ("POST", "/console/admin/users/2/active", {"active": "no"}),
    ("POST", "/console/admin/users/2/password", {"password": "a-long-password-1"}),
    ("GET", "/console/admin/audit", {}),
])
def test_nurse_is_refused_admin_actions(client, store, method, url, data):
    client_login(client, "dev-nurse")
    token = csrf_token(client.get("/console/").get_data(as_text=True))
    response = client.open(url, method=method, data={**data, "csrf_token": token})
    assert response.status_code == 403
    accounts = Accounts(store.engine)
    assert accounts.by_name("sneaky") is None
    assert all(user.active for user in accounts.all())
    assert client_login(make_console_app(str(store.engine.url)).test_client(), "dev-admin").status_code == 302
    assert "access_denied" in [e.action for e in AuditLog(store.engine).recent(actor="dev-nurse")]


def test_admin_adds_a_nurse_who_can_sign_in(client, app):
    client_login(client, "dev-admin")
    token = csrf_token(client.get("/console/admin/users").get_data(as_text=True))
    response = client.post("/console/admin/users", data={"username": "Nurse.Kim", "role": "nurse",
                                                         "password": "kim-temporary-pw-1", "csrf_token": token})
    assert response.status_code == 303
    assert b"nurse.kim" in client.get("/console/admin/users").data
    assert client_login(app.test_client(), "nurse.kim", "kim-temporary-pw-1").status_code == 302


def test_an_admins_password_reset_lifts_the_lockout(client, app, store):
    nurse = app.test_client()
    for _ in range(5):
        client_login(nurse, "dev-nurse", "guess")
    assert client_login(nurse, "dev-nurse", DEV_PASSWORD).status_code == 429
    client_login(client, "dev-admin")
    token = csrf_token(client.get("/console/admin/users").get_data(as_text=True))
    user_id = Accounts(store.engine).by_name("dev-nurse").id
    reset = client.post(f"/console/admin/users/{user_id}/password",
                        data={"password": "a-fresh-password-42", "csrf_token": token})
    assert reset.status_code == 303
    assert client_login(nurse, "dev-nurse", "a-fresh-password-42").status_code == 302


def test_post_without_csrf_token_is_refused(client, store):
    client_login(client, "dev-nurse")
    conv = intake_id(store, "conv-1")
    response = client.post(f"/console/intakes/{conv}/state", data={"state": "closed", "expected": "new"})
    assert response.status_code == 400
    token = csrf_token(client.get("/console/").get_data(as_text=True))
    response = client.post(f"/console/intakes/{conv}/state", data={"state": "closed", "expected": "new",
                                                                   "csrf_token": token})
    assert response.status_code == 303


def test_api_takes_the_bearer_token_or_the_session(client, store):
    assert client.get("/console/api/queue").status_code == 401
    wrong = client.get("/console/api/queue", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = client.get("/console/api/queue", headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert right.status_code == 200 and right.json["intakes"][0]["patient_name"] == "Ada Testperson"
    conv = intake_id(store, "conv-1")
    one = client.get(f"/console/api/intakes/{conv}", headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert one.json["summary"]["conversation_id"] == "conv-1"
    by_conversation = client.get("/console/api/conversations/conv-1", headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert by_conversation.json["intake"]["id"] == conv
    # The token opens the API only, never the pages.
    assert client.get("/console/", headers={"Authorization": f"Bearer {API_TOKEN}"}).status_code == 302
    assert "api_intake" in [e.action for e in AuditLog(store.engine).recent(actor="api-token")]
    client_login(client, "dev-nurse")
    assert client.get("/console/api/queue").status_code == 200


def test_without_a_configured_token_only_the_session_works(db_url, store, monkeypatch):
    monkeypatch.delenv("INTAKE_API_TOKEN", raising=False)
    client = make_console_app(db_url).test_client()
    assert client.get("/console/api/queue", headers={"Authorization": "Bearer "}).status_code == 401
    assert client.get("/console/api/queue", headers={"Authorization": f"Bearer {API_TOKEN}"}).status_code == 401


def test_a_short_api_token_is_a_configuration_error(db_url, monkeypatch):
    monkeypatch.setenv("INTAKE_API_TOKEN", "short")
    with pytest.raises(SettingsError):
        make_console_app(db_url)


def test_development_accounts_are_created_once_and_announced(db_url, capsys):
    make_console_app(db_url)
    first = capsys.readouterr().out
    assert "dev-nurse" in first and "dev-admin" in first and DEV_PASSWORD in first
    make_console_app(db_url)
    assert "Development accounts" not in capsys.readouterr().out


def test_no_development_accounts_outside_development(db_url, store):
    client = make_console_app(db_url, development=False).test_client()
    assert client_login(client, "dev-nurse").status_code == 401
    assert Accounts(store.engine).by_name("dev-nurse") is None


def test_development_accounts_left_in_a_production_database_are_disabled(db_url, store):
    make_console_app(db_url)                                   # a development start on this database
    client = make_console_app(db_url, development=False).test_client()
    assert client_login(client, "dev-admin").status_code == 401
    assert not Accounts(store.engine).by_name("dev-admin").active


def test_session_cookie_is_secure_outside_development(db_url, store):
    Accounts(store.engine).create("nurse.ana", "ana-long-password-1", "nurse")
    client = make_console_app(db_url, development=False).test_client()
    response = client_login(client, "nurse.ana", "ana-long-password-1")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_are_not_cached(client):
    client_login(client, "dev-nurse")
    assert client.get("/console/").headers["Cache-Control"] == "no-store"


def test_a_session_ends_after_a_long_shift(client):
    client_login(client, "dev-nurse")
    with client.session_transaction() as session:
        session["login_at"] -= 13 * 3600
    assert client.get("/console/").status_code == 302
