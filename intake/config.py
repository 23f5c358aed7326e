"""Settings read from the environment, so deployments change behaviour without code edits.

Only plain values live here; modules that need a setting call these functions at use time
(not import time) so tests and the CLI can change the environment first.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir_path() -> Path:
    """Where the embedded default keeps its files: ``INTAKE_DATA_DIR``, else the project's data/."""
    return Path(os.environ.get("INTAKE_DATA_DIR", "").strip() or PROJECT_ROOT / "data")


def data_dir() -> Path:
    """The data folder, created on first use."""
    path = data_dir_path()
    path.mkdir(parents=True, exist_ok=True)
    return path


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
