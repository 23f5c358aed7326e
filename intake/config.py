"""Settings read from the environment, so deployments change behaviour without code edits.

Only plain values live here; modules that need a setting call these functions at use time
(not import time) so tests and the CLI can change the environment first.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOSPITAL_FILE = Path(__file__).resolve().parent / "hospital.yml"


@lru_cache(maxsize=1)
def hospital() -> dict[str, Any]:
    """The hospital's own settings (hospital.yml): numbers, crisis line, time zone."""
    return yaml.safe_load(HOSPITAL_FILE.read_text(encoding="utf-8"))


def timezone_name() -> str:
    """The patients' time zone: ``INTAKE_TIMEZONE``, else the hospital's (hospital.yml)."""
    return os.environ.get("INTAKE_TIMEZONE", "").strip() or str(hospital().get("timezone") or "UTC")


def timezone() -> ZoneInfo:
    """The patients' time zone; dates such as "yesterday" are counted in it (contract, section 4)."""
    name = timezone_name()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"time zone {name!r} (INTAKE_TIMEZONE or hospital.yml) is not a zone name, "
                         "e.g. Asia/Seoul") from None


def data_dir_path() -> Path:
    """Where the embedded default keeps its files: ``INTAKE_DATA_DIR``, else the project's data/."""
    return Path(os.environ.get("INTAKE_DATA_DIR", "").strip() or PROJECT_ROOT / "data")


def data_dir() -> Path:
    """The data folder, created on first use, readable by its owner only."""
    path = data_dir_path()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def make_private(database: str | os.PathLike | None) -> None:
    """An SQLite database's files (and its WAL and shared-memory files) readable by their owner only."""
    if not database or str(database) == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{database}{suffix}")
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except FileNotFoundError:           # not there, or a journal SQLite has just removed
            pass


def db_url() -> str:
    """SQLAlchemy URL of the intake store: ``INTAKE_DB_URL``, else an SQLite file under data/."""
    url = os.environ.get("INTAKE_DB_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'intake.db'}"


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def db_pool_size() -> int:
    """Connections kept open per process (PostgreSQL only)."""
    return _env_int("INTAKE_DB_POOL_SIZE", 5, minimum=1)


def db_max_overflow() -> int:
    """Extra connections allowed above the pool size under bursts (PostgreSQL only)."""
    return _env_int("INTAKE_DB_MAX_OVERFLOW", 10, minimum=0)
