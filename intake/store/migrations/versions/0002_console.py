"""Nurse console: accounts, login attempts, workflow state and events, nurse notes, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts():
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_generation", sa.Integer(), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("password_changed_at", _ts(), nullable=False),
        sa.Column("last_login_at", _ts(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )

    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index("ix_login_attempts_username_attempted_at", "login_attempts", ["username", "attempted_at"])
    op.create_index("ix_login_attempts_ip_attempted_at", "login_attempts", ["ip", "attempted_at"])

    op.create_table(
        "intake_workflow",
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("changed_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("intake_id", name="pk_intake_workflow"),
        sa.ForeignKeyConstraint(["intake_id"], ["intakes.id"], name="fk_intake_workflow_intake_id_intakes",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_intake_workflow_state", "intake_workflow", ["state"])

    op.create_table(
        "workflow_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_events"),
        sa.ForeignKeyConstraint(["intake_id"], ["intakes.id"], name="fk_workflow_events_intake_id_intakes",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_workflow_events_intake_id_at", "workflow_events", ["intake_id", "at"])

    op.create_table(
        "nurse_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_nurse_notes"),
        sa.ForeignKeyConstraint(["intake_id"], ["intakes.id"], name="fk_nurse_notes_intake_id_intakes",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_nurse_notes_intake_id_created_at", "nurse_notes", ["intake_id", "created_at"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _ts(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(255), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_intake_id_at", "audit_log", ["intake_id", "at"])
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor", "at"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("nurse_notes")
    op.drop_table("workflow_events")
    op.drop_table("intake_workflow")
    op.drop_table("login_attempts")
    op.drop_table("users")
