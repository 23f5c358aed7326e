"""Table layout of the intake store (SQLAlchemy Core).

One ``intakes`` row per conversation holds the latest summary plus a few columns copied
out of it, so a nurse queue can sort and filter without parsing JSON. ``answers`` keeps each
answer with the patient's own words; ``messages`` keeps every patient message verbatim.
The Alembic migrations are the source of truth for the deployed schema; a test checks that
they and this module agree. What identifies a patient is encrypted at rest by the column types
of ``intake.store.sealed`` (contact columns, the summary's patient block, answers, messages).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

from intake.store.sealed import SealedJSON, SealedSummary, SealedText

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zone type, so values are stored there as naive UTC and given
    ``timezone.utc`` back on read; PostgreSQL uses ``timestamptz`` and results are
    normalised to UTC whatever the session time zone is.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the store only accepts timezone-aware values")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


intakes = Table(
    "intakes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255), nullable=False, unique=True),
    Column("status", String(32), nullable=False),
    Column("urgency", String(32), nullable=True),
    Column("handoff_requested", Boolean, nullable=False),
    Column("patient_name", SealedText, nullable=True),
    Column("phone", SealedText, nullable=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Wall-clock time of the last write of any kind (summary, answer or message); what an
    # idle clean-up job should look at, independent of what the summary claims.
    Column("last_activity_at", UtcDateTime, nullable=False),
    # NULL until the first answer or summary: a conversation can start with free text.
    Column("summary", SealedSummary(none_as_null=True), nullable=True),
    Index(None, "updated_at"),
    Index(None, "status", "updated_at"),
    Index(None, "urgency"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("intake_id", Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(64), nullable=False),
    # '' stands for "no message id" so the unique key below still deduplicates those.
    Column("message_id", String(255), nullable=False),
    Column("value", SealedJSON(), nullable=True),
    Column("text", SealedText, nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
    UniqueConstraint("intake_id", "field", "message_id"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("intake_id", Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
    # NULL when the channel gave no id: such messages are always kept (NULLs never collide).
    Column("message_id", String(255), nullable=True),
    Column("text", SealedText, nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    UniqueConstraint("intake_id", "message_id"),
)


# -- the nurse console (migration 0002) ---------------------------------------------------
# Who did what is stored as the username, not a foreign key: the record of a change must
# outlive the account, and the audit log must outlive the intake it mentions.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    # Bumped on logout, deactivation and password change: signed session cookies carry the
    # generation they were issued under, so bumping it ends every session of that user.
    Column("session_generation", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    Column("last_login_at", UtcDateTime, nullable=True),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("attempted_at", UtcDateTime, nullable=False),
    Index(None, "username", "attempted_at"),
    Index(None, "ip", "attempted_at"),
)

# The current workflow state of an intake; no row means "new".
intake_workflow = Table(
    "intake_workflow",
    metadata,
    Column("intake_id", Integer, ForeignKey("intakes.id", ondelete="CASCADE"), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("changed_by", String(64), nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Index(None, "state"),
)

workflow_events = Table(
    "workflow_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("intake_id", Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
    Column("from_state", String(16), nullable=False),
    Column("to_state", String(16), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "intake_id", "at"),
)

nurse_notes = Table(
    "nurse_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("intake_id", Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
    Column("author", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "intake_id", "created_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("intake_id", Integer, nullable=True),
    Column("conversation_id", String(255), nullable=True),
    Column("detail", Text, nullable=True),
    Column("ip", String(64), nullable=True),
    Index(None, "at"),
    Index(None, "intake_id", "at"),
    Index(None, "actor", "at"),
)
