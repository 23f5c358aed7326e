"""Console accounts: users with argon2-hashed passwords and roles, and the login throttle.

Passwords are only ever stored as argon2id hashes. A session is tied to the user's
``session_generation``: logging out, deactivating the account or changing its password
bumps it, which ends every session issued before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import and_, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from intake.store.base import Repository, translate_errors, utcnow
from intake.store.tables import login_attempts, users

ROLES = ("nurse", "admin")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256       # argon2 hashes anything, but a megabyte "password" is an attack


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message can be shown to the user."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool
    session_generation: int
    created_at: datetime
    last_login_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def normalise_username(raw: str) -> str:
    return (raw or "").strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise AccountError("a username is 2 to 64 characters: letters, digits, '.', '_' or '-', "
                           "starting with a letter or digit")
    return name


def check_password(password: str, username: str = "") -> None:
    """The password policy: long enough to resist guessing, and not the username."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if username and password.strip().lower() == normalise_username(username):
        raise AccountError("the password must not be the username")


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()      # argon2id, RFC 9106 low-memory profile


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so timing does not reveal which names exist."""
    return _hasher().hash("not a real password, only burns the same time")


def _user(row) -> User:
    return User(id=row.id, username=row.username, role=row.role, active=bool(row.active),
                session_generation=row.session_generation, created_at=row.created_at,
                last_login_at=row.last_login_at)


_USER_COLUMNS = (users.c.id, users.c.username, users.c.role, users.c.active, users.c.session_generation,
                 users.c.created_at, users.c.last_login_at)


class Accounts(Repository):
    """Create, find, authenticate and manage console users."""

    @translate_errors
    def create(self, username: str, password: str, role: str) -> User:
        name = check_username(username)
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        check_password(password, name)
        now = utcnow()
        try:
            with self._write() as conn:
                conn.execute(users.insert().values(
                    username=name, password_hash=_hasher().hash(password), role=role, active=True,
                    session_generation=0, created_at=now, password_changed_at=now, last_login_at=None))
        except IntegrityError:
            raise AccountError(f"user {name!r} already exists") from None
        return self.by_name(name)

    @translate_errors
    def get(self, user_id: int) -> User | None:
        with self._read() as conn:
            row = conn.execute(select(*_USER_COLUMNS).where(users.c.id == user_id)).one_or_none()
        return _user(row) if row else None

    @translate_errors
    def by_name(self, username: str) -> User | None:
        with self._read() as conn:
            row = conn.execute(select(*_USER_COLUMNS)
                               .where(users.c.username == normalise_username(username))).one_or_none()
        return _user(row) if row else None

    @translate_errors
    def all(self) -> list[User]:
        with self._read() as conn:
            return [_user(r) for r in conn.execute(select(*_USER_COLUMNS).order_by(users.c.username))]

    def _verified_row(self, username: str, password: str):
        """The user's row when ``password`` is theirs, else None (same work either way)."""
        with self._read() as conn:
            row = conn.execute(select(users.c.id, users.c.password_hash, users.c.active)
                               .where(users.c.username == normalise_username(username))).one_or_none()
        try:
            _hasher().verify(row.password_hash if row else _dummy_hash(), password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        return row

    @translate_errors
    def password_matches(self, username: str, password: str) -> bool:
        """Whether this is the user's password, active or not (changes nothing)."""
        return self._verified_row(username, password) is not None

    @translate_errors
    def authenticate(self, username: str, password: str) -> User | None:
        """The active user whose password this is (recording the login), else None."""
        row = self._verified_row(username, password)
        if row is None or not row.active:
            return None
        stored = row.password_hash
        with self._write() as conn:
            values = {"last_login_at": utcnow()}
            if _hasher().check_needs_rehash(stored):
                values["password_hash"] = _hasher().hash(password)
            conn.execute(update(users).where(users.c.id == row.id).values(**values))
        return self.get(row.id)

    @translate_errors
    def set_password(self, username: str, password: str) -> None:
        """Replace the password and end the user's sessions."""
        name = normalise_username(username)
        check_password(password, name)
        self._update(name, password_hash=_hasher().hash(password), password_changed_at=utcnow(),
                     session_generation=users.c.session_generation + 1)

    @translate_errors
    def set_active(self, username: str, active: bool) -> None:
        """Enable or disable an account; disabling ends its sessions at once."""
        self._update(normalise_username(username), active=active,
                     session_generation=users.c.session_generation + 1)

    @translate_errors
    def end_sessions(self, user_id: int) -> None:
        with self._write() as conn:
            conn.execute(update(users).where(users.c.id == user_id)
                         .values(session_generation=users.c.session_generation + 1))

    @translate_errors
    def ensure(self, username: str, password: str, role: str) -> bool:
        """Create the user unless the name exists; True when created (development accounts)."""
        if self.by_name(username) is not None:
            return False
        try:
            self.create(username, password, role)
        except AccountError:
            if self.by_name(username) is not None:    # another process created it meanwhile
                return False
            raise
        return True

    def _update(self, name: str, **values) -> None:
        with self._write() as conn:
            changed = conn.execute(update(users).where(users.c.username == name).values(**values)).rowcount
        if not changed:
            raise AccountError(f"no user {name!r}")


@dataclass(frozen=True)
class ThrottleDecision:
    blocked: bool
    reason: str = ""


class LoginThrottle(Repository):
    """Failed logins counted in the database, so every server process sees the same counts.

    A username is blocked after ``max_per_user`` failures in ``window`` (counting only since
    its last successful login); an address after ``max_per_ip`` failures, set higher because
    a whole ward can share one address behind the hospital's proxy.
    """

    def __init__(self, engine, *, max_per_user: int = 5, max_per_ip: int = 20,
                 window: timedelta = timedelta(minutes=15)) -> None:
        super().__init__(engine)
        self.max_per_user = max_per_user
        self.max_per_ip = max_per_ip
        self.window = window

    @translate_errors
    def check(self, username: str, ip: str, now: datetime | None = None) -> ThrottleDecision:
        now = now or utcnow()
        with self._read() as conn:
            return self._decide(conn, normalise_username(username)[:64], ip[:64], now)

    def _decide(self, conn, name: str, ip: str, now: datetime) -> ThrottleDecision:
        since = now - self.window
        last_success = conn.execute(
            select(func.max(login_attempts.c.attempted_at))
            .where(login_attempts.c.username == name, login_attempts.c.succeeded.is_(True))
        ).scalar_one_or_none()
        user_since = max(since, last_success) if last_success else since
        user_failures = self._failures(conn, login_attempts.c.username == name, user_since)
        ip_failures = self._failures(conn, login_attempts.c.ip == ip, since)
        minutes = int(self.window.total_seconds() // 60)
        if user_failures >= self.max_per_user:
            return ThrottleDecision(True, f"Too many failed sign-ins for this username. Wait {minutes} minutes "
                                          "and try again, or ask an administrator to reset your password.")
        if ip_failures >= self.max_per_ip:
            return ThrottleDecision(True, f"Too many failed sign-ins from this computer. Wait {minutes} minutes "
                                          "and try again.")
        return ThrottleDecision(False)

    @translate_errors
    def reserve(self, username: str, ip: str, now: datetime | None = None) -> tuple[ThrottleDecision, int | None]:
        """Check and count one attempt in a single transaction, before the password is checked: of
        many attempts at once, no more than the limit get a password check. The attempt is recorded
        as failed until ``succeeded`` says otherwise. Returns the decision and the attempt's id."""
        now = now or utcnow()
        name, ip = normalise_username(username)[:64], ip[:64]
        with self._write() as conn:
            if conn.dialect.name == "postgresql":    # SQLite's write lock is taken at BEGIN already
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"login:{name}"})
            decision = self._decide(conn, name, ip, now)
            if decision.blocked:
                return decision, None
            attempt = conn.execute(login_attempts.insert().values(
                username=name, ip=ip, succeeded=False, attempted_at=now)).inserted_primary_key[0]
            conn.execute(delete(login_attempts).where(login_attempts.c.attempted_at < now - timedelta(days=1)))
        return decision, attempt

    @translate_errors
    def succeeded(self, attempt: int) -> None:
        with self._write() as conn:
            conn.execute(update(login_attempts).where(login_attempts.c.id == attempt).values(succeeded=True))

    @translate_errors
    def clear(self, username: str) -> None:
        """Forget a username's failed attempts (an administrator reset its password)."""
        with self._write() as conn:
            conn.execute(delete(login_attempts).where(login_attempts.c.username == normalise_username(username)[:64],
                                                      login_attempts.c.succeeded.is_(False)))

    @staticmethod
    def _failures(conn, who, since: datetime) -> int:
        return conn.execute(select(func.count()).select_from(login_attempts).where(
            and_(who, login_attempts.c.succeeded.is_(False), login_attempts.c.attempted_at > since))).scalar_one()

    @translate_errors
    def record(self, username: str, ip: str, succeeded: bool, now: datetime | None = None) -> None:
        """Remember one attempt, and forget attempts older than a day (the table stays small)."""
        now = now or utcnow()
        with self._write() as conn:
            conn.execute(login_attempts.insert().values(
                username=normalise_username(username)[:64], ip=ip[:64], succeeded=succeeded, attempted_at=now))
            conn.execute(delete(login_attempts).where(login_attempts.c.attempted_at < now - timedelta(days=1)))
