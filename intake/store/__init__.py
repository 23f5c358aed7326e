"""The intake store: summaries, answers and patient messages in SQLite or PostgreSQL."""
from intake.store.engine import make_engine
from intake.store.migrations import migrate
from intake.store.repository import (
    AnswerRecord,
    IntakeListing,
    IntakeStore,
    MessageRecord,
    StoreUnavailable,
)

__all__ = [
    "AnswerRecord",
    "IntakeListing",
    "IntakeStore",
    "MessageRecord",
    "StoreUnavailable",
    "make_engine",
    "migrate",
]
