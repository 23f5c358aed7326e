"""IntakeStore behaviour, run against every backend (see ``db_url`` in conftest)."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from intake.store import IntakeStore, StoreUnavailable, make_engine
from intake.store.tables import answers, intakes, messages

UTC = timezone.utc


def _intake_row(store: IntakeStore, conversation_id: str):
    with store.engine.connect() as conn:
        return conn.execute(select(intakes).where(intakes.c.conversation_id == conversation_id)).one()


def _count(store: IntakeStore, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# -- creation and read-back -------------------------------------------------------------


def test_first_answer_creates_in_progress_intake(store, make_summary, summary_validator):
    summary = make_summary("conv-first", history={"affected_side": "left"})
    summary_validator.validate(summary)

    store.record_answer(
        "conv-first", field="affected_side", value="left", text="my left side", message_id="m1", summary=summary
    )

    assert store.get_summary("conv-first") == summary
    [listing] = store.list_recent()
    assert listing.conversation_id == "conv-first"
    assert listing.status == "in_progress"
    assert listing.answer_count == 1
    assert listing.urgency is None and listing.patient_name is None
    assert [(a.field, a.value, a.text, a.message_id) for a in store.answers("conv-first")] == [
        ("affected_side", "left", "my left side", "m1")
    ]


def test_unknown_conversation_is_empty(store):
    assert store.get_summary("nobody") is None
    assert store.answers("nobody") == []
    assert store.messages("nobody") == []
    assert store.list_recent() == []


def test_summary_for_another_conversation_is_rejected(store, make_summary):
    with pytest.raises(ValueError):
        store.save_summary("conv-a", make_summary("conv-b"))
    assert store.get_summary("conv-a") is None


# -- idempotency ------------------------------------------------------------------------


def test_record_answer_is_idempotent_and_later_value_wins(store, make_summary):
    cid = "conv-idem"
    store.record_answer(cid, field="course", value="unchanged", text="same", message_id="m7", summary=make_summary(cid))
    store.record_answer(
        cid, field="course", value="improving", text="a bit better", message_id="m7", summary=make_summary(cid)
    )
    recorded = store.answers(cid)
    assert [(a.field, a.value, a.text, a.message_id) for a in recorded] == [
        ("course", "improving", "a bit better", "m7")
    ]

    # Another message answering the same field is a second answer, not a replacement.
    store.record_answer(cid, field="course", value="worsening", text="worse now", message_id="m9", summary=make_summary(cid))
    assert [a.value for a in store.answers(cid)] == ["improving", "worsening"]

    # Without a message id the key is still unique: retries do not pile up.
    for value in ("yes", "no"):
        store.record_answer(cid, field="synkinesis", value=value, text=value, message_id=None, summary=make_summary(cid))
    no_id = [a for a in store.answers(cid) if a.field == "synkinesis"]
    assert [(a.value, a.message_id) for a in no_id] == [("no", None)]
    assert _count(store, answers) == 3
    assert _count(store, intakes) == 1


def test_record_message_is_idempotent_per_message_id(store):
    cid = "conv-msg"
    store.record_message(cid, text="hello", message_id="m1")
    store.record_message(cid, text="hello (redelivered)", message_id="m1")
    store.record_message(cid, text="no id one", message_id=None)
    store.record_message(cid, text="no id two", message_id=None)
    assert [(m.text, m.message_id) for m in store.messages(cid)] == [
        ("hello", "m1"),
        ("no id one", None),
        ("no id two", None),
    ]
    # The same message id in another conversation is a different message.
    store.record_message("conv-other", text="hello", message_id="m1")
    assert len(store.messages("conv-other")) == 1


def test_messages_before_first_answer_are_kept(store, make_summary):
    cid = "conv-early"
    store.record_message(cid, text="hi, my face drooped on Monday", message_id="m0")
    assert store.get_summary(cid) is None  # no summary until the first answer
    store.record_answer(cid, field="consent", value=True, text="yes", message_id="m1", summary=make_summary(cid))
    assert store.get_summary(cid)["conversation_id"] == cid
    assert [m.text for m in store.messages(cid)] == ["hi, my face drooped on Monday"]
    assert store.list_recent()[0].answer_count == 1
    assert _count(store, intakes) == 1


def test_answers_keep_the_patients_own_words(store, make_summary):
    cid = "conv-words"
    words = "Sort of... it started ~3 weeks ago, after a cold? Not 100% sure 🙂"
    value = {"date": "2024-02-12", "days_since_onset": 21, "text": words}
    store.record_answer(cid, field="onset", value=value, text=words, message_id="m3", summary=make_summary(cid))
    [answer] = store.answers(cid)
    assert answer.text == words
    assert answer.value == value
    assert answer.recorded_at.tzinfo is not None and answer.recorded_at.utcoffset() == timedelta(0)


# -- summary upsert ---------------------------------------------------------------------


def test_upsert_replaces_summary_and_denormalised_columns(store, make_summary):
    cid = "conv-upsert"
    first = make_summary(cid)
    store.record_answer(cid, field="consent", value=True, text="ok", message_id="m1", summary=first)
    row = _intake_row(store, cid)
    assert (row.status, row.urgency, row.handoff_requested, row.patient_name, row.phone) == (
        "in_progress", None, False, None, None
    )

    second = make_summary(
        cid,
        status="emergency",
        updated_at="2024-03-04T09:20:00Z",
        patient={"name": "Maren Testperson", "phone": "+49 30 0000000"},
        triage={
            "urgency": "emergency",
            "clinics": ["emergency_department"],
            "reasons": [{"rule": "stroke_signs", "text": "arm weakness now"}],
            "handoff_requested": True,
        },
    )
    store.save_summary(cid, second)

    assert store.get_summary(cid) == second
    row = _intake_row(store, cid)
    assert (row.status, row.urgency, row.handoff_requested, row.patient_name, row.phone) == (
        "emergency", "emergency", True, "Maren Testperson", "+49 30 0000000"
    )
    assert row.updated_at == datetime(2024, 3, 4, 9, 20, tzinfo=UTC)
    assert row.started_at == datetime(2024, 3, 4, 9, 15, tzinfo=UTC)
    assert _count(store, intakes) == 1
    assert len(store.answers(cid)) == 1  # save_summary touches the intake row only


def test_timestamps_are_timezone_aware_utc(store, make_summary):
    cid = "conv-tz"
    store.save_summary(cid, make_summary(cid, started_at="2024-03-04T10:00:00+02:00"))
    sent = datetime(2024, 3, 4, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    store.record_message(cid, text="hi", message_id="m1", sent_at=sent)
    [message] = store.messages(cid)
    assert message.sent_at == sent and message.sent_at.tzinfo == UTC
    row = _intake_row(store, cid)
    assert row.started_at == datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
    assert row.started_at.tzinfo == UTC


# -- listing ----------------------------------------------------------------------------


def test_list_recent_orders_by_updated_at_and_filters_status(store, make_summary):
    specs = [  # written in an order different from their updated_at order
        ("conv-b", "completed", "2024-03-04T11:00:00Z", "routine"),
        ("conv-a", "in_progress", "2024-03-04T12:00:00Z", None),
        ("conv-c", "in_progress", "2024-03-04T10:00:00Z", "urgent"),
        ("conv-d", "emergency", "2024-03-04T13:00:00Z", "emergency"),
    ]
    for cid, status, updated, urgency in specs:
        store.save_summary(cid, make_summary(cid, status=status, updated_at=updated, triage={"urgency": urgency}))
    store.record_answer(
        "conv-c", field="goals", value="smile", text="smile again", message_id="x",
        summary=make_summary("conv-c", status="in_progress", updated_at="2024-03-04T10:00:00Z", triage={"urgency": "urgent"}),
    )

    listing = store.list_recent()
    assert [item.conversation_id for item in listing] == ["conv-d", "conv-a", "conv-b", "conv-c"]
    assert listing[0].updated_at == datetime(2024, 3, 4, 13, 0, tzinfo=UTC)
    assert {item.conversation_id: item.answer_count for item in listing} == {
        "conv-a": 0, "conv-b": 0, "conv-c": 1, "conv-d": 0
    }
    assert [item.conversation_id for item in store.list_recent(limit=2)] == ["conv-d", "conv-a"]
    assert [item.conversation_id for item in store.list_recent(status="in_progress")] == ["conv-a", "conv-c"]
    assert store.list_recent(status="abandoned") == []


# -- concurrency ------------------------------------------------------------------------


def test_concurrent_writers_keep_every_answer(store, make_summary):
    threads, conversations, answers_each = 8, 10, 12

    def worker(t: int) -> None:
        cids = [f"conv-t{t}-c{c}" for c in range(conversations)]
        for n in range(answers_each):  # interleave conversations to maximise contention
            for cid in cids:
                summary = make_summary(
                    cid, updated_at=f"2024-03-04T10:{n:02d}:00Z", history={"goals": f"{cid} after {n + 1}"}
                )
                store.record_answer(
                    cid, field=f"q{n}", value=n, text=f"{cid} says {n}", message_id=f"{cid}-m{n}", summary=summary
                )

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(worker, t) for t in range(threads)]:
            future.result()

    assert _count(store, intakes) == threads * conversations
    assert _count(store, answers) == threads * conversations * answers_each
    for t in range(threads):
        for c in range(conversations):
            cid = f"conv-t{t}-c{c}"
            recorded = store.answers(cid)
            assert [(a.field, a.value, a.text) for a in recorded] == [
                (f"q{n}", n, f"{cid} says {n}") for n in range(answers_each)
            ]
            summary = store.get_summary(cid)
            assert summary["history"]["goals"] == f"{cid} after {answers_each}"
            assert summary["updated_at"] == f"2024-03-04T10:{answers_each - 1:02d}:00Z"


def test_concurrent_duplicates_of_one_answer_collapse(store, make_summary):
    """Retried deliveries racing each other on a brand-new conversation: one intake, one row."""
    cid, workers = "conv-race", 8
    barrier = threading.Barrier(workers)

    def deliver(n: int) -> None:
        barrier.wait()
        store.record_answer(cid, field="cause", value="bells_palsy", text=f"bell's palsy ({n})", message_id="m1",
                            summary=make_summary(cid))
        store.record_message(cid, text="bell's palsy", message_id="m1")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(deliver, n) for n in range(workers)]:
            future.result()

    assert _count(store, intakes) == 1
    assert len(store.answers(cid)) == 1
    assert len(store.messages(cid)) == 1


# -- exact text round trip --------------------------------------------------------------

AWKWARD_TEXTS = [
    "Grüße aus Köln – çà et là, ñandú",
    "😀👍🏽👩‍⚕️🇩🇪 face 🙃 — ZWJ & skin tones",
    "<script>alert('x')</script> & \"quotes\" ; DROP TABLE intakes; --",
    "עברית مرحبا 中文 日本語 한국어",
    "e\u0301 (combining) \u200b zero-width \u202e RTL override",
    "back\\slash\ttab\nnew line\r\ncrlf   trailing spaces   ",
    "x" * 9_994 + "🙂é<>\"'",
]


@pytest.mark.parametrize("text_value", AWKWARD_TEXTS, ids=range(len(AWKWARD_TEXTS)))
def test_text_is_stored_byte_identical(store, make_summary, text_value):
    cid = "conv-text-" + uuid.uuid4().hex[:8]
    summary = make_summary(cid, patient={"name": text_value}, history={"goals": text_value})
    store.record_message(cid, text=text_value, message_id="m1")
    store.record_answer(cid, field="goals", value=text_value, text=text_value, message_id="m1", summary=summary)

    [message] = store.messages(cid)
    [answer] = store.answers(cid)
    stored = store.get_summary(cid)
    for got in (message.text, answer.text, answer.value, stored["history"]["goals"], stored["patient"]["name"]):
        assert got.encode("utf-8") == text_value.encode("utf-8")
    assert store.list_recent()[0].patient_name == text_value


def test_ten_thousand_characters(store):
    assert len(AWKWARD_TEXTS[-1]) == 10_000
    store.record_message("conv-long", text=AWKWARD_TEXTS[-1], message_id=None)
    assert store.messages("conv-long")[0].text == AWKWARD_TEXTS[-1]


def test_nul_characters_become_replacement_characters(store, make_summary):
    """PostgreSQL cannot hold U+0000; both backends store U+FFFD instead of failing."""
    cid = "conv-nul"
    store.record_message(cid, text="a\x00b", message_id="m1")
    store.record_answer(cid, field="goals", value="c\x00", text="a\x00b", message_id="m1",
                        summary=make_summary(cid, history={"goals": "\x00"}))
    assert store.messages(cid)[0].text == "a\ufffdb"
    assert store.answers(cid)[0].text == "a\ufffdb"
    assert store.answers(cid)[0].value == "c\ufffd"
    assert store.get_summary(cid)["history"]["goals"] == "\ufffd"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300))
def test_any_text_round_trips(store, make_summary, text_value):
    cid = "conv-h-" + uuid.uuid4().hex
    store.record_message(cid, text=text_value, message_id="m")
    store.record_answer(cid, field="goals", value=text_value, text=text_value, message_id="m",
                        summary=make_summary(cid, history={"goals": text_value}))
    assert store.messages(cid)[0].text == text_value
    assert store.answers(cid)[0].text == text_value
    assert store.answers(cid)[0].value == text_value
    assert store.get_summary(cid)["history"]["goals"] == text_value


# -- unavailability ---------------------------------------------------------------------

UNREACHABLE = {
    "postgresql-port-1": "postgresql+psycopg2://intake:s3cret-pw@127.0.0.1:1/intake",
    "sqlite-missing-dir": "sqlite:////nonexistent-intake-dir/deeper/intake.db",
}


@pytest.mark.parametrize("url", list(UNREACHABLE.values()), ids=list(UNREACHABLE))
def test_unreachable_database_raises_store_unavailable(url, make_summary):
    with pytest.raises(StoreUnavailable) as opened:
        IntakeStore(url)
    message = str(opened.value)
    assert "\n" not in message and "s3cret-pw" not in message

    store = IntakeStore(url, migrate=False)
    try:
        with pytest.raises(StoreUnavailable):
            store.ping()
        with pytest.raises(StoreUnavailable):
            store.record_answer("c", field="consent", value=True, text="yes", message_id="m", summary=make_summary("c"))
        with pytest.raises(StoreUnavailable):
            store.get_summary("c")
        with pytest.raises(StoreUnavailable):
            store.list_recent()
    finally:
        store.dispose()


def test_ping_succeeds_on_a_live_database(store):
    store.ping()


# -- engine settings --------------------------------------------------------------------


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one().lower() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 30000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(store):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(
                messages.insert().values(
                    intake_id=987654, message_id="m", text="orphan",
                    sent_at=datetime.now(UTC), recorded_at=datetime.now(UTC),
                )
            )


def test_postgresql_pool_size_comes_from_environment(monkeypatch):
    monkeypatch.setenv("INTAKE_DB_POOL_SIZE", "3")
    monkeypatch.setenv("INTAKE_DB_MAX_OVERFLOW", "4")
    engine = make_engine("postgresql+psycopg2://postgres@127.0.0.1:1/none")  # no connection is made
    try:
        assert engine.pool.size() == 3
        assert engine.pool._max_overflow == 4
        assert engine.pool._pre_ping is True
    finally:
        engine.dispose()
    monkeypatch.delenv("INTAKE_DB_POOL_SIZE")
    monkeypatch.delenv("INTAKE_DB_MAX_OVERFLOW")
    engine = make_engine("postgresql+psycopg2://postgres@127.0.0.1:1/none")
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (5, 10)
    finally:
        engine.dispose()


def test_record_turn_writes_messages_answers_and_summary_together(store, make_summary):
    summary = make_summary("conv-turn", history={"affected_side": "left", "cause": "bells_palsy"})
    turn = dict(summary=summary,
                messages=[{"text": "left, the doctor said Bell's palsy", "message_id": "m1"}],
                answers=[{"field": "affected_side", "value": "left", "text": "left", "message_id": "m1"},
                         {"field": "cause", "value": "bells_palsy", "text": "Bell's palsy", "message_id": "m1"}])
    store.record_turn("conv-turn", **turn)
    store.record_turn("conv-turn", **turn)          # a retried action changes nothing
    assert [m.text for m in store.messages("conv-turn")] == ["left, the doctor said Bell's palsy"]
    assert [(a.field, a.value) for a in store.answers("conv-turn")] == [("affected_side", "left"),
                                                                       ("cause", "bells_palsy")]
    assert store.get_summary("conv-turn")["history"]["cause"] == "bells_palsy"


@pytest.mark.postgres
def test_record_turn_is_one_transaction(pg_session_url, make_summary):
    """On PostgreSQL only: SQLite does not enforce column lengths, so nothing makes the answer fail."""
    store = IntakeStore(pg_session_url)
    with pytest.raises(Exception), store:
        store.record_turn("conv-atomic", summary=make_summary("conv-atomic"),
                          messages=[{"text": "kept only with its answer", "message_id": "m1"}],
                          answers=[{"field": "f" * 65, "value": 1, "text": "x", "message_id": "m1"}])
    with store:
        assert store.get_summary("conv-atomic") is None
        assert store.messages("conv-atomic") == []
