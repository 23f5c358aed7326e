"""Encryption at rest for what identifies a patient: contact details, their messages, answers
and the conversation events Rasa keeps.

Keys come from ``INTAKE_ENCRYPTION_KEYS``: comma-separated Fernet keys (``intake keygen``
prints one). The first key seals new values; every key opens old ones, so a key is rotated by
putting a new one first, running ``intake rekey`` (which re-seals everything with it) and then
dropping the old one. With no keys set, production (``INTAKE_ENV=production``) refuses to
start; elsewhere a throwaway key is kept in the data folder (``encryption.key``, mode 0600),
so ``make run`` and the CLI work on a fresh machine without setup.

Sealed values are text that starts with ``SEALED_PREFIX``; anything else is read as written
before encryption was switched on, so an old database keeps working until ``intake rekey``.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from intake import config

log = logging.getLogger(__name__)

KEYS_ENV = "INTAKE_ENCRYPTION_KEYS"
KEY_FILE_NAME = "encryption.key"
SEALED_PREFIX = "sealed:v1:"


class EncryptionError(Exception):
    """Keys missing or malformed, or a value that none of the keys opens (one line, no secrets)."""


class Sealer:
    """Seals and opens text with an ordered list of Fernet keys (the first one seals)."""

    def __init__(self, keys: list[bytes]):
        if not keys:
            raise EncryptionError("no encryption keys given")
        try:
            self._fernets = [Fernet(key) for key in keys]
        except (ValueError, TypeError):
            raise EncryptionError(
                f"{KEYS_ENV} holds a malformed key (each must be 32 url-safe base64 bytes; "
                "`intake keygen` prints one)") from None
        self._multi = MultiFernet(self._fernets)

    def seal(self, text: str) -> str:
        return SEALED_PREFIX + self._multi.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        """The plain text of a sealed value; a value stored before encryption comes back as is."""
        if not is_sealed(stored):
            return stored
        try:
            return self._multi.decrypt(stored[len(SEALED_PREFIX):].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise EncryptionError(
                f"a stored value cannot be decrypted: the key that sealed it is not in {KEYS_ENV}") from None

    def reseal(self, stored: str) -> str:
        """The value sealed with the first key (plain text is sealed; already current is kept)."""
        if not is_sealed(stored):
            return self.seal(stored)
        try:
            self._fernets[0].decrypt(stored[len(SEALED_PREFIX):].encode("ascii"))
            return stored
        except (InvalidToken, UnicodeError):
            return self.seal(self.open(stored))


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def key_file() -> Path:
    return config.data_dir_path() / KEY_FILE_NAME


def _development_key(path: Path) -> bytes:
    """The data folder's throwaway key, made on first use; never used in production."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(new_key() + "\n")
            log.warning("made a development encryption key at %s; production sets %s", path, KEYS_ENV)
    return path.read_text().strip().encode("ascii")


@lru_cache(maxsize=8)
def _sealer_for(raw_keys: str, environment: str | None, data_dir: str | None) -> Sealer:
    keys = [part.strip().encode("ascii") for part in raw_keys.split(",") if part.strip()]
    if not keys:
        if environment == "production":
            raise EncryptionError(f"{KEYS_ENV} must be set in production (`intake keygen` prints a key)")
        keys = [_development_key(key_file())]
    return Sealer(keys)


def sealer() -> Sealer:
    """The sealer for the keys configured now (read at use time, so tests can change them).

    Called for every stored value: the settings it depends on are the cache key, nothing more.
    """
    env = os.environ
    return _sealer_for(env.get(KEYS_ENV, ""), env.get("INTAKE_ENV"), env.get("INTAKE_DATA_DIR"))
