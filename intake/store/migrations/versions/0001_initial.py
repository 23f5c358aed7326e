"""Initial intake store: intakes, answers, messages.

Revision ID: 0001
Revises:
Create Date: 2024-11-24
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _json(none_as_null: bool = False):
    return sa.JSON(none_as_null=none_as_null).with_variant(
        postgresql.JSONB(none_as_null=none_as_null), "postgresql"
    )


def _ts():
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("urgency", sa.String(32), nullable=True),
        sa.Column("handoff_requested", sa.Boolean(), nullable=False),
        sa.Column("patient_name", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(64), nullable=True),
        sa.Column("started_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.Column("last_activity_at", _ts(), nullable=False),
        sa.Column("summary", _json(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_intakes"),
        sa.UniqueConstraint("conversation_id", name="uq_intakes_conversation_id"),
    )
    op.create_index("ix_intakes_updated_at", "intakes", ["updated_at"])
    op.create_index("ix_intakes_status_updated_at", "intakes", ["status", "updated_at"])
    op.create_index("ix_intakes_urgency", "intakes", ["urgency"])

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("value", _json(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("recorded_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intakes.id"], name="fk_answers_intake_id_intakes", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("intake_id", "field", "message_id", name="uq_answers_intake_id_field_message_id"),
    )

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_at", _ts(), nullable=False),
        sa.Column("recorded_at", _ts(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intakes.id"], name="fk_messages_intake_id_intakes", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("intake_id", "message_id", name="uq_messages_intake_id_message_id"),
    )


def downgrade() -> None:
    op.drop_table("messages")
    op.drop_table("answers")
    op.drop_index("ix_intakes_urgency", table_name="intakes")
    op.drop_index("ix_intakes_status_updated_at", table_name="intakes")
    op.drop_index("ix_intakes_updated_at", table_name="intakes")
    op.drop_table("intakes")
