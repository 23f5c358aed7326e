"""Web front settings, from the environment (read when the app is created)."""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass


class SettingsError(RuntimeError):
    """A setting needed outside development is missing."""


@dataclass(frozen=True)
class Settings:
    development: bool
    secret_key: str
    rasa_url: str          # the Rasa server, reached from this server only (never from the browser)
    rasa_token: str
    host: str
    port: int
    secure_cookies: bool
    chat_embed_origins: tuple[str, ...] = ()   # sites that embed the chat widget from another origin (CORS)

    @classmethod
    def from_env(cls) -> "Settings":
        development = os.environ.get("INTAKE_ENV", "production") == "development"
        secret = os.environ.get("INTAKE_SECRET_KEY", "")
        if not secret:
            if not development:
                raise SettingsError("INTAKE_SECRET_KEY must be set (INTAKE_ENV=development makes a throwaway one)")
            secret = secrets.token_hex(32)
        return cls(
            development=development,
            secret_key=secret,
            rasa_url=os.environ.get("RASA_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"),
            rasa_token=os.environ.get("RASA_TOKEN", ""),
            host=os.environ.get("WEB_HOST", "127.0.0.1"),
            port=int(os.environ.get("WEB_PORT", "8000")),
            secure_cookies=not development,
            chat_embed_origins=tuple(o.rstrip("/") for o in re.split(r"[\s,]+", os.environ.get("CHAT_EMBED_ORIGINS", ""))
                                     if o),
        )
