"""Shared test settings: the contract beside the checkout, and a fixed 'today'."""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("INTAKE_SHARED_DIR", ROOT.parent / "shared"))
SCHEMA_PATH = SHARED / "contract" / "intake-summary.schema.json"
TODAY = date(2026, 11, 24)     # a Tuesday

# Personal data is encrypted at rest (intake/crypto.py). One throwaway key for the whole run,
# inherited by every server and command the tests start, so each reads what the others wrote.
os.environ.setdefault("INTAKE_ENCRYPTION_KEYS", Fernet.generate_key().decode("ascii"))


@pytest.fixture(scope="session")
def summary_validator():
    """The contract's JSON Schema validator (the contract lives in ../shared)."""
    import jsonschema

    if not SCHEMA_PATH.exists():
        pytest.fail(f"contract schema missing at {SCHEMA_PATH}: the checkout needs ../shared beside it")
    schema = json.loads(SCHEMA_PATH.read_text())
    # jsonschema 4.17 (Rasa's pin) joins the relative "$id" twice when resolving "#/$defs/...";
    # without "$id" the references resolve against the document itself.
    schema.pop("$id", None)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
