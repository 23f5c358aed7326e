"""Console accounts and the login throttle, on every backend (see ``db_url`` in conftest)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from intake.store.accounts import AccountError, Accounts, LoginThrottle
from intake.store.base import utcnow
from intake.store.tables import users
from tests.web.console_data import cheap_password_hashing

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(store, monkeypatch):
    cheap_password_hashing(monkeypatch)          # argon2id, cheapest parameters: keeps the suite fast
    return Accounts(store.engine)


def test_password_is_stored_as_an_argon2id_hash_with_the_default_profile(store):
    accounts = Accounts(store.engine)
    accounts.create("Nurse.One", PASSWORD, "nurse")
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in stored
    assert accounts.authenticate("nurse.one", PASSWORD) is not None


def test_authenticate_by_normalised_name(accounts):
    created = accounts.create("  Nurse.One ", PASSWORD, "nurse")
    assert created.username == "nurse.one" and created.role == "nurse" and created.active
    user = accounts.authenticate("NURSE.ONE", PASSWORD)
    assert user is not None and user.id == created.id and user.last_login_at is not None
    assert accounts.authenticate("nurse.one", PASSWORD.upper()) is None
    assert accounts.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize("username, password, role", [
    ("a", PASSWORD, "nurse"),                      # too short a name
    ("has space", PASSWORD, "nurse"),
    ("nurse.two", "short", "nurse"),               # weak password
    ("nurse.two", "nurse.two", "nurse"),           # password is the username (and short)
    ("nurse.two", PASSWORD, "doctor"),             # unknown role
])
def test_bad_accounts_are_refused(accounts, username, password, role):
    with pytest.raises(AccountError):
        accounts.create(username, password, role)


def test_duplicate_username_is_refused(accounts):
    accounts.create("nurse.one", PASSWORD, "nurse")
    with pytest.raises(AccountError, match="already exists"):
        accounts.create("Nurse.One", PASSWORD + "x", "admin")


def test_disabling_ends_sessions_and_refuses_login(accounts):
    user = accounts.create("nurse.one", PASSWORD, "nurse")
    accounts.set_active("nurse.one", False)
    disabled = accounts.get(user.id)
    assert not disabled.active and disabled.session_generation == user.session_generation + 1
    assert accounts.authenticate("nurse.one", PASSWORD) is None
    assert accounts.password_matches("nurse.one", PASSWORD)


def test_new_password_replaces_the_old_one(accounts):
    user = accounts.create("nurse.one", PASSWORD, "nurse")
    accounts.set_password("nurse.one", "a brand new passphrase")
    assert accounts.authenticate("nurse.one", PASSWORD) is None
    renewed = accounts.authenticate("nurse.one", "a brand new passphrase")
    assert renewed.session_generation == user.session_generation + 1
    with pytest.raises(AccountError):
        accounts.set_password("nobody", "a brand new passphrase")


def test_ensure_creates_only_once(accounts):
    assert accounts.ensure("dev-nurse", PASSWORD, "nurse") is True
    assert accounts.ensure("dev-nurse", "another long password", "nurse") is False
    assert accounts.authenticate("dev-nurse", PASSWORD) is not None


def test_five_failures_block_the_username_for_the_window(store):
    throttle = LoginThrottle(store.engine)
    start = utcnow()
    for n in range(5):
        assert not throttle.check("nurse.one", "10.0.0.1", now=start).blocked
        throttle.record("nurse.one", "10.0.0.1", succeeded=False, now=start + timedelta(seconds=n))
    blocked = throttle.check("Nurse.One", "10.0.0.2", now=start + timedelta(minutes=1))
    assert blocked.blocked and "15 minutes" in blocked.reason
    assert not throttle.check("nurse.two", "10.0.0.2", now=start + timedelta(minutes=1)).blocked
    assert not throttle.check("nurse.one", "10.0.0.2", now=start + timedelta(minutes=16)).blocked


def test_a_successful_login_clears_the_username_count(store):
    throttle = LoginThrottle(store.engine)
    start = utcnow()
    for n in range(4):
        throttle.record("nurse.one", "10.0.0.1", succeeded=False, now=start + timedelta(seconds=n))
    throttle.record("nurse.one", "10.0.0.1", succeeded=True, now=start + timedelta(seconds=10))
    throttle.record("nurse.one", "10.0.0.1", succeeded=False, now=start + timedelta(seconds=11))
    assert not throttle.check("nurse.one", "10.0.0.1", now=start + timedelta(seconds=12)).blocked


def test_many_failures_from_one_address_block_it(store):
    throttle = LoginThrottle(store.engine, max_per_ip=6)
    start = utcnow()
    for n in range(6):
        throttle.record(f"guess{n}", "10.0.0.9", succeeded=False, now=start)
    decision = throttle.check("nurse.new", "10.0.0.9", now=start + timedelta(seconds=1))
    assert decision.blocked and "this computer" in decision.reason
    assert not throttle.check("nurse.new", "10.0.0.10", now=start + timedelta(seconds=1)).blocked


def test_the_count_is_shared_between_processes(store, db_url):
    """Two store objects (as two server processes would have) see the same failures."""
    from intake.store import IntakeStore

    other = IntakeStore(db_url)
    try:
        for _ in range(5):
            LoginThrottle(other.engine).record("nurse.one", "10.0.0.1", succeeded=False)
        assert LoginThrottle(store.engine).check("nurse.one", "10.0.0.1").blocked
    finally:
        other.dispose()


def test_attempts_at_once_get_no_more_password_checks_than_the_limit(store):
    """30 sign-ins at the same moment: each is counted before its password is checked."""
    from concurrent.futures import ThreadPoolExecutor

    throttle = LoginThrottle(store.engine)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda i: throttle.reserve("nurse.race", f"10.0.1.{i}"), range(30)))
    allowed = [attempt for decision, attempt in results if not decision.blocked]
    assert len(allowed) == throttle.max_per_user and all(allowed)


def test_a_reserved_attempt_that_succeeds_clears_the_count_and_a_reset_lifts_the_lockout(store):
    throttle = LoginThrottle(store.engine)
    _, attempt = throttle.reserve("nurse.two", "10.0.0.2")
    throttle.succeeded(attempt)
    for _ in range(5):
        assert not throttle.reserve("nurse.two", "10.0.0.2")[0].blocked
    assert throttle.reserve("nurse.two", "10.0.0.2")[0].blocked
    throttle.clear("Nurse.Two")
    assert not throttle.reserve("nurse.two", "10.0.0.2")[0].blocked
