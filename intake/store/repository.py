"""``IntakeStore``: what the bot's actions, the nurse console and the CLI use to persist intakes.

Every write is a single transaction built from INSERT ... ON CONFLICT, so concurrent action
server workers cannot create duplicate intakes or answers (no select-then-insert races).
Database outages surface as ``StoreUnavailable`` so callers can degrade without knowing
SQLAlchemy.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from intake import config
from intake.store.engine import make_engine, safe_url, write_transaction
from intake.store.migrations import upgrade_engine
from intake.store.tables import answers, intakes, messages

log = logging.getLogger(__name__)

DEFAULT_STATUS = "in_progress"


class StoreUnavailable(Exception):
    """The database cannot be reached (or refuses work); the message is one line, password-free."""


@dataclass(frozen=True)
class AnswerRecord:
    field: str
    value: Any
    text: str | None
    message_id: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class MessageRecord:
    text: str
    message_id: str | None
    sent_at: datetime
    recorded_at: datetime


@dataclass(frozen=True)
class IntakeListing:
    conversation_id: str
    status: str
    urgency: str | None
    updated_at: datetime
    answer_count: int
    patient_name: str | None


_UNAVAILABLE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


def _translate_errors(method):
    """Turn driver-level connection failures into ``StoreUnavailable``."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _UNAVAILABLE_ERRORS as error:
            raise self._unavailable(error) from error

    return wrapper


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(value: datetime) -> datetime:
    """Aware UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 timestamp from the summary (``Z`` accepted), or None if absent/garbled."""
    if isinstance(value, datetime):
        return _as_utc(value)
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        return _as_utc(datetime.fromisoformat(raw))
    except ValueError:
        return None


def _scrub(value: Any) -> Any:
    """Replace NUL characters, which PostgreSQL text/jsonb cannot hold, with U+FFFD.

    Applied on every backend so both keep the same data; everything else is stored as given.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


class IntakeStore:
    """Persistence for intake summaries, answers and raw patient messages."""

    def __init__(self, url: str | None = None, *, migrate: bool = True):
        self._url = url or config.db_url()
        self._engine = make_engine(self._url)
        self._dialect = self._engine.dialect.name
        self._insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[self._dialect]
        if migrate:
            try:
                upgrade_engine(self._engine)
            except _UNAVAILABLE_ERRORS as error:
                self._engine.dispose()
                raise self._unavailable(error) from error

    @property
    def engine(self):
        return self._engine

    def _unavailable(self, error: BaseException) -> StoreUnavailable:
        log.warning("intake store %s unavailable: %s", safe_url(self._url), type(error).__name__)
        return StoreUnavailable(f"database {safe_url(self._url)} unavailable: {_first_line(error)}")

    def _write(self):
        return write_transaction(self._engine)

    # -- writes -------------------------------------------------------------------------

    @_translate_errors
    def record_answer(
        self,
        conversation_id: str,
        *,
        field: str,
        value: Any,
        text: str | None,
        message_id: str | None,
        summary: dict,
    ) -> None:
        """Store one answer and the summary it produced, atomically.

        The same (conversation, field, message_id) recorded again replaces the earlier
        value, so retried actions do not duplicate answers.
        """
        now = _utcnow()
        with self._write() as conn:
            intake_id = self._upsert_intake(conn, conversation_id, summary, now)
            conn.execute(self._answer_upsert(intake_id, field, value, text, message_id, now))

    @_translate_errors
    def record_message(
        self,
        conversation_id: str,
        *,
        text: str,
        message_id: str | None,
        sent_at: datetime | None = None,
    ) -> None:
        """Keep a patient message verbatim; a repeated message_id is ignored (first one wins).

        Creates a summary-less intake row when the conversation has none yet, so messages
        typed before the first answer are kept too. A naive ``sent_at`` is taken as UTC.
        """
        now = _utcnow()
        with self._write() as conn:
            intake_id = self._ensure_intake(conn, conversation_id, now)
            conn.execute(self._message_insert(intake_id, text, message_id, sent_at, now))

    @_translate_errors
    def record_turn(
        self,
        conversation_id: str,
        *,
        summary: dict,
        messages: Iterable[dict[str, Any]] = (),
        answers: Iterable[dict[str, Any]] = (),
    ) -> None:
        """What one patient message produced, in one transaction: the summary, the messages
        (``text``, ``message_id``, ``sent_at``) and the answers (``field``, ``value``, ``text``,
        ``message_id``). Same rules as ``record_message`` and ``record_answer``."""
        now = _utcnow()
        with self._write() as conn:
            intake_id = self._upsert_intake(conn, conversation_id, summary, now)
            for message in messages:
                conn.execute(self._message_insert(intake_id, message.get("text"), message.get("message_id"),
                                                  message.get("sent_at"), now))
            for answer in answers:
                conn.execute(self._answer_upsert(intake_id, answer["field"], answer.get("value"),
                                                 answer.get("text"), answer.get("message_id"), now))

    def _answer_upsert(self, intake_id: int, field: str, value: Any, text: str | None,
                       message_id: str | None, now: datetime):
        stmt = self._insert(answers).values(
            intake_id=intake_id,
            field=field,
            message_id=message_id or "",
            value=_scrub(value),
            text=_scrub(text),
            recorded_at=now,
        )
        return stmt.on_conflict_do_update(
            index_elements=[answers.c.intake_id, answers.c.field, answers.c.message_id],
            set_={
                "value": stmt.excluded.value,
                "text": stmt.excluded.text,
                "recorded_at": stmt.excluded.recorded_at,
            },
        )

    def _message_insert(self, intake_id: int, text: str | None, message_id: str | None,
                        sent_at: datetime | None, now: datetime):
        stmt = self._insert(messages).values(
            intake_id=intake_id,
            message_id=message_id or None,
            text=_scrub(text if text is not None else ""),
            sent_at=_as_utc(sent_at) if sent_at else now,
            recorded_at=now,
        )
        return stmt.on_conflict_do_nothing(index_elements=[messages.c.intake_id, messages.c.message_id])

    @_translate_errors
    def save_summary(self, conversation_id: str, summary: dict) -> None:
        """Replace the stored summary (and the columns copied from it)."""
        with self._write() as conn:
            self._upsert_intake(conn, conversation_id, summary, _utcnow())

    def _ensure_intake(self, conn: Connection, conversation_id: str, now: datetime) -> int:
        stmt = self._insert(intakes).values(
            conversation_id=conversation_id,
            status=DEFAULT_STATUS,
            urgency=None,
            handoff_requested=False,
            started_at=now,
            updated_at=now,
            last_activity_at=now,
            summary=None,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[intakes.c.conversation_id],
            set_={"last_activity_at": stmt.excluded.last_activity_at},
        )
        conn.execute(stmt)
        return self._intake_id(conn, conversation_id)

    def _upsert_intake(self, conn: Connection, conversation_id: str, summary: dict, now: datetime) -> int:
        if not isinstance(summary, dict):
            raise TypeError("summary must be a dict")
        claimed = summary.get("conversation_id")
        if claimed not in (None, conversation_id):
            raise ValueError("summary.conversation_id does not match the conversation being written")
        summary = _scrub(summary)
        patient = summary.get("patient") if isinstance(summary.get("patient"), dict) else {}
        triage = summary.get("triage") if isinstance(summary.get("triage"), dict) else {}
        started_at = _parse_timestamp(summary.get("started_at"))
        row = {
            "status": _opt_str(summary.get("status")) or DEFAULT_STATUS,
            "urgency": _opt_str(triage.get("urgency")),
            "handoff_requested": bool(triage.get("handoff_requested")),
            "patient_name": _opt_str(patient.get("name")),
            "phone": _opt_str(patient.get("phone")),
            "updated_at": _parse_timestamp(summary.get("updated_at")) or now,
            "last_activity_at": now,
            "summary": summary,
        }
        stmt = self._insert(intakes).values(
            conversation_id=conversation_id, started_at=started_at or now, **row
        )
        update = {name: stmt.excluded[name] for name in row}
        if started_at is not None:  # otherwise keep the first-seen start time
            update["started_at"] = stmt.excluded.started_at
        stmt = stmt.on_conflict_do_update(index_elements=[intakes.c.conversation_id], set_=update)
        conn.execute(stmt)
        return self._intake_id(conn, conversation_id)

    @staticmethod
    def _intake_id(conn: Connection, conversation_id: str) -> int:
        return conn.execute(
            select(intakes.c.id).where(intakes.c.conversation_id == conversation_id)
        ).scalar_one()

    # -- reads --------------------------------------------------------------------------

    @_translate_errors
    def get_summary(self, conversation_id: str) -> dict | None:
        """The latest summary, or None when the conversation has no answer/summary yet."""
        with self._engine.connect() as conn:
            return conn.execute(
                select(intakes.c.summary).where(intakes.c.conversation_id == conversation_id)
            ).scalar_one_or_none()

    @_translate_errors
    def answers(self, conversation_id: str) -> list[AnswerRecord]:
        """Answers in the order they were first recorded."""
        query = (
            select(answers.c.field, answers.c.value, answers.c.text, answers.c.message_id, answers.c.recorded_at)
            .join(intakes, intakes.c.id == answers.c.intake_id)
            .where(intakes.c.conversation_id == conversation_id)
            .order_by(answers.c.id)
        )
        with self._engine.connect() as conn:
            return [
                AnswerRecord(
                    field=r.field,
                    value=r.value,
                    text=r.text,
                    message_id=r.message_id or None,
                    recorded_at=r.recorded_at,
                )
                for r in conn.execute(query)
            ]

    @_translate_errors
    def messages(self, conversation_id: str) -> list[MessageRecord]:
        """Patient messages in arrival order."""
        query = (
            select(messages.c.text, messages.c.message_id, messages.c.sent_at, messages.c.recorded_at)
            .join(intakes, intakes.c.id == messages.c.intake_id)
            .where(intakes.c.conversation_id == conversation_id)
            .order_by(messages.c.id)
        )
        with self._engine.connect() as conn:
            return [
                MessageRecord(text=r.text, message_id=r.message_id, sent_at=r.sent_at, recorded_at=r.recorded_at)
                for r in conn.execute(query)
            ]

    @_translate_errors
    def list_recent(self, limit: int = 20, status: str | None = None) -> list[IntakeListing]:
        """Most recently updated intakes first (by the summary's updated_at)."""
        if limit < 1:
            return []
        answer_count = (
            select(func.count(answers.c.id)).where(answers.c.intake_id == intakes.c.id).scalar_subquery()
        )
        query = select(
            intakes.c.conversation_id,
            intakes.c.status,
            intakes.c.urgency,
            intakes.c.updated_at,
            answer_count.label("answer_count"),
            intakes.c.patient_name,
        )
        if status is not None:
            query = query.where(intakes.c.status == status)
        query = query.order_by(intakes.c.updated_at.desc(), intakes.c.id.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [
                IntakeListing(
                    conversation_id=r.conversation_id,
                    status=r.status,
                    urgency=r.urgency,
                    updated_at=r.updated_at,
                    answer_count=int(r.answer_count),
                    patient_name=r.patient_name,
                )
                for r in conn.execute(query)
            ]

    # -- lifecycle ----------------------------------------------------------------------

    @_translate_errors
    def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the database answers a trivial query."""
        with self._engine.connect() as conn:
            conn.execute(sql_text("SELECT 1"))

    def dispose(self) -> None:
        """Close pooled connections (call on shutdown and in tests)."""
        self._engine.dispose()

    def __enter__(self) -> "IntakeStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.dispose()
