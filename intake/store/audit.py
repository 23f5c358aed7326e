"""The audit log: who viewed, exported or changed what, and when.

Rows are only ever added. The intake is named by id and conversation id without a foreign
key, so the record outlives the intake.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from intake.store.base import Repository, translate_errors, utcnow
from intake.store.tables import audit_log

# action -> what it means (shown on the audit page)
ACTIONS = {
    "login": "signed in",
    "login_failed": "sign-in failed",
    "login_refused": "sign-in refused (too many failures)",
    "logout": "signed out",
    "view_queue": "viewed the queue",
    "view_intake": "viewed an intake",
    "export_fhir": "exported FHIR",
    "print": "printed an intake",
    "change_state": "changed the workflow state",
    "add_note": "added a note",
    "api_queue": "read the queue (API)",
    "api_intake": "read an intake (API)",
    "api_export_fhir": "exported FHIR (API)",
    "user_add": "added a user",
    "user_disable": "disabled a user",
    "user_enable": "enabled a user",
    "password_reset": "reset a password",
    "password_change": "changed own password",
    "access_denied": "was refused an admin page",
    "view_audit": "viewed the audit log",
    "view_users": "viewed the user list",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    intake_id: int | None
    conversation_id: str | None
    detail: str | None
    ip: str | None

    @property
    def description(self) -> str:
        return ACTIONS.get(self.action, self.action)


class AuditLog(Repository):
    """Append and read audit entries."""

    @translate_errors
    def record(self, actor: str, action: str, *, intake_id: int | None = None, conversation_id: str | None = None,
               detail: str | None = None, ip: str | None = None) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self._write() as conn:
            conn.execute(audit_log.insert().values(
                at=utcnow(), actor=(actor or "-")[:64], action=action, intake_id=intake_id,
                conversation_id=conversation_id[:255] if conversation_id else None,
                detail=detail[:2000] if detail else None, ip=ip[:64] if ip else None))

    @translate_errors
    def recent(self, *, limit: int = 200, actor: str | None = None, intake_id: int | None = None,
               action: str | None = None) -> list[AuditEntry]:
        """Newest first."""
        query = select(audit_log)
        if actor:
            query = query.where(audit_log.c.actor == actor)
        if intake_id is not None:
            query = query.where(audit_log.c.intake_id == intake_id)
        if action:
            query = query.where(audit_log.c.action == action)
        query = query.order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
        with self._read() as conn:
            return [AuditEntry(r.id, r.at, r.actor, r.action, r.intake_id, r.conversation_id, r.detail, r.ip)
                    for r in conn.execute(query)]
