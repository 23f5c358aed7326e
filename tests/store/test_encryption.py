"""Encryption at rest: what identifies a patient never reaches the database in the clear,
reads back unchanged, survives key rotation, and fails loudly with the wrong key."""
from __future__ import annotations

import json
import os
import stat

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from intake import crypto
from intake.rekey import rekey
from intake.store import IntakeStore
from intake.store.engine import make_engine
from intake.store.sealed import PATIENT_WORDS
from tests.conftest import SHARED

NAME, PHONE, EMAIL = "Ada Quillfeather", "07700 900461", "ada.quill@example.org"
GOALS, CAUSE_WORDS, ONSET_WORDS = "Smile at Wilhelmina's wedding", "after the Brightwater clinic op", "since Tuesdaymarker"
WORDS = "my number is 07700 900461, I'm Ada Quillfeather 🙂 <b>hi</b>"


def _fill(store: IntakeStore, make_summary, conversation_id: str = "conv-enc") -> None:
    summary = make_summary(conversation_id, patient={"name": NAME, "phone": PHONE, "email": EMAIL},
                           history={"affected_side": "left", "goals": GOALS, "cause_text": CAUSE_WORDS,
                                    "onset": {"date": "2026-11-24", "days_since_onset": 7, "text": ONSET_WORDS}})
    store.record_message(conversation_id, text=WORDS, message_id="m1")
    store.record_answer(conversation_id, field="patient_name", value=NAME, text=f"I'm {NAME}",
                        message_id="m2", summary=summary)
    store.record_answer(conversation_id, field="phone", value=PHONE, text=PHONE, message_id="m3", summary=summary)


def _raw_dump(url: str) -> str:
    """Every stored value of the three patient tables, as the database holds it."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = [row for table in ("intakes", "answers", "messages")
                    for row in conn.execute(text(f"SELECT * FROM {table}"))]
    finally:
        engine.dispose()
    return "\n".join(str(value) for row in rows for value in row)  # str: a Row's repr cuts long values


@pytest.fixture
def keys(monkeypatch):
    """Set INTAKE_ENCRYPTION_KEYS for one test: ``keys("new", "old")``, each a name for a fresh key."""
    made: dict[str, str] = {}

    def use(*names: str) -> None:
        monkeypatch.setenv(crypto.KEYS_ENV, ",".join(made.setdefault(n, Fernet.generate_key().decode()) for n in names))

    return use


def test_contact_details_messages_and_answers_are_not_stored_in_the_clear(store, db_url, make_summary):
    _fill(store, make_summary)
    raw = _raw_dump(db_url)
    for secret in (NAME, PHONE, "07700", "Quillfeather", EMAIL, "900461", "Wilhelmina", "Brightwater", "Tuesdaymarker"):
        assert secret not in raw
    assert crypto.SEALED_PREFIX in raw
    assert "left" in raw                    # clinical fields of the summary stay queryable


def test_sealed_values_read_back_unchanged(store, make_summary):
    _fill(store, make_summary)
    summary = store.get_summary("conv-enc")
    assert summary["patient"] == {"name": NAME, "date_of_birth": None, "phone": PHONE, "email": EMAIL}
    assert (summary["history"]["goals"], summary["history"]["cause_text"]) == (GOALS, CAUSE_WORDS)
    assert summary["history"]["onset"] == {"date": "2026-11-24", "days_since_onset": 7, "text": ONSET_WORDS}
    assert [m.text for m in store.messages("conv-enc")] == [WORDS]
    assert {(a.field, a.value, a.text) for a in store.answers("conv-enc")} == {
        ("patient_name", NAME, f"I'm {NAME}"), ("phone", PHONE, PHONE)}
    assert store.list_recent()[0].patient_name == NAME


def test_rotation_new_key_first_then_rekey_then_old_key_dropped(store, make_summary, keys):
    keys("old")
    _fill(store, make_summary)
    keys("new", "old")                      # step 1: the new key seals, both open
    assert store.get_summary("conv-enc")["patient"]["name"] == NAME
    report = rekey(store)                   # step 2: everything re-sealed with the new key
    assert report.rows == {"intakes": 1, "answers": 2, "messages": 1}
    keys("new")                             # step 3: the old key is gone
    assert store.get_summary("conv-enc")["patient"]["phone"] == PHONE
    assert [m.text for m in store.messages("conv-enc")] == [WORDS]
    keys("old")                             # a database sealed with another key is refused, loudly
    with pytest.raises(crypto.EncryptionError, match="INTAKE_ENCRYPTION_KEYS"):
        store.get_summary("conv-enc")


def test_values_stored_before_encryption_are_read_then_sealed_by_rekey(store, db_url, make_summary):
    store.record_message("conv-old", text="hello", message_id="m0")
    engine = make_engine(db_url)
    with engine.begin() as conn:            # as an older release wrote them: in the clear
        conn.execute(text("UPDATE intakes SET patient_name = :n, phone = :p"), {"n": NAME, "p": PHONE})
        conn.execute(text("UPDATE messages SET text = :t"), {"t": WORDS})
    engine.dispose()
    listing = store.list_recent()[0]
    assert (listing.patient_name, [m.text for m in store.messages("conv-old")]) == (NAME, [WORDS])
    rekey(store)
    raw = _raw_dump(db_url)
    assert NAME not in raw and PHONE not in raw and "07700" not in raw
    assert store.list_recent()[0].patient_name == NAME


def test_production_refuses_to_run_without_keys(monkeypatch, tmp_path):
    monkeypatch.delenv(crypto.KEYS_ENV, raising=False)
    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    with pytest.raises(crypto.EncryptionError, match="must be set in production"):
        crypto.sealer()
    assert not (tmp_path / crypto.KEY_FILE_NAME).exists()


def test_development_makes_one_private_key_file_and_keeps_using_it(monkeypatch, tmp_path):
    monkeypatch.delenv(crypto.KEYS_ENV, raising=False)
    monkeypatch.delenv("INTAKE_ENV", raising=False)
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path / "data"))
    sealed = crypto.sealer().seal("Ada")
    key_file = tmp_path / "data" / crypto.KEY_FILE_NAME
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    crypto._sealer_for.cache_clear()        # as a new process would
    assert crypto.sealer().open(sealed) == "Ada"
    assert key_file.read_text().count("\n") == 1


def test_a_malformed_key_is_named_without_echoing_it(monkeypatch):
    monkeypatch.setenv(crypto.KEYS_ENV, "not-a-real-key-but-secret")
    with pytest.raises(crypto.EncryptionError) as caught:
        crypto.sealer()
    assert "INTAKE_ENCRYPTION_KEYS" in str(caught.value)
    assert "not-a-real-key-but-secret" not in str(caught.value)


@pytest.mark.parametrize("value", ["", "Ada", "名前 👩‍⚕️", "sealed:v1:looks sealed but is a patient's text", "x" * 20000])
def test_sealer_round_trips_any_text(value, keys):
    keys("k")
    sealer = crypto.sealer()
    sealed = sealer.seal(value)
    assert crypto.is_sealed(sealed) and value not in sealed[len(crypto.SEALED_PREFIX):] or value == ""
    assert sealer.open(sealed) == value
    assert sealer.reseal(sealed) == sealed  # already current: left alone


def test_cli_with_the_wrong_key_says_so_in_one_line(store, db_url, make_summary, keys, monkeypatch, capsys):
    from intake import cli

    keys("right")
    _fill(store, make_summary)
    keys("wrong")
    monkeypatch.setenv("INTAKE_DB_URL", db_url)
    assert cli.main(["export", "conv-enc"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("intake: encryption:") and err.count("\n") == 1


def test_keygen_prints_a_usable_key(capsys, monkeypatch):
    from intake import cli

    assert cli.main(["keygen"]) == 0
    key = capsys.readouterr().out.strip()
    monkeypatch.setenv(crypto.KEYS_ENV, key)
    assert crypto.sealer().open(crypto.sealer().seal("Ada")) == "Ada"


def test_every_free_text_of_the_summary_is_sealed():
    """The contract's summary strings that hold the patient's words are the sealed ones (PATIENT_WORDS)."""
    schema = json.loads((SHARED / "contract" / "intake-summary.schema.json").read_text())

    def strings(node, path=()):
        if not isinstance(node, dict):
            return
        types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
        if "string" in types and "enum" not in node and "format" not in node and "pattern" not in node:
            yield path
        for name, sub in (node.get("properties") or {}).items():
            yield from strings(sub, path + (name,))

    free = {p for p in strings(schema) if p and p[0] == "history"}
    assert free == set(PATIENT_WORDS)
