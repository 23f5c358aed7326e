"""Console settings read once at start-up: what web/settings.py does not cover yet."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from intake import config as intake_config
from web.settings import Settings, SettingsError

DEV_PASSWORD = "dev-password-change-me"      # only ever used when INTAKE_ENV=development
MIN_API_TOKEN_LENGTH = 24


@dataclass(frozen=True)
class ConsoleConfig:
    development: bool
    api_token: str | None          # INTAKE_API_TOKEN: Bearer token for the JSON API; None = session only
    dev_password: str               # INTAKE_DEV_PASSWORD, else DEV_PASSWORD (development only)
    timezone: ZoneInfo              # INTAKE_TIMEZONE: times shown and date filters in the hospital's zone
    rasa_url: str
    rasa_token: str
    rasa_timeout_s: float
    poll_seconds: int               # INTAKE_CONSOLE_POLL_SECONDS: how often an open queue refreshes itself
    session_idle: timedelta         # the cookie's lifetime, renewed on every request
    session_max: timedelta          # a login never lasts longer than this (one long shift)

    @classmethod
    def from_env(cls, settings: Settings) -> "ConsoleConfig":
        token = os.environ.get("INTAKE_API_TOKEN", "").strip() or None
        if token is not None and len(token) < MIN_API_TOKEN_LENGTH:
            raise SettingsError(f"INTAKE_API_TOKEN must be at least {MIN_API_TOKEN_LENGTH} characters "
                                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')")
        try:
            zone = intake_config.timezone()
        except ValueError as error:
            raise SettingsError(str(error)) from None
        return cls(
            development=settings.development,
            api_token=token,
            dev_password=os.environ.get("INTAKE_DEV_PASSWORD") or DEV_PASSWORD,
            timezone=zone,
            rasa_url=settings.rasa_url.rstrip("/"),
            rasa_token=settings.rasa_token,
            rasa_timeout_s=float(os.environ.get("INTAKE_RASA_TIMEOUT", "2")),
            poll_seconds=max(1, int(os.environ.get("INTAKE_CONSOLE_POLL_SECONDS", "5"))),
            session_idle=timedelta(hours=8),
            session_max=timedelta(hours=12),
        )
